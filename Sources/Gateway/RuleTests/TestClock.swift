import IEC104
import OCPP
import Rules

/// Times in test files: RFC 3339 instants, durations, and `${now…}` placeholders in payloads.
enum TestClock {
    /// The start of a test that names none: 2026-01-01T00:00:00Z.
    static let defaultStart: EngineTime = 1_767_225_600

    /// Seconds since 1970 of an RFC 3339 instant with a zone (`2026-01-01T00:00:05Z`), nil otherwise.
    static func instant(_ text: String) -> EngineTime? {
        guard let instant = UTCInstant(rfc3339: text) else { return nil }
        return Double(instant.millisecondsSince1970) / 1000
    }

    /// Seconds of a duration: a number, or a string `500ms`, `15s`, `2min`, `1h` (non-negative).
    static func duration(_ text: String) -> Double? {
        if let seconds = Double(text), seconds.isFinite, seconds >= 0, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            return seconds
        }
        return RuleDuration.seconds(text)
    }

    /// ISO 8601 with milliseconds, e.g. `2026-01-01T00:00:05.000Z`.
    static func text(_ time: EngineTime) -> String {
        UTCDateTime(millisecondsSince1970: milliseconds(time)).description
    }

    /// Milliseconds since 1970, rounded.
    static func milliseconds(_ time: EngineTime) -> Int64 {
        Int64((time * 1000).rounded())
    }

    /// What a payload string says about the clock.
    enum Placeholder: Equatable {
        /// An ordinary string.
        case none
        /// `${now}`, `${now+D}` or `${now-D}`: the clock plus this many seconds.
        case now(offset: Double)
        /// Starts like a placeholder but is not one.
        case malformed
    }

    /// Reads `${now}`, `${now+5s}`, `${now-1min}`.
    static func placeholder(_ text: String) -> Placeholder {
        guard text.hasPrefix("${") else { return .none }
        guard text.hasPrefix("${now"), text.hasSuffix("}") else { return .malformed }
        let inner = text.dropFirst(5).dropLast()
        if inner.isEmpty { return .now(offset: 0) }
        guard let sign = inner.first, sign == "+" || sign == "-", let seconds = duration(String(inner.dropFirst())) else {
            return .malformed
        }
        return .now(offset: sign == "+" ? seconds : -seconds)
    }

    /// A payload with its placeholders replaced by timestamps of `now`.
    static func filled(_ value: JSONValue, now: EngineTime) -> JSONValue {
        switch value {
        case let .string(text):
            if case let .now(offset) = placeholder(text) { return .string(Self.text(now + offset)) }
            return value
        case let .array(items): return .array(items.map { filled($0, now: now) })
        case let .object(object): return .object(filled(object, now: now))
        default: return value
        }
    }

    /// An object with its placeholders replaced.
    static func filled(_ object: JSONObject, now: EngineTime) -> JSONObject {
        var result = JSONObject()
        for (key, value) in object.members { result[key] = filled(value, now: now) }
        return result
    }
}
