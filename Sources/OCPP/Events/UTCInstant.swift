/// A point in time a charger reported, in milliseconds since 1970-01-01T00:00:00Z, with the text it sent.
public struct UTCInstant: Hashable, Sendable, Comparable {
    /// Milliseconds since the Unix epoch, UTC (fractions beyond a millisecond are truncated).
    public var millisecondsSince1970: Int64
    /// The text as the charger wrote it.
    public var original: String

    /// Creates an instant from its value and the text it came from.
    public init(millisecondsSince1970: Int64, original: String) {
        self.millisecondsSince1970 = millisecondsSince1970
        self.original = original
    }

    /// Parses an RFC 3339 date-time, or returns nil when `parse` reports a problem.
    public init?(rfc3339 text: String) {
        guard case .success(let instant) = UTCInstant.parse(text) else { return nil }
        self = instant
    }

    /// Orders by instant first; the text breaks ties so the order agrees with `==`.
    public static func < (lhs: UTCInstant, rhs: UTCInstant) -> Bool {
        (lhs.millisecondsSince1970, lhs.original) < (rhs.millisecondsSince1970, rhs.original)
    }
}

/// Why a timestamp could not become a `UTCInstant`.
public enum TimestampProblem: Error, Hashable, Sendable {
    /// A well-formed local date-time with no `Z` or offset: the zone is unknown and is never guessed.
    case withoutZone
    /// Well-formed but not a real date or time (month 13, 30 February, hour 24, offset 25:00).
    case impossible
    /// Not an RFC 3339 date-time at all (empty, date only, garbage).
    case unreadable
}

extension UTCInstant {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)`; `t`, `z` and a space separator too (RFC 3339 §5.6).
    public static func parse(_ text: String) -> Result<UTCInstant, TimestampProblem> {
        var bytes = text
        // The bytes in place: copying them into an array would cost an allocation per timestamp.
        return bytes.withUTF8 { utf8 in
            milliseconds(utf8).map { UTCInstant(millisecondsSince1970: $0, original: text) }
        }
    }

    /// The instant the UTF-8 text names, in milliseconds since 1970.
    private static func milliseconds(_ utf8: UnsafeBufferPointer<UInt8>) -> Result<Int64, TimestampProblem> {
        var scanner = DigitScanner(utf8)
        guard let year = scanner.digits(4), scanner.take("-"), let month = scanner.digits(2), scanner.take("-"),
            let day = scanner.digits(2), scanner.take(oneOf: "Tt "), let hour = scanner.digits(2), scanner.take(":"),
            let minute = scanner.digits(2), scanner.take(":"), let second = scanner.digits(2)
        else { return .failure(.unreadable) }
        var millis = 0
        if scanner.take(".") {
            // Any number of fraction digits: the first three are milliseconds, the rest are dropped.
            var count = 0
            while let digit = scanner.digit() {
                if count < 3 { millis = millis * 10 + digit }
                count += 1
            }
            guard count > 0 else { return .failure(.unreadable) }
            for _ in count..<max(count, 3) { millis *= 10 }
        }
        var offsetMinutes = 0
        if scanner.atEnd {
            return .failure(.withoutZone)
        } else if scanner.take(oneOf: "Zz") {
            offsetMinutes = 0
        } else if let sign = scanner.sign() {
            guard let hours = scanner.digits(2), scanner.take(":"), let minutes = scanner.digits(2) else {
                return .failure(.unreadable)
            }
            guard hours < 24, minutes < 60 else { return .failure(.impossible) }
            offsetMinutes = sign * (hours * 60 + minutes)
        } else {
            return .failure(.unreadable)
        }
        guard scanner.atEnd else { return .failure(.unreadable) }
        // Second 60 is a leap second (RFC 3339 allows it); it counts as the first instant of the next minute.
        guard (1...12).contains(month), (1...daysInMonth(month, year: year)).contains(day), hour < 24, minute < 60,
            second <= 60
        else { return .failure(.impossible) }
        let days = Int64(daysSince1970(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return .success(seconds * 1000 + Int64(millis))
    }

    /// The number of days in `month` of `year` (proleptic Gregorian).
    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a civil date (H. Hinnant's algorithm; valid for every four-digit year).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Reads fixed-width ASCII fields from a timestamp's bytes; every read checks the index against the length.
private struct DigitScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Whether every byte has been read.
    var atEnd: Bool { index == bytes.count }

    /// One decimal digit, consumed, or nil.
    mutating func digit() -> Int? {
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    /// Exactly `count` digits as a number, or nil (and nothing consumed past the first non-digit).
    mutating func digits(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// Consumes the ASCII `character` when it is next.
    mutating func take(_ character: StaticString) -> Bool { take(oneOf: character) }

    /// Consumes the next byte when it is one of the ASCII `characters`.
    mutating func take(oneOf characters: StaticString) -> Bool {
        guard index < bytes.count, characters.withUTF8Buffer({ $0.contains(bytes[index]) }) else { return false }
        index += 1
        return true
    }

    /// Consumes `+` (1) or `-` (-1), or returns nil.
    mutating func sign() -> Int? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }
}
