/// Why bytes are not an acceptable JSON text, with the byte offset and the JSON path where reading stopped.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable, CustomStringConvertible {
        /// The input ended inside a value (or held no value at all).
        case unexpectedEnd
        /// A byte that cannot start or continue the value being read.
        case unexpectedByte(UInt8)
        /// A number that breaks the RFC 8259 grammar: leading zeros, `1.`, `.5`, `+1`, `NaN`, `Infinity`, ….
        case invalidNumber
        /// A backslash followed by something other than `" \ / b f n r t u`.
        case invalidEscape
        /// `\u` not followed by four hexadecimal digits.
        case invalidUnicodeEscape
        /// A `\u` escape of a UTF-16 surrogate without its partner.
        case loneSurrogate
        /// A byte below 0x20 written inside a string instead of escaped.
        case controlCharacterInString
        /// Bytes inside a string that are not well-formed UTF-8; the offset is where the bad sequence starts.
        case invalidUTF8
        /// Something other than whitespace after the value.
        case trailingContent
        /// Arrays and objects nested deeper than the limit.
        case tooDeep(limit: Int)
        /// The input is longer than the limit in bytes.
        case tooLong(limit: Int)
        /// An object names the same key twice.
        case duplicateKey(String)

        /// A short phrase for logs, e.g. `unexpected byte 0x78 'x'`.
        public var description: String {
            switch self {
            case .unexpectedEnd: return "unexpected end of input"
            case .unexpectedByte(let byte): return "unexpected byte \(JSONError.describe(byte))"
            case .invalidNumber: return "invalid number"
            case .invalidEscape: return "invalid escape sequence"
            case .invalidUnicodeEscape: return "invalid \\u escape"
            case .loneSurrogate: return "lone UTF-16 surrogate in \\u escape"
            case .controlCharacterInString: return "unescaped control character in string"
            case .invalidUTF8: return "invalid UTF-8"
            case .trailingContent: return "content after the JSON value"
            case .tooDeep(let limit): return "nesting deeper than \(limit) levels"
            case .tooLong(let limit): return "input longer than \(limit) bytes"
            case .duplicateKey(let key): return "duplicate key \(JSONWriter.quoted(key))"
            }
        }
    }

    /// What went wrong.
    public var kind: Kind
    /// The zero-based byte offset of the offending byte (the input's length when it ended too early).
    public var offset: Int
    /// Where in the document reading stopped, e.g. `$[3].sampledValue[0].value`; `$` is the whole text.
    public var path: String

    /// Creates an error.
    public init(_ kind: Kind, offset: Int, path: String = "$") {
        self.kind = kind
        self.offset = offset
        self.path = path
    }

    /// One line for logs, e.g. `invalid number at byte 17 ($[3].meterValue[0])`.
    public var description: String { "\(kind) at byte \(offset) (\(path))" }

    /// `0x78 'x'` for printable ASCII, `0xC3` otherwise, so a log line never carries raw control bytes.
    static func describe(_ byte: UInt8) -> String {
        let hex = "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        guard (0x21...0x7E).contains(byte) else { return hex }
        return "\(hex) '\(Character(Unicode.Scalar(byte)))'"
    }
}

/// Bounds that keep a hostile peer from making the reader spend unbounded stack, time or memory.
public struct JSONLimits: Hashable, Sendable {
    /// The deepest nesting of arrays and objects accepted; it also bounds the reader's recursion.
    public var maximumDepth: Int
    /// The longest input accepted, in bytes.
    public var maximumLength: Int

    /// Creates limits; the defaults suit OCPP-J frames.
    public init(maximumDepth: Int = 64, maximumLength: Int = 1 << 20) {
        self.maximumDepth = maximumDepth
        self.maximumLength = maximumLength
    }

    /// 64 levels and 1 MiB: far beyond any OCPP message, far below what could hurt the gateway.
    public static let `default` = JSONLimits()
}

extension JSONError {
    /// This error with `step` put in front of its path, as it unwinds out of a container.
    func inside(_ step: String) -> JSONError {
        var error = self
        error.path = step + path
        return error
    }

    /// The path step for an object member: `.key` when the key is an identifier, `["key"]` otherwise.
    static func step(_ key: String) -> String {
        let isIdentifier = key.utf8.first.map { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } == true
            && key.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
                default: false
                }
            }
        return isIdentifier ? "." + key : "[" + JSONWriter.quoted(key) + "]"
    }
}
