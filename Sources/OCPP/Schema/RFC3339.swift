/// RFC 3339 date-time syntax (what JSON Schema's `date-time` format means), checked without Foundation.
enum RFC3339 {
    /// Whether `text` is `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` with fields in range.
    static func isDateTime(_ text: String) -> Bool {
        var text = text
        // The bytes in place: copying them into an array would cost an allocation per timestamp checked.
        return text.withUTF8(isDateTime)
    }

    /// The same check on UTF-8 bytes; every subscript is below a length checked first.
    private static func isDateTime(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var value = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count >= 20, let month = digits(5..<7), let day = digits(8..<10), let hour = digits(11..<13),
              let minute = digits(14..<16), let second = digits(17..<19), digits(0..<4) != nil,
              b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116 || b[10] == 32, b[13] == 58, b[16] == 58,
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return false }
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            let start = i
            while i < b.count, (48...57).contains(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        if b[i] == 90 || b[i] == 122 { return i + 1 == b.count }
        guard b[i] == 43 || b[i] == 45, i + 6 == b.count, let zoneHour = digits(i + 1..<i + 3), b[i + 3] == 58,
              let zoneMinute = digits(i + 4..<i + 6) else { return false }
        return zoneHour < 24 && zoneMinute < 60
    }
}
