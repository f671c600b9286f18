import IEC104
import OCPP

/// Comparing what a test expected with what came out.
enum OutputMatching {
    /// Why an IEC output does not meet an expectation; empty when it does.
    static func mismatches(_ expected: IECExpectation, _ actual: IECObservation) -> [String] {
        var reasons: [String] = []
        if case let .ioa(ioa)? = expected.point, ioa != actual.ioa { reasons.append("ioa: expected \(ioa), got \(actual.ioa)") }
        if let type = expected.type, type != actual.type { reasons.append("type: expected \(type), got \(actual.type)") }
        if let cot = expected.cot, cot != actual.cot { reasons.append("cot: expected \(cot), got \(actual.cot)") }
        switch actual.kind {
        case let .point(value, quality, time):
            if expected.confirm != nil { reasons.append("expected a command confirmation, got a point's value") }
            if let wanted = expected.value, let problem = valueMismatch(wanted, value, tolerance: expected.tolerance) {
                reasons.append(problem)
            }
            if let wanted = expected.quality, wanted != quality {
                reasons.append("quality: expected \(QualityNames.text(wanted)), got \(QualityNames.text(quality))")
            }
            if let wanted = expected.time {
                let text = UTCDateTime(millisecondsSince1970: wanted).description
                if let time {
                    if time.millisecondsSince1970 != wanted { reasons.append("time: expected \(text), got \(time)") }
                } else {
                    reasons.append("time: expected \(text), but \(actual.type) carries no time tag")
                }
            }
        case let .confirmation(positive, select, reason):
            if expected.confirm == nil { reasons.append("expected a point's value, got a command confirmation") }
            if let wanted = expected.confirm, wanted != positive {
                reasons.append("confirm: expected \(wanted ? "positive" : "negative"), got \(positive ? "positive" : "negative")"
                    + (reason.map { " (\($0))" } ?? ""))
            }
            if let wanted = expected.select, wanted != select {
                reasons.append("expected the confirmation of a \(wanted ? "select" : "execute"), got one of a \(select ? "select" : "execute")")
            }
            if let words = expected.reason, !(reason ?? "").contains(words) {
                reasons.append("reason: expected it to contain \"\(words)\", got \"\(reason ?? "")\"")
            }
        }
        return reasons
    }

    /// Why a value differs, or nil when it is the expected one.
    static func valueMismatch(_ expected: ExpectedValue, _ actual: PointValue, tolerance: Double?) -> String? {
        let shown = OutputText.value(actual)
        let number: Double?
        var allowed = tolerance ?? 0
        switch actual {
        case let .float(value):
            number = Double(value)
            if tolerance == nil, case let .number(wanted) = expected { allowed = max(1e-6, abs(wanted) * 1e-6) }
        case let .normalized(value):
            number = value.doubleValue
            if tolerance == nil { allowed = 0.5 / 32768 }
        case let .scaled(value): number = Double(value)
        case let .counter(reading): number = Double(reading.value)
        case .single, .double: number = nil
        }
        switch (expected, actual) {
        case let (.number(wanted), _):
            guard let number else { return "value: expected \(OutputText.number(wanted)), got \(shown)" }
            return abs(number - wanted) <= allowed ? nil : "value: expected \(OutputText.number(wanted)), got \(shown)"
        case let (.bool(wanted), .single(flag)):
            return wanted == flag ? nil : "value: expected \(wanted), got \(flag)"
        case let (.doublePoint(wanted), .double(state)):
            return wanted == state ? nil : "value: expected \(DoublePointNames.name(wanted)), got \(DoublePointNames.name(state))"
        case let (.bool(wanted), _):
            return "value: expected \(wanted), got \(shown)"
        case let (.doublePoint(wanted), _):
            return "value: expected \(DoublePointNames.name(wanted)), got \(shown)"
        }
    }

