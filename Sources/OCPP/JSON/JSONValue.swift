/// A JSON value as received: numbers keep their text, objects keep their key order.
public enum JSONValue: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, with the text it was written as.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object(JSONObject)
}

/// A JSON number: its text as written (so `14.40` and `1.44e1` stay what the charger sent) and its value.
public struct JSONNumber: Hashable, Sendable {
    /// The text as written, e.g. `-14.40`.
    public let text: String
    /// The value as a Double (every valid JSON number has one, possibly rounded or infinite).
    public let double: Double

    /// Creates a number from its text, or nil when the text is not a JSON number.
    public init?(text: String) {
        guard let value = Double(text), JSONNumber.isValidText(text) else { return nil }
        self.text = text
        double = value
    }

    /// A number whose text the reader has already checked against the grammar, with its value.
    init(checkedText text: String, double: Double) {
        self.text = text
        self.double = double
    }

    /// Creates a number for a value (written in Swift's shortest round-trip form; integers without ".0").
    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            text = String(Int64(value))
        } else {
            text = value.isFinite ? "\(value)" : "0"
        }
        double = value.isFinite ? value : 0
    }

    /// Creates a number for an integer.
    public init(_ value: Int) {
        text = String(value)
        double = Double(value)
    }

    /// The value as an Int when it is a whole number in range, nil otherwise.
    public var int: Int? {
        guard double == double.rounded(), let exact = Int(exactly: double) else { return nil }
        return exact
    }

    /// Whether `text` follows the JSON number grammar (RFC 8259 §6).
    static func isValidText(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, isDigit(first) else { return false }
        if first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else {
            bytes = bytes.drop(while: isDigit)
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard let digit = bytes.first, isDigit(digit) else { return false }
            bytes = bytes.drop(while: isDigit)
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard let digit = bytes.first, isDigit(digit) else { return false }
            bytes = bytes.drop(while: isDigit)
        }
        return bytes.isEmpty
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
