/// The 6-bit cause of transmission code; unknown codes are kept so they can be answered, not dropped.
public struct Cause: RawRepresentable, Hashable, Sendable {
    /// The code, always in 0...63.
    public let rawValue: UInt8

    /// Creates a cause, or nil when `rawValue` does not fit in 6 bits.
    public init?(rawValue: UInt8) {
        guard rawValue <= 0x3F else { return nil }
        self.rawValue = rawValue
    }

    /// Creates a cause from a code known to fit in 6 bits (the wire or a constant).
    init(masking value: UInt8) { rawValue = value & 0x3F }

    /// Periodic, cyclic.
    public static let periodic = Cause(masking: 1)
    /// Background scan.
    public static let background = Cause(masking: 2)
    /// Spontaneous.
    public static let spontaneous = Cause(masking: 3)
    /// Initialized.
    public static let initialized = Cause(masking: 4)
    /// Request or requested.
    public static let request = Cause(masking: 5)
    /// Activation.
    public static let activation = Cause(masking: 6)
    /// Activation confirmation.
    public static let activationConfirmation = Cause(masking: 7)
    /// Deactivation.
    public static let deactivation = Cause(masking: 8)
    /// Deactivation confirmation.
    public static let deactivationConfirmation = Cause(masking: 9)
    /// Activation termination.
    public static let activationTermination = Cause(masking: 10)
    /// Interrogated by station interrogation.
    public static let interrogatedByStation = Cause(masking: 20)
    /// Requested by general counter request.
    public static let requestedByGeneralCounter = Cause(masking: 37)
    /// Unknown type identification.
    public static let unknownTypeID = Cause(masking: 44)
    /// Unknown cause of transmission.
    public static let unknownCause = Cause(masking: 45)
    /// Unknown common address of ASDU.
    public static let unknownCommonAddress = Cause(masking: 46)
    /// Unknown information object address.
    public static let unknownObjectAddress = Cause(masking: 47)

    /// Interrogated by group 1...16 interrogation (codes 21–36), or nil for another group number.
    public static func interrogatedByGroup(_ group: Int) -> Cause? {
        guard (1...16).contains(group) else { return nil }
        return Cause(masking: UInt8(20 + group))
    }

    /// Requested by counter group 1...4 request (codes 38–41), or nil for another group number.
    public static func requestedByCounterGroup(_ group: Int) -> Cause? {
        guard (1...4).contains(group) else { return nil }
        return Cause(masking: UInt8(37 + group))
    }
}

/// The cause of transmission field: cause, P/N and test bits, and (in 2-octet form) the originator address.
public struct CauseOfTransmission: Hashable, Sendable {
    /// Why the ASDU was sent.
    public var cause: Cause
    /// The P/N bit (0x40): a negative confirmation.
    public var isNegative: Bool
    /// The T bit (0x80): the ASDU was generated for test.
    public var isTest: Bool
    /// The originator address of the controlling station; 0 means "default", and a 1-octet COT cannot carry it.
    public var originatorAddress: UInt8

    /// Creates a cause of transmission.
    public init(_ cause: Cause, isNegative: Bool = false, isTest: Bool = false, originatorAddress: UInt8 = 0) {
        self.cause = cause
        self.isNegative = isNegative
        self.isTest = isTest
        self.originatorAddress = originatorAddress
    }

    /// The first COT octet: cause in bits 0–5, P/N in bit 6, T in bit 7.
    var firstOctet: UInt8 { cause.rawValue | (isNegative ? 0x40 : 0) | (isTest ? 0x80 : 0) }

    /// Rebuilds the field from its octets (originator 0 when the COT has one octet).
    init(firstOctet: UInt8, originatorAddress: UInt8) {
        self.init(Cause(masking: firstOctet), isNegative: firstOctet & 0x40 != 0, isTest: firstOctet & 0x80 != 0,
                  originatorAddress: originatorAddress)
    }
}
