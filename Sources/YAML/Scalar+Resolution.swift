/// YAML 1.2 core-schema resolution of plain scalars; quoted scalars are always strings.
extension Scalar {
    private static let strTag = "tag:yaml.org,2002:str"
    private static let intTag = "tag:yaml.org,2002:int"
    private static let floatTag = "tag:yaml.org,2002:float"
    private static let boolTag = "tag:yaml.org,2002:bool"
    private static let nullTag = "tag:yaml.org,2002:null"

    private var resolvable: Bool {
        if let tag { return tag != Self.strTag }
        return style == .plain
    }

    /// True for `~`, `null`, `Null`, `NULL` and an empty plain scalar.
    public var isNull: Bool {
        if tag == Self.nullTag { return true }
        guard resolvable, tag == nil else { return false }
        switch value {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// The boolean of `true`/`True`/`TRUE`/`false`/`False`/`FALSE`; nil otherwise (`yes`/`on` are strings).
    public var bool: Bool? {
        guard resolvable, tag == nil || tag == Self.boolTag else { return nil }
        switch value {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// The integer of a decimal, `0x` hexadecimal or `0o` octal plain scalar; nil otherwise or on overflow.
    public var int: Int? {
        guard resolvable, tag == nil || tag == Self.intTag else { return nil }
        var text = Substring(value)
        var negative = false
        if let first = text.first, first == "-" || first == "+" {
            negative = first == "-"
            text = text.dropFirst()
        }
        var radix = 10
        if text.hasPrefix("0x") { radix = 16; text = text.dropFirst(2) }
        else if text.hasPrefix("0o") { radix = 8; text = text.dropFirst(2) }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isHexDigit }),
              let magnitude = Int(text, radix: radix) else { return nil }
        if radix != 10, value.first == "-" || value.first == "+" { return nil }
        return negative ? -magnitude : magnitude
    }

    /// The number of an integer or a finite decimal/exponent plain scalar; `.inf` and `.nan` are not numbers here.
    public var double: Double? {
        if let i = int { return Double(i) }
        guard resolvable, tag == nil || tag == Self.floatTag else { return nil }
        guard !value.isEmpty, value.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2D || byte == 0x2B || byte == 0x65 || byte == 0x45
        }), value.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard let d = Double(value), d.isFinite else { return nil }
        return d
    }

    /// The text when the scalar resolves to a string (quoted, `!!str`, or plain and not null/bool/number).
    public var string: String? {
        if tag == Self.strTag || style != .plain { return value }
        if isNull || bool != nil || double != nil { return nil }
        return value
    }
}
