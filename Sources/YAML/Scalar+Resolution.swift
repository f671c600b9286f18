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
        var digits = Substring(value)
        let signed = digits.first == "-" || digits.first == "+"
        let negative = digits.first == "-"
        if signed { digits = digits.dropFirst() }
        var radix = 10
        if !signed, digits.hasPrefix("0x") { radix = 16; digits = digits.dropFirst(2) }
        else if !signed, digits.hasPrefix("0o") { radix = 8; digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.utf8.allSatisfy(Self.isHexDigit) else { return nil }
        return Int((negative ? "-" : "") + digits, radix: radix)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
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

    /// The text when the scalar resolves to a string: quoted or `!!str`, or plain and not null/bool/number
    /// (a quoted scalar with an explicit `!!int`, `!!float`, `!!bool` or `!!null` tag resolves by that tag).
    public var string: String? {
        if tag == Self.strTag { return value }
        if isNull || bool != nil || double != nil { return nil }
        return value
    }
}
