/// One application protocol data unit: the APCI (start, length, control field) with the ASDU octets of an I-frame.
///
/// The ASDU stays raw here on purpose: framing errors close the connection, while a bad ASDU is answered
/// in-protocol (e.g. COT 44 unknown type), so the two are decoded in separate steps.
public enum APDU: Hashable, Sendable {
    /// Information transfer frame carrying one ASDU (1...249 octets).
    case information(send: SequenceNumber, receive: SequenceNumber, asdu: [UInt8])
    /// Supervisory frame acknowledging every I-frame before N(R).
    case supervisory(receive: SequenceNumber)
    /// Unnumbered control frame.
    case unnumbered(UFunction)
}

extension APDU {
    /// The first octet of every APDU.
    public static let startByte: UInt8 = 0x68
    /// The octets of the control field.
    public static let controlFieldLength = 4
    /// The largest value of the length octet (control field plus ASDU).
    public static let maximumLength = 253
    /// The largest ASDU an I-frame can carry (253 − 4).
    public static let maximumASDULength = maximumLength - controlFieldLength

    /// The wire octets: 0x68, length, four control octets, then the ASDU of an I-frame.
    public func encoded() throws(APDUEncodingError) -> [UInt8] {
        switch self {
        case let .information(send, receive, asdu):
            guard !asdu.isEmpty else { throw .emptyASDU }
            guard asdu.count <= Self.maximumASDULength else {
                throw .asduTooLong(length: asdu.count, maximum: Self.maximumASDULength)
            }
            var bytes: [UInt8] = [Self.startByte, UInt8(Self.controlFieldLength + asdu.count)]
            bytes.reserveCapacity(2 + Self.controlFieldLength + asdu.count)
            // N(S) and N(R) sit shifted left by one; bit 0 of the first octet (0) marks an I-frame.
            bytes += Self.sequenceOctets(send, flag: 0)
            bytes += Self.sequenceOctets(receive, flag: 0)
            bytes += asdu
            return bytes
        case let .supervisory(receive):
            return [Self.startByte, 4, 0x01, 0x00] + Self.sequenceOctets(receive, flag: 0)
        case let .unnumbered(function):
            return [Self.startByte, 4, function.rawValue | 0x03, 0x00, 0x00, 0x00]
        }
    }

    /// Two control octets holding a 15-bit sequence number above a 1-bit flag.
    private static func sequenceOctets(_ number: SequenceNumber, flag: UInt8) -> [UInt8] {
        [UInt8(truncatingIfNeeded: number.rawValue << 1) | flag, UInt8(truncatingIfNeeded: number.rawValue >> 7)]
    }
}

/// Why an APDU could not be encoded.
public enum APDUEncodingError: Error, Hashable, Sendable {
    /// An I-frame must carry at least one ASDU octet.
    case emptyASDU
    /// The ASDU exceeds the 249 octets the length octet allows.
    case asduTooLong(length: Int, maximum: Int)
}
