/// Reads one JSON text (RFC 8259, strictly) into a `JSONValue`; every OCPP-J frame goes through here.
///
/// Hand-written rather than Foundation's `JSONSerialization` because the gateway needs what that cannot give:
/// - every error carries the exact byte offset and the JSON path reached (`$[3].sampledValue[0].value`), so a
///   rejected frame can be logged and answered precisely;
/// - numbers keep their text as written, so the legacy-charger sanitizer can tell `14.40` from `14.4` and see a
///   quoted `"14.4kW"` as the string it is;
/// - duplicate keys are reported instead of one silently winning;
/// - depth and size limits hold against hostile input;
/// - it is fast on the hot path: MeterValues arrive every second from thousands of chargers.
public enum JSONParser {
    /// Parses exactly one JSON value, optionally surrounded by whitespace.
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        // Checked before copying, so an oversized non-contiguous input is never copied.
        guard bytes.count <= limits.maximumLength else { throw tooLong(limits) }
        if let result = bytes.withContiguousStorageIfAvailable({ read($0, limits: limits) }) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { read($0, limits: limits) }.get()
    }

    /// Parses exactly one JSON value from raw memory, such as a received frame's payload.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maximumLength else { throw tooLong(limits) }
        return try bytes.withMemoryRebound(to: UInt8.self) { read($0, limits: limits) }.get()
    }

    /// Parses exactly one JSON value from text.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        try parse(text.utf8, limits: limits)
    }

    /// The error for input beyond the length limit: it points at the first byte past the limit.
    private static func tooLong(_ limits: JSONLimits) -> JSONError {
        JSONError(.tooLong(limit: limits.maximumLength), offset: max(0, limits.maximumLength))
    }

    /// Runs the reader over contiguous bytes; a Result, because the stdlib's buffer closures do not rethrow typed errors.
    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) -> Result<JSONValue, JSONError> {
        var reader = JSONReader(bytes: bytes, maximumDepth: limits.maximumDepth)
        do throws(JSONError) {
            return .success(try reader.readDocument())
        } catch {
            return .failure(error.inside("$"))
        }
    }
}

/// The recursive-descent reader; errors are thrown with a path relative to the value being read, and each
/// enclosing array or object prefixes its own step as the error unwinds, so the hot path tracks no path at all.
struct JSONReader {
    /// The whole input.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The deepest nesting allowed; recursion never goes deeper than this.
    let maximumDepth: Int
    /// The offset of the next byte to read.
    var position = 0
    /// Reused for strings with escapes, so each one does not allocate its own buffer.
    var scratch: [UInt8] = []
    /// Whether the last string read is known to be all ASCII.
    var lastStringIsASCII = true
    /// Where the key of each member of the objects being read starts, innermost object last, for a
    /// duplicate-key error.
    private var keyOffsets: [Int] = []

    /// Starts reading at the first byte.
    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Room reserved for the elements or members of a container before the first is read: most OCPP
    /// containers fit, so they are built with one allocation, and the values are moved in, never copied.
    private static let typicalCount = 4

