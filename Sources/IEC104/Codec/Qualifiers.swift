/// The qualifier of a single or double command (the QU bits and S/E of SCO/DCO).
public struct CommandQualifier: Hashable, Sendable {
    /// QU, 0...31: 0 no additional definition, 1 short pulse, 2 long pulse, 3 persistent (higher bits are dropped).
    public var qualifier: UInt8
    /// S/E (0x80): select (true) or execute.
    public var select: Bool

    /// Creates a command qualifier.
    public init(qualifier: UInt8 = 0, select: Bool = false) {
        self.qualifier = qualifier
        self.select = select
    }

    /// The qualifier bits of an SCO/DCO octet (QU in bits 2–6, S/E in bit 7).
    var bits: UInt8 { (qualifier & 0x1F) << 2 | (select ? 0x80 : 0) }

    /// Reads the qualifier bits of an SCO/DCO octet.
    init(octet: UInt8) { self.init(qualifier: (octet >> 2) & 0x1F, select: octet & 0x80 != 0) }
}

/// The qualifier of a set-point command (QOS).
public struct SetpointQualifier: Hashable, Sendable {
    /// QL, 0...127 (0 is the default; higher bits are dropped).
    public var qualifier: UInt8
    /// S/E (0x80): select (true) or execute.
    public var select: Bool

    /// Creates a set-point qualifier.
    public init(qualifier: UInt8 = 0, select: Bool = false) {
        self.qualifier = qualifier
        self.select = select
    }

    /// The QOS octet.
    var octet: UInt8 { (qualifier & 0x7F) | (select ? 0x80 : 0) }

    /// Reads a QOS octet.
    init(octet: UInt8) { self.init(qualifier: octet & 0x7F, select: octet & 0x80 != 0) }
}

/// The cause of initialization (COI) of M_EI_NA_1.
public struct CauseOfInitialization: Hashable, Sendable {
    /// The cause, 0...127: 0 local power on, 1 local manual reset, 2 remote reset (higher bits are dropped).
    public var cause: UInt8
    /// Bit 7: initialized after a change of local parameters (rather than unchanged).
    public var afterParameterChange: Bool

    /// Creates a cause of initialization.
    public init(cause: UInt8, afterParameterChange: Bool = false) {
        self.cause = cause
        self.afterParameterChange = afterParameterChange
    }

    /// The COI octet.
    var octet: UInt8 { (cause & 0x7F) | (afterParameterChange ? 0x80 : 0) }

    /// Reads a COI octet.
    init(octet: UInt8) { self.init(cause: octet & 0x7F, afterParameterChange: octet & 0x80 != 0) }
}

/// The qualifier of counter interrogation (QCC) of C_CI_NA_1.
public struct CounterInterrogationQualifier: Hashable, Sendable {
    /// RQT, 0...63: 1–4 counter groups, 5 general request (higher bits are dropped).
    public var request: UInt8
    /// FRZ, 0...3: 0 read, 1 freeze, 2 freeze and reset, 3 reset (higher bits are dropped).
    public var freeze: UInt8

    /// Creates a counter interrogation qualifier.
    public init(request: UInt8, freeze: UInt8 = 0) {
        self.request = request
        self.freeze = freeze
    }

    /// The QCC octet: RQT in bits 0–5, FRZ in bits 6–7.
    var octet: UInt8 { (request & 0x3F) | (freeze & 0x03) << 6 }

    /// Reads a QCC octet.
    init(octet: UInt8) { self.init(request: octet & 0x3F, freeze: octet >> 6) }
}
