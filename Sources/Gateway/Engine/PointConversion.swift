import IEC104
import Rules

/// Turning chain values into the IEC value of a point's type.
enum PointConversion {
    /// The IEC 104 type of a rule type.
    static func typeID(_ type: IECType) -> TypeID? { UInt8(exactly: type.id).flatMap(TypeID.init(rawValue:)) }

    /// The value for a point of `type`, with OV when a number had to be limited to the type's range; nil when the
    /// value's kind cannot be shown by the type (the validator prevents it; the engine still refuses quietly).
    static func value(_ value: ChainValue, as type: TypeID) -> (PointValue, QualityDescriptor, number: Double?)? {
        switch (value, type.nonTimeTagged) {
        case let (.number(number), .M_ME_NC_1): return (.float(Float(number)), [], number)
        case let (.number(number), .M_ME_NB_1):
            let rounded = number.rounded()
            let limited = min(max(rounded, Double(Int16.min)), Double(Int16.max))
            return (.scaled(Int16(limited)), limited == rounded ? [] : .overflow, number)
        case let (.number(number), .M_ME_NA_1):
            let limited = min(max(number, -1), 32767.0 / 32768.0)
            return (.normalized(NormalizedValue(limited)), limited == number ? [] : .overflow, number)
        case let (.number(number), .M_IT_NA_1):
            let rounded = number.rounded()
            guard rounded >= Double(Int32.min), rounded <= Double(Int32.max) else {
                return (.counter(BinaryCounterReading(0, carry: true, invalid: true)), .invalid, nil)
            }
            return (.counter(BinaryCounterReading(Int32(rounded))), [], number)
        case let (.number(number), .M_SP_NA_1): return (.single(number != 0), [], nil)
        case let (.mapped(.bool(flag)), .M_SP_NA_1): return (.single(flag), [], nil)
        case let (.mapped(.number(number)), .M_SP_NA_1): return (.single(number != 0), [], nil)
        case let (.mapped(.doublePoint(raw)), .M_DP_NA_1):
            return DoublePointState(rawValue: UInt8(clamping: raw)).map { (.double($0), [], nil) }
        case let (.mapped(.bool(flag)), .M_DP_NA_1): return (.double(flag ? .on : .off), [], nil)
        case let (.mapped(.number(number)), _): return Self.value(.number(number), as: type)
        default: return nil
        }
    }
}
