/// Appends little-endian fields to an octet array (IEC 60870-5 sends multi-octet fields low octet first).
struct ByteWriter {
    /// The octets written so far.
    private(set) var bytes: [UInt8] = []

    /// Appends one octet.
    mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Appends the low `count` octets of `value`, least significant first.
    mutating func write(_ value: UInt32, octets count: Int) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(index)))) }
    }

    /// Appends a 16-bit value, least significant octet first.
    mutating func write(_ value: UInt16) { write(UInt32(value), octets: 2) }

    /// Appends a 16-bit two's-complement value.
    mutating func write(_ value: Int16) { write(UInt16(bitPattern: value)) }

    /// Appends a 32-bit two's-complement value.
    mutating func write(_ value: Int32) { write(UInt32(bitPattern: value), octets: 4) }

    /// Appends an IEEE 754 single, little endian.
    mutating func write(_ value: Float) { write(value.bitPattern, octets: 4) }
}

/// Reads little-endian fields from octets; every read is bounds-checked and throws instead of trapping.
struct ByteReader {
    /// The octets being read.
    private let bytes: [UInt8]
    /// The index of the next octet to read.
    private(set) var offset: Int

    /// Starts reading `bytes` at `offset`.
    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Octets not yet read.
    var remaining: Int { max(0, bytes.count - offset) }

    /// Reads one octet.
    mutating func readUInt8() throws(ASDUDecodingError) -> UInt8 {
        guard offset >= 0, offset < bytes.count else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads `count` (at most 4) octets as an unsigned little-endian number.
    mutating func readUInt32(octets count: Int) throws(ASDUDecodingError) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<min(count, 4) { value |= UInt32(try readUInt8()) << (8 * UInt32(index)) }
        return value
    }

    /// Reads a 16-bit unsigned value.
    mutating func readUInt16() throws(ASDUDecodingError) -> UInt16 {
        UInt16(truncatingIfNeeded: try readUInt32(octets: 2))
    }

    /// Reads a 16-bit two's-complement value.
    mutating func readInt16() throws(ASDUDecodingError) -> Int16 { Int16(bitPattern: try readUInt16()) }

    /// Reads a 32-bit two's-complement value.
    mutating func readInt32() throws(ASDUDecodingError) -> Int32 { Int32(bitPattern: try readUInt32(octets: 4)) }

    /// Reads an IEEE 754 single.
    mutating func readFloat() throws(ASDUDecodingError) -> Float { Float(bitPattern: try readUInt32(octets: 4)) }
}
