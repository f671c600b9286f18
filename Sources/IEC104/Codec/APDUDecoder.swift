/// The outcome of looking for one APDU at the start of a receive buffer.
public enum APDUDecodingResult: Hashable, Sendable {
    /// The buffer holds only the beginning of a frame; read more bytes and try again.
    case needMoreData
    /// A complete frame, which occupied the first `consumedBytes` octets of the buffer.
    case frame(APDU, consumedBytes: Int)
    /// The bytes cannot be a valid frame; the connection should be closed.
    case failure(APDUDecodingError)
}

/// Why received bytes are not a valid APDU.
public enum APDUDecodingError: Error, Hashable, Sendable {
    /// The first octet is not 0x68.
    case badStartByte(UInt8)
    /// The length octet is below the 4 octets of the control field.
    case lengthTooShort(Int)
    /// The length octet exceeds 253.
    case lengthTooLong(Int)
    /// The control octets match no frame format (or set bits the standard keeps zero).
    case invalidControlField([UInt8])
    /// A U-frame sets no function bit.
    case missingUFunction
    /// A U-frame sets several function bits at once.
    case multipleUFunctions(UInt8)
    /// An I-frame without ASDU octets.
    case emptyASDU
    /// An S- or U-frame followed by ASDU octets it cannot carry.
    case unexpectedPayload(length: Int)
}

/// Splits a byte stream into APDUs without ever trapping, whatever the bytes.
public enum APDUDecoder {
    /// Decodes the first APDU of `buffer`, which must start at a frame boundary.
    public static func decode(_ buffer: some Collection<UInt8>) -> APDUDecodingResult {
        // Copying at most one frame keeps index arithmetic simple and safe for any Collection.
        let head = Array(buffer.prefix(2 + APDU.maximumLength))
        guard let start = head.first else { return .needMoreData }
        guard start == APDU.startByte else { return .failure(.badStartByte(start)) }
        guard head.count >= 2 else { return .needMoreData }
        let length = Int(head[1])
        guard length >= APDU.controlFieldLength else { return .failure(.lengthTooShort(length)) }
        guard length <= APDU.maximumLength else { return .failure(.lengthTooLong(length)) }
        let total = 2 + length
        guard head.count >= total else { return .needMoreData }
        let control = Array(head[2..<6])
        let payload = Array(head[6..<total])
        switch decodeBody(control: control, payload: payload) {
        case let .success(apdu): return .frame(apdu, consumedBytes: total)
        case let .failure(error): return .failure(error)
        }
    }

    /// Interprets the control field and the octets after it.
    private static func decodeBody(control c: [UInt8], payload: [UInt8]) -> Result<APDU, APDUDecodingError> {
        guard c.count == APDU.controlFieldLength else { return .failure(.invalidControlField(c)) }
        if c[0] & 0x01 == 0 {
            // I-frame: bit 0 of the third octet is reserved as 0.
            guard c[2] & 0x01 == 0 else { return .failure(.invalidControlField(c)) }
            guard !payload.isEmpty else { return .failure(.emptyASDU) }
            return .success(.information(send: sequence(c[0], c[1]), receive: sequence(c[2], c[3]), asdu: payload))
        }
        if c[0] & 0x03 == 0x01 {
            // S-frame: everything but the format bits of the first two octets is zero.
            guard c[0] == 0x01, c[1] == 0, c[2] & 0x01 == 0 else { return .failure(.invalidControlField(c)) }
            guard payload.isEmpty else { return .failure(.unexpectedPayload(length: payload.count)) }
            return .success(.supervisory(receive: sequence(c[2], c[3])))
        }
        // U-frame (format bits 11): only one function bit, and octets 2–4 are zero.
        guard c[1] == 0, c[2] == 0, c[3] == 0 else { return .failure(.invalidControlField(c)) }
        let bits = c[0] & 0xFC
        guard bits != 0 else { return .failure(.missingUFunction) }
        guard bits & (bits - 1) == 0, let function = UFunction(rawValue: bits) else {
            return .failure(.multipleUFunctions(bits))
        }
        guard payload.isEmpty else { return .failure(.unexpectedPayload(length: payload.count)) }
        return .success(.unnumbered(function))
    }

    /// A 15-bit sequence number from two control octets (low octet shifted left by one).
    private static func sequence(_ low: UInt8, _ high: UInt8) -> SequenceNumber {
        SequenceNumber(masking: UInt16(low >> 1) | UInt16(high) << 7)
    }
}