    /// Why an OCPP call does not meet an expectation; empty when it does.
    static func mismatches(_ expected: OCPPExpectation, _ actual: CallObservation) -> [String] {
        var reasons: [String] = []
        if let call = expected.call, call != actual.number { reasons.append("call: expected #\(call), got #\(actual.number)") }
        if let charger = expected.charger, charger != actual.charger {
            reasons.append("charger: expected \(charger), got \(actual.charger)")
        }
        if let action = expected.action, action != actual.request.action {
            reasons.append("action: expected \(action), got \(actual.request.action)")
        }
        if let payload = expected.payload {
            reasons += payloadMismatches(.object(payload), actual.payload.map(JSONValue.object), path: "payload")
        }
        return reasons
    }

    /// Where `actual` lacks what `expected` has: objects member by member (extra members are fine), arrays
    /// element by element with the same length, numbers by value.
    static func payloadMismatches(_ expected: JSONValue, _ actual: JSONValue?, path: String) -> [String] {
        guard let actual else { return ["\(path): expected \(expected.serialized()), but it is missing"] }
        switch (expected, actual) {
        case let (.object(wanted), .object(got)):
            return wanted.members.flatMap { payloadMismatches($0.value, got[$0.key], path: "\(path).\($0.key)") }
        case let (.array(wanted), .array(got)):
            guard wanted.count == got.count else {
                return ["\(path): expected \(wanted.count) elements, got \(got.count): \(actual.serialized())"]
            }
            return zip(wanted, got).enumerated().flatMap { payloadMismatches($0.element.0, $0.element.1, path: "\(path)[\($0.offset)]") }
        case let (.number(wanted), .number(got)):
            let allowed = max(1e-9, abs(wanted.double) * 1e-9)
            return abs(wanted.double - got.double) <= allowed ? [] : ["\(path): expected \(wanted.text), got \(got.text)"]
        default:
            return expected == actual ? [] : ["\(path): expected \(expected.serialized()), got \(actual.serialized())"]
        }
    }
}

/// Expected items lined up against actual ones: the longest run of matches in order, the rest missing or unexpected.
struct Comparison {
    /// One line of the comparison, in output order.
    enum Line {
        /// Expected item `expected` is actual item `actual`.
        case matched(expected: Int, actual: Int)
        /// Expected item not found; `hints` say how the nearest actual item differs.
        case missing(expected: Int, hints: [String])
        /// Actual item nobody expected.
        case unexpected(actual: Int)
    }

    /// The lines.
    var lines: [Line] = []

    /// Whether anything expected is missing.
    var hasMissing: Bool { lines.contains { if case .missing = $0 { true } else { false } } }
    /// Whether anything came out unexpected.
    var hasUnexpected: Bool { lines.contains { if case .unexpected = $0 { true } else { false } } }

    /// Lines up `expected` against `actual` with `mismatches` (empty means a match).
    init<Expected, Actual>(expected: [Expected], actual: [Actual], mismatches: (Expected, Actual) -> [String]) {
        let n = expected.count, m = actual.count
        var matches = Array(repeating: Array(repeating: false, count: m), count: n)
        for i in 0..<n { for j in 0..<m { matches[i][j] = mismatches(expected[i], actual[j]).isEmpty } }
        // longest[i][j]: the most matches between expected[i...] and actual[j...].
        var longest = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                longest[i][j] = matches[i][j] ? longest[i + 1][j + 1] + 1 : max(longest[i + 1][j], longest[i][j + 1])
            }
        }
        var pairs: [(Int, Int)] = []
        var i = 0, j = 0
        while i < n, j < m {
            if matches[i][j], longest[i][j] == longest[i + 1][j + 1] + 1 {
                pairs.append((i, j))
                i += 1
                j += 1
            } else if longest[i + 1][j] >= longest[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        var nextExpected = 0, nextActual = 0
        for (pairExpected, pairActual) in pairs + [(n, m)] {
            let gap = Array(nextActual..<pairActual)
            for index in nextExpected..<pairExpected {
                // The actual item in the same gap that differs least explains the miss best.
                let nearest = gap.map { mismatches(expected[index], actual[$0]) }.min { $0.count < $1.count }
                lines.append(.missing(expected: index, hints: nearest ?? []))
            }
            lines += gap.map { Line.unexpected(actual: $0) }
            if pairExpected < n { lines.append(.matched(expected: pairExpected, actual: pairActual)) }
            nextExpected = pairExpected + 1
            nextActual = pairActual + 1
        }
    }
}
