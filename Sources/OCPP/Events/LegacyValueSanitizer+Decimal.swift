extension LegacyValueSanitizer {
    /// The value of the strict decimal spelled by the UTF-8 `bytes`, finite, else nil.
    static func decimal(_ bytes: some RandomAccessCollection<UInt8>) -> Double? {
        guard let scanned = DecimalScan(bytes) else { return nil }
        if let exact = ExactDecimal.value(mantissa: scanned.mantissa.value,
                                          significantDigits: scanned.mantissa.significantDigits,
                                          exponent: scanned.exponent, negative: scanned.negative) {
            return exact
        }
        // The grammar is checked first because Double(_:) also takes "nan", "inf" and hexadecimal.
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}

/// The parts of a strict decimal `[+-]digits[.digits][e[+-]digits]` with at least one digit before the exponent.
private struct DecimalScan {
    /// The digits before the exponent.
    var mantissa = DecimalMantissa()
    /// The power of ten the mantissa is scaled by: the written exponent less the fraction digits.
    var exponent = 0
    /// Whether a minus sign leads.
    var negative = false

    /// Scans `bytes`, or returns nil when they do not follow the grammar.
    init?(_ bytes: some RandomAccessCollection<UInt8>) {
        var index = bytes.startIndex
        func next() -> UInt8? { index == bytes.endIndex ? nil : bytes[index] }
        func nextIsDigit() -> Bool { next().map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false }
        if let sign = next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes.formIndex(after: &index)
        }
        var digits = 0
        while nextIsDigit() {
            mantissa.append(bytes[index])
            digits += 1
            bytes.formIndex(after: &index)
        }
        if next() == UInt8(ascii: ".") {
            bytes.formIndex(after: &index)
            while nextIsDigit() {
                mantissa.append(bytes[index])
                digits += 1
                exponent -= 1
                bytes.formIndex(after: &index)
            }
        }
        guard digits > 0 else { return nil }
        if let e = next(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes.formIndex(after: &index)
            var sign = 1
            if let written = next(), written == UInt8(ascii: "+") || written == UInt8(ascii: "-") {
                if written == UInt8(ascii: "-") { sign = -1 }
                bytes.formIndex(after: &index)
            }
            guard nextIsDigit() else { return nil }
            var written = 0
            while nextIsDigit() {
                // Clamped: anything this large is 0 or infinity anyway, and strtod decides which.
                written = min(written * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 1_000_000)
                bytes.formIndex(after: &index)
            }
            exponent += sign * written
        }
        guard index == bytes.endIndex else { return nil }
    }
}
