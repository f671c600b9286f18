extension JSONReader {
    /// Reads a string starting at its opening quote; strings without escapes are decoded straight from the input.
    /// Sets `lastStringIsASCII` to whether the string is known to be all ASCII (false for any escape).
    mutating func readString() throws(JSONError) -> String {
        position += 1
        let start = position
        var index = start
        var isASCII = true
        while true {
            index = endOfPlainASCII(from: index)
            guard index < bytes.count else { throw fail(.unexpectedEnd, at: bytes.count) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                lastStringIsASCII = isASCII
                return Self.string(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            }
            if byte == UInt8(ascii: "\\") {
                lastStringIsASCII = false
                return try readEscapedString(from: start, firstEscape: index)
            }
            if byte < 0x20 { throw fail(.controlCharacterInString, at: index) }
            index = try endOfUTF8Sequence(at: index)
            isASCII = false
        }
    }

    /// The string of `utf8`, which the reader has already checked to be well-formed UTF-8.
    ///
    /// Copied into a string built in place rather than decoded: for the short names and values a frame is made
    /// of, that takes a third fewer instructions (the check it still makes is a fast one for valid input).
    static func string(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: utf8.count) { $0.initialize(fromContentsOf: utf8) }
    }

    /// The offset of the first byte from `start` on that a string cannot simply copy: a quote, a backslash, a
    /// control byte or a non-ASCII byte (or the end of the input).
    ///
    /// Strings are most of an OCPP frame, so it looks at eight bytes at a time: one unaligned load from the
    /// input, taken only while eight bytes remain, so it never reads past the buffer.
    func endOfPlainASCII(from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while bytes.count - index >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let special = Self.specialBytes(in: word)
                if special != 0 { return index + special.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count, Self.isPlainASCII(bytes[index]) { index += 1 }
        return index
    }

    /// Whether a string can simply copy `byte`: printable ASCII other than a quote or a backslash.
    static func isPlainASCII(_ byte: UInt8) -> Bool {
        (0x20..<0x80).contains(byte) && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    /// The high bit of the first byte of `word` (in memory order, its lowest byte first) that is a quote, a
    /// backslash, below 0x20 or above 0x7F is set; any bits above it may be set too, none below it.
    ///
    /// Each test is the classic bitwise one: subtracting 1 (or 0x20) from every byte sets a byte's high bit
    /// where the byte was 0 (or below 0x20), and a borrow only ever runs upward from a byte that matched.
    static func specialBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highBits }
        let control = (word &- ones &* 0x20) & ~word & highBits
        let quote = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
        let backslash = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
        return control | quote | backslash | word & highBits
    }

    /// Finishes a string that contains escapes, decoding it into `scratch`.
    private mutating func readEscapedString(from start: Int, firstEscape: Int) throws(JSONError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<firstEscape]))
        var index = firstEscape
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return scratch.withUnsafeBufferPointer(Self.string)
            }
            if byte == UInt8(ascii: "\\") {
                index = try readEscape(at: index)
            } else if byte < 0x20 {
                throw fail(.controlCharacterInString, at: index)
            } else if byte < 0x80 {
                scratch.append(byte)
                index += 1
            } else {
                let end = try endOfUTF8Sequence(at: index)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                index = end
            }
        }
        throw fail(.unexpectedEnd, at: bytes.count)
    }

    /// Decodes the escape whose backslash is at `backslash` into `scratch`; returns the offset after it.
    private mutating func readEscape(at backslash: Int) throws(JSONError) -> Int {
        let next = backslash + 1
        guard next < bytes.count else { throw fail(.unexpectedEnd, at: bytes.count) }
        let decoded: UInt8
        switch bytes[next] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = bytes[next]
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"): return try readUnicodeEscape(at: backslash)
        default: throw fail(.invalidEscape, at: backslash)
        }
        scratch.append(decoded)
        return next + 1
    }

    /// Decodes `\uXXXX`, or a surrogate pair written as two of them; a surrogate alone is an error.
    private mutating func readUnicodeEscape(at backslash: Int) throws(JSONError) -> Int {
        let unit = try readHexQuad(escapeAt: backslash)
        var end = backslash + 6
        var scalar = unit
        switch unit {
        case 0xD800...0xDBFF:
            guard end < bytes.count else { throw fail(.unexpectedEnd, at: bytes.count) }
            guard bytes[end] == UInt8(ascii: "\\") else { throw fail(.loneSurrogate, at: backslash) }
            guard end + 1 < bytes.count else { throw fail(.unexpectedEnd, at: bytes.count) }
            guard bytes[end + 1] == UInt8(ascii: "u") else { throw fail(.loneSurrogate, at: backslash) }
            let low = try readHexQuad(escapeAt: end)
            guard (0xDC00...0xDFFF).contains(low) else { throw fail(.loneSurrogate, at: backslash) }
            scalar = 0x10000 + (unit - 0xD800) << 10 + (low - 0xDC00)
            end += 6
        case 0xDC00...0xDFFF:
            throw fail(.loneSurrogate, at: backslash)
        default:
            break
        }
        appendUTF8(scalar)
        return end
    }

    /// The four hexadecimal digits after the `\u` at `escapeAt`.
    private func readHexQuad(escapeAt: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for offset in escapeAt + 2..<escapeAt + 6 {
            guard offset < bytes.count else { throw fail(.unexpectedEnd, at: bytes.count) }
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidUnicodeEscape, at: escapeAt)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Appends a scalar value (never a surrogate, at most 0x10FFFF) to `scratch` as UTF-8.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(0xC0 | UInt8(scalar >> 6))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        case ..<0x10000:
            scratch.append(0xE0 | UInt8(scalar >> 12))
            scratch.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(scalar >> 18))
            scratch.append(0x80 | UInt8(scalar >> 12 & 0x3F))
            scratch.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        }
    }

    /// The offset after the well-formed UTF-8 sequence whose lead byte is at `index` (Unicode table 3-7), or
    /// `invalidUTF8` at the lead byte: overlong forms, encoded surrogates, values past U+10FFFF, truncation.
    private func endOfUTF8Sequence(at index: Int) throws(JSONError) -> Int {
        let length: Int
        let second: ClosedRange<UInt8>
        switch bytes[index] {
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: throw fail(.invalidUTF8, at: index)
        }
        guard bytes.count - index >= length, second.contains(bytes[index + 1]) else {
            throw fail(.invalidUTF8, at: index)
        }
        for offset in index + 2..<index + length where bytes[offset] & 0xC0 != 0x80 {
            throw fail(.invalidUTF8, at: index)
        }
        return index + length
    }
}
