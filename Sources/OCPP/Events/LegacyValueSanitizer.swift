/// Reads an OCPP 1.6 `value` string the way real chargers write it, never inventing a number.
///
/// The old driver's hot fix stripped `kW` and returned 0.0 on failure, a lie to the grid operator; here a
/// value that cannot be read is nil and says why, so the runtime can send the last value with quality IV.
public enum LegacyValueSanitizer {
    /// What a value string says.
    public struct Reading: Hashable, Sendable {
        /// The number, or nil when the text is not one.
        public var value: Double?
        /// The normalized unit written inside the value (`"14.4kW"` → `kW`), if any.
        public var unitInside: String?
        /// What was repaired or noted, in order.
        public var repairs: [ValueRepair]
    }

    /// Reads `text`: a strict decimal, or (with repairs) one with surrounding blanks, a decimal comma or a unit.
    public static func read(_ text: String) -> Reading {
        var bytes = text
        return bytes.withUTF8 { utf8 in
            // Nearly every value is a plain decimal: it has no blanks, so trimming would change nothing.
            if let value = decimal(utf8) { return Reading(value: value, unitInside: nil, repairs: []) }
            return utf8.allSatisfy { $0 < 0x80 } ? readASCII(utf8[...], text) : readCharacters(text)
        }
    }

    /// `read` character by character, as any text must be: a combining mark belongs to the character before it.
    static func readCharacters(_ text: String) -> Reading {
        var repairs: [ValueRepair] = []
        let trimmed = trim(Substring(text))
        if trimmed.count != text.count, !trimmed.isEmpty { repairs.append(.surroundingWhitespace) }
        if let value = decimal(trimmed) { return Reading(value: value, unitInside: nil, repairs: repairs) }
        let unreadable = Reading(value: nil, unitInside: nil, repairs: [.unreadableValue(text)])
        let numberPart = trimmed.prefix(while: isNumberCharacter)
        let unitPart = trim(trimmed[numberPart.endIndex...])
        var value: Double
        if let plain = decimal(numberPart) {
            value = plain
        } else if numberPart.filter({ $0 == "," }).count == 1, !numberPart.contains("."),
            let comma = decimal(Substring(numberPart.map { $0 == "," ? "." : $0 }))
        {
            // One comma and no point: a decimal comma. `1.234,5` stays unreadable rather than guessed.
            value = comma
            repairs.append(.decimalComma)
        } else {
            return unreadable
        }
        guard !unitPart.isEmpty else { return Reading(value: value, unitInside: nil, repairs: repairs) }
        // Inside a value any spelling counts (it is a repair either way); an unknown unit makes it unreadable.
        switch MeterVocabulary.unit(String(unitPart), version: .v16) {
        case .standard(let unit), .respelled(let unit):
            repairs.append(.unitInsideValue(unit))
            return Reading(value: value, unitInside: unit, repairs: repairs)
        case .unknown:
            return unreadable
        }
    }

    /// The value of a strict decimal `[+-]digits[.digits][e[+-]digits]` (or `.5`, `5.`), finite, else nil.
    public static func decimal(_ text: Substring) -> Double? {
        var bytes = text
        return bytes.withUTF8 { decimal($0) }
    }

    /// `decimal` of a whole string, without making a substring of it first.
    static func decimal(_ text: String) -> Double? {
        var bytes = text
        return bytes.withUTF8 { decimal($0) }
    }

    /// Whether `character` can belong to the number at the front of a value with a unit.
    private static func isNumberCharacter(_ character: Character) -> Bool {
        // `e` is left out: no unit starts with it, and `1e3` is already a strict decimal.
        "0123456789+-.,".contains(character)
    }

    /// `text` without leading and trailing blanks.
    private static func trim(_ text: Substring) -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return text[text.endIndex...] }
        return text[first...last]
    }
}
