extension LegacyValueSanitizer {
    /// `readCharacters` for ASCII text, byte by byte, with the same outcome: in ASCII every character is one
    /// byte except CR LF, one blank character of two blank bytes, which trimming removes either way and which
    /// ends the number part either way.
    static func readASCII(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ text: String) -> Reading {
        var repairs: [ValueRepair] = []
        let trimmed = trim(bytes)
        if trimmed.count != bytes.count, !trimmed.isEmpty { repairs.append(.surroundingWhitespace) }
        if let value = decimal(trimmed) { return Reading(value: value, unitInside: nil, repairs: repairs) }
        let unreadable = Reading(value: nil, unitInside: nil, repairs: [.unreadableValue(text)])
        let numberPart = trimmed.prefix(while: isNumberByte)
        let unitPart = trim(trimmed[numberPart.endIndex...])
        var value: Double
        if let plain = decimal(numberPart) {
            value = plain
        } else if numberPart.filter({ $0 == UInt8(ascii: ",") }).count == 1, !numberPart.contains(UInt8(ascii: ".")),
            let comma = decimal(numberPart.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ".") : $0 })
        {
            // One comma and no point: a decimal comma. `1.234,5` stays unreadable rather than guessed.
            value = comma
            repairs.append(.decimalComma)
        } else {
            return unreadable
        }
        guard !unitPart.isEmpty else { return Reading(value: value, unitInside: nil, repairs: repairs) }
        // Inside a value any spelling counts (it is a repair either way); an unknown unit makes it unreadable.
        switch MeterVocabulary.unit(String(decoding: unitPart, as: UTF8.self), version: .v16) {
        case .standard(let unit), .respelled(let unit):
            repairs.append(.unitInsideValue(unit))
            return Reading(value: value, unitInside: unit, repairs: repairs)
        case .unknown:
            return unreadable
        }
    }

    /// Whether `byte` can belong to the number at the front of a value with a unit (as `isNumberCharacter`).
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: ","): true
        default: false
        }
    }

    /// `bytes` without leading and trailing blanks (space, tab, CR, LF).
    private static func trim(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) })
        else { return bytes[bytes.endIndex...] }
        return bytes[first...last]
    }
}
