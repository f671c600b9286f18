extension JSONValue {
    /// The compact JSON text of this value: no whitespace, keys in object order, numbers as written.
    public func serialized() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the compact JSON text of this value as UTF-8.
    public func write(into bytes: inout [UInt8]) {
        // Recursion is bounded by the value's depth, which the reader caps for anything received.
        switch self {
        case .null: JSONWriter.append("null", to: &bytes)
        case .bool(let value): JSONWriter.append(value ? "true" : "false", to: &bytes)
        case .number(let number): bytes.append(contentsOf: number.text.utf8)
        case .string(let string): JSONWriter.writeString(string, into: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for key in object.keys {
                guard let value = object[key] else { continue }
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.writeString(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

/// String escaping shared by the writer and by error paths.
enum JSONWriter {
    /// `string` as a JSON string literal, quotes included.
    static func quoted(_ string: String) -> String {
        var bytes: [UInt8] = []
        writeString(string, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ASCII text without going through String's UTF-8 view.
    static func append(_ text: StaticString, to bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `string` quoted; only `"`, `\` and control characters are escaped (RFC 8259 §7), the rest stays UTF-8.
    static func writeString(_ string: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { escape($0, into: &bytes) }
        if done == nil { escape(Array(string.utf8)[...], into: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Copies runs of plain bytes in one go, escaping the bytes between them.
    private static func escape<Bytes: Collection<UInt8>>(_ utf8: Bytes, into bytes: inout [UInt8]) {
        var runStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                utf8.formIndex(after: &index)
                continue
            }
            bytes.append(contentsOf: utf8[runStart..<index])
            bytes.append(UInt8(ascii: "\\"))
            if byte < 0x20 {
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0x0F))
            } else {
                bytes.append(byte)
            }
            utf8.formIndex(after: &index)
            runStart = index
        }
        bytes.append(contentsOf: utf8[runStart..<index])
    }

    /// The lower-case hexadecimal digit for a nibble (0–15).
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
