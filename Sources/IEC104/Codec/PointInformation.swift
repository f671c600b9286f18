/// A single-point value with its quality (SIQ).
public struct SinglePoint: Hashable, Sendable {
    /// The state: on (true) or off.
    public var value: Bool
    /// BL, SB, NT and IV; other bits are not part of SIQ and are dropped on encoding.
    public var quality: QualityDescriptor

    /// Creates a single-point value.
    public init(_ value: Bool, quality: QualityDescriptor = .good) {
        self.value = value
        self.quality = quality
    }

    /// The SIQ octet: state in bit 0, quality in bits 4–7.
    var octet: UInt8 { (value ? 0x01 : 0) | (quality.rawValue & QualityDescriptor.pointMask) }

    /// Reads an SIQ octet.
    init(octet: UInt8) {
        self.init(octet & 0x01 != 0, quality: QualityDescriptor(rawValue: octet & QualityDescriptor.pointMask))
    }
}

/// The two-bit state of a double point (DPI) or double command (DCS).
public enum DoublePointState: UInt8, CaseIterable, Hashable, Sendable {
    /// Intermediate (not permitted as a command state).
    case intermediate = 0
    /// Off / open.
    case off = 1
    /// On / closed.
    case on = 2
    /// Indeterminate (not permitted as a command state).
    case indeterminate = 3

    /// The state held in the low two bits of `octet`; total, so decoding cannot fail.
    init(lowBitsOf octet: UInt8) {
        switch octet & 0x03 {
        case 0: self = .intermediate
        case 1: self = .off
        case 2: self = .on
        default: self = .indeterminate
        }
    }
}

/// A double-point value with its quality (DIQ).
public struct DoublePoint: Hashable, Sendable {
    /// The state.
    public var state: DoublePointState
    /// BL, SB, NT and IV; other bits are not part of DIQ and are dropped on encoding.
    public var quality: QualityDescriptor

    /// Creates a double-point value.
    public init(_ state: DoublePointState, quality: QualityDescriptor = .good) {
        self.state = state
        self.quality = quality
    }

    /// The DIQ octet: state in bits 0–1, quality in bits 4–7.
    var octet: UInt8 { state.rawValue | (quality.rawValue & QualityDescriptor.pointMask) }

    /// Reads a DIQ octet.
    init(octet: UInt8) {
        self.init(DoublePointState(lowBitsOf: octet), quality: QualityDescriptor(rawValue: octet & QualityDescriptor.pointMask))
    }
}