    /// Reads the one value the input must consist of.
    mutating func readDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try readValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw fail(.trailingContent) }
        return value
    }

    /// An error at `offset` (by default the current byte), with a path the enclosing containers fill in.
    func fail(_ kind: JSONError.Kind, at offset: Int? = nil) -> JSONError {
        JSONError(kind, offset: offset ?? position, path: "")
    }

    /// Skips the four whitespace bytes RFC 8259 allows between tokens.
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Reads a value; `depth` counts the arrays and objects around it.
    private mutating func readValue(depth: Int) throws(JSONError) -> JSONValue {
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[position] {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "t"): return try readLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try readLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try readLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        case UInt8(ascii: "+"), UInt8(ascii: "."): throw fail(.invalidNumber)
        case let byte:
            // Chargers that print floats with printf emit these; name them as the numbers they meant to be.
            if hasPrefix("NaN") || hasPrefix("Infinity") { throw fail(.invalidNumber) }
            throw fail(.unexpectedByte(byte))
        }
    }

    /// Whether the input continues with `text` at the current position.
    private func hasPrefix(_ text: StaticString) -> Bool {
        guard bytes.count - position >= text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[position + $0] == expected[$0] }
        }
    }

    /// Reads `true`, `false` or `null`, reporting the first byte that differs.
    private mutating func readLiteral(_ text: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let length = text.utf8CodeUnitCount
        let mismatch: Int? = text.withUTF8Buffer { expected in
            (0..<length).first { position + $0 >= bytes.count || bytes[position + $0] != expected[$0] }
        }
        if let mismatch {
            let offset = position + mismatch
            guard offset < bytes.count else { throw fail(.unexpectedEnd, at: bytes.count) }
            throw fail(.unexpectedByte(bytes[offset]), at: offset)
        }
        position += length
        return value
    }

    /// Reads an array; an error inside it gains the index of the element being read.
    private mutating func readArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail(.tooDeep(limit: maximumDepth)) }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array([])
        }
        var elements: [JSONValue] = []
        elements.reserveCapacity(Self.typicalCount)
        var index = 0
        while true {
            do throws(JSONError) {
                let element = try readValue(depth: depth)
                elements.append(element)
                skipWhitespace()
                if try readSeparator(closing: UInt8(ascii: "]")) { return .array(elements) }
            } catch {
                throw error.inside("[\(index)]")
            }
            index += 1
            skipWhitespace()
        }
    }

    /// Reads an object; an error after a key gains that key, and a repeated key is an error.
    private mutating func readObject(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail(.tooDeep(limit: maximumDepth)) }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject())
        }
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(Self.typicalCount)
        let base = keyOffsets.count
        var keysAreASCII = true
        while true {
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[position] == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(bytes[position])) }
            let keyOffset = position
            let key = try readString()
            keysAreASCII = keysAreASCII && lastStringIsASCII
            do throws(JSONError) {
                skipWhitespace()
                guard position < bytes.count else { throw fail(.unexpectedEnd) }
                guard bytes[position] == UInt8(ascii: ":") else { throw fail(.unexpectedByte(bytes[position])) }
                position += 1
                skipWhitespace()
                let value = try readValue(depth: depth)
                members.append((key, value))
                keyOffsets.append(keyOffset)
                skipWhitespace()
                if try readSeparator(closing: UInt8(ascii: "}")) { break }
            } catch {
                throw error.inside(JSONError.step(key))
            }
            skipWhitespace()
        }
        let object: JSONObject
        do throws(JSONObject.RepeatedKey) {
            object = try JSONObject(readMembers: members, keysAreASCII: keysAreASCII)
        } catch {
            let key = members[error.position].key
            throw fail(.duplicateKey(key), at: keyOffsets[base + error.position]).inside(JSONError.step(key))
        }
        keyOffsets.removeLast(keyOffsets.count - base)
        return .object(object)
    }

    /// Consumes `,` (returns false) or the closing bracket (returns true).
    private mutating func readSeparator(closing: UInt8) throws(JSONError) -> Bool {
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        let byte = bytes[position]
        guard byte == closing || byte == UInt8(ascii: ",") else { throw fail(.unexpectedByte(byte)) }
        position += 1
        return byte == closing
    }

    /// Reads a number per the RFC 8259 grammar, keeping its text and computing its value.
    private mutating func readNumber() throws(JSONError) -> JSONNumber {
        let start = position
        var index = position
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa = DecimalMantissa()
        var exponent = 0
        func isDigit(_ offset: Int) -> Bool {
            offset < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset])
        }
        guard isDigit(index) else { throw fail(.invalidNumber, at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw fail(.invalidNumber, at: index) }
        } else {
            while isDigit(index) {
                mantissa.append(bytes[index])
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { throw fail(.invalidNumber, at: index) }
            while isDigit(index) {
                mantissa.append(bytes[index])
                exponent -= 1
                index += 1
            }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var sign = 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                if bytes[index] == UInt8(ascii: "-") { sign = -1 }
                index += 1
            }
            guard isDigit(index) else { throw fail(.invalidNumber, at: index) }
            var written = 0
            while isDigit(index) {
                // Clamped: anything this large is 0 or infinity anyway, and Double(text) decides which.
                written = min(written * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 1_000_000)
                index += 1
            }
            exponent += sign * written
        }
        position = index
        let text = Self.string(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        let exact = ExactDecimal.value(mantissa: mantissa.value, significantDigits: mantissa.significantDigits,
                                       exponent: exponent, negative: negative)
        // The grammar has been checked, so strtod accepts the text; it rounds correctly and overflows to infinity.
        return JSONNumber(checkedText: text, double: exact ?? Double(text) ?? 0)
    }
}
