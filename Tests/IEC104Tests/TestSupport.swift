@testable import IEC104
import SeededRandom

/// The shared SplitMix64, under the name the IEC 104 tests use.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    mutating func byte() -> UInt8 { UInt8.random(in: .min ... .max, using: &self) }
    mutating func bool() -> Bool { Bool.random(using: &self) }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }
}

/// Parses "68 04 07 00" style hex into octets.
func hex(_ text: String) -> [UInt8] {
    text.split(separator: " ").compactMap { UInt8($0, radix: 16) }
}

/// Random values for every element type, limited to what the wire can carry so round trips are exact.
extension SeededGenerator {
    mutating func float() -> Float {
        // Any bit pattern except NaN, whose inequality to itself would break Equatable comparisons.
        let value = Float(bitPattern: UInt32.random(in: .min ... .max, using: &self))
        return value.isNaN ? 1.5 : value
    }

    mutating func time() -> CP56Time2a {
        CP56Time2a(milliseconds: UInt16.random(in: .min ... .max, using: &self), minute: byte(), hour: byte(),
                   dayOfMonth: byte(), dayOfWeek: byte(), month: byte(), year: byte(), invalid: bool(), summerTime: bool())
    }

    mutating func quality() -> QualityDescriptor { QualityDescriptor(rawValue: byte()) }
    mutating func pointQuality() -> QualityDescriptor { QualityDescriptor(rawValue: byte() & 0xF0) }
    mutating func single() -> SinglePoint { SinglePoint(bool(), quality: pointQuality()) }
    mutating func double() -> DoublePoint { DoublePoint(pointState(), quality: pointQuality()) }
    mutating func pointState() -> DoublePointState { DoublePointState.allCases.randomElement(using: &self) ?? .off }
    mutating func normalized() -> NormalizedValue { NormalizedValue(rawValue: Int16.random(in: .min ... .max, using: &self)) }
    mutating func scaled() -> Int16 { Int16.random(in: .min ... .max, using: &self) }
    mutating func qoc() -> CommandQualifier { CommandQualifier(qualifier: byte() & 0x1F, select: bool()) }
    mutating func qos() -> SetpointQualifier { SetpointQualifier(qualifier: byte() & 0x7F, select: bool()) }
    mutating func bcr() -> BinaryCounterReading {
        BinaryCounterReading(Int32.random(in: .min ... .max, using: &self), sequenceNumber: byte() & 0x1F,
                             carry: bool(), adjusted: bool(), invalid: bool())
    }

    mutating func element(_ type: TypeID) -> InformationElement {
        switch type {
        case .M_SP_NA_1: .singlePoint(single())
        case .M_DP_NA_1: .doublePoint(double())
        case .M_ME_NA_1: .normalized(normalized(), quality())
        case .M_ME_NB_1: .scaled(scaled(), quality())
        case .M_ME_NC_1: .shortFloat(float(), quality())
        case .M_IT_NA_1: .integratedTotals(bcr())
        case .M_SP_TB_1: .singlePointWithTime(single(), time())
        case .M_DP_TB_1: .doublePointWithTime(double(), time())
        case .M_ME_TD_1: .normalizedWithTime(normalized(), quality(), time())
        case .M_ME_TE_1: .scaledWithTime(scaled(), quality(), time())
        case .M_ME_TF_1: .shortFloatWithTime(float(), quality(), time())
        case .M_IT_TB_1: .integratedTotalsWithTime(bcr(), time())
        case .C_SC_NA_1: .singleCommand(bool(), qoc())
        case .C_DC_NA_1: .doubleCommand(pointState(), qoc())
        case .C_SE_NA_1: .setpointNormalized(normalized(), qos())
        case .C_SE_NB_1: .setpointScaled(scaled(), qos())
        case .C_SE_NC_1: .setpointFloat(float(), qos())
        case .C_SC_TA_1: .singleCommandWithTime(bool(), qoc(), time())
        case .C_DC_TA_1: .doubleCommandWithTime(pointState(), qoc(), time())
        case .C_SE_TA_1: .setpointNormalizedWithTime(normalized(), qos(), time())
        case .C_SE_TB_1: .setpointScaledWithTime(scaled(), qos(), time())
        case .C_SE_TC_1: .setpointFloatWithTime(float(), qos(), time())
        case .M_EI_NA_1: .endOfInitialization(CauseOfInitialization(cause: byte() & 0x7F, afterParameterChange: bool()))
        case .C_IC_NA_1: .interrogation(qualifier: byte())
        case .C_CI_NA_1: .counterInterrogation(CounterInterrogationQualifier(request: byte() & 0x3F, freeze: byte() & 0x03))
        case .C_RD_NA_1: .read
        case .C_CS_NA_1: .clockSynchronization(time())
        case .C_TS_TA_1: .testCommand(counter: UInt16.random(in: .min ... .max, using: &self), time())
        }
    }

    mutating func parameters() -> ASDUParameters {
        ASDUParameters(causeOfTransmissionSize: Int.random(in: 1...2, using: &self),
                       commonAddressSize: Int.random(in: 1...2, using: &self),
                       informationObjectAddressSize: Int.random(in: 1...3, using: &self)) ?? .iec104
    }

    /// A random valid ASDU of `type` for `parameters`.
    mutating func asdu(_ type: TypeID, parameters: ASDUParameters) -> ASDU {
        let isSequence = bool()
        let maximum = ASDU.maximumObjectCount(of: type, isSequence: isSequence, parameters: parameters)
        let count = Int.random(in: 1...maximum, using: &self)
        let maxIOA = parameters.maximumInformationObjectAddress
        let first = UInt32.random(in: 0...(maxIOA - UInt32(count)), using: &self)
        let objects = (0..<count).map { index in
            InformationObject(address: isSequence ? first + UInt32(index) : UInt32.random(in: 0...maxIOA, using: &self),
                              element(type))
        }
        let cause = Cause(rawValue: byte() & 0x3F) ?? .spontaneous
        let originator = parameters.causeOfTransmissionSize == 2 ? byte() : 0
        return ASDU(typeID: type, isSequence: isSequence,
                    causeOfTransmission: CauseOfTransmission(cause, isNegative: bool(), isTest: bool(),
                                                             originatorAddress: originator),
                    commonAddress: UInt16.random(in: 0...parameters.maximumCommonAddress, using: &self),
                    objects: objects)
    }
}
