import IEC104
import OCPP
import Rules

/// How outputs and expectations read in a failure report.
struct OutputText {
    /// Per IOA: `CP004 power_kw`, `CP008 evse_power_kw (EVSE 2)`, `site site_power_kw`.
    private let names: [Int: String]

    /// The names of a site's points.
    init(graph: RuleGraph) {
        var names: [Int: String] = [:]
        for point in graph.points {
            let owner: String = switch point.owner {
            case .site: "site"
            case let .charger(index): graph.chargers[index].id
            }
            names[point.address.ioa] = "\(owner) \(point.signal)" + (point.evse.map { " (EVSE \($0))" } ?? "")
        }
        self.names = names
    }

    /// `ioa 1300 (CP004 power_kw)`.
    func point(_ ioa: Int) -> String {
        "ioa \(ioa)" + (names[ioa].map { " (\($0))" } ?? "")
    }

    /// One IEC output.
    func describe(_ observation: IECObservation) -> String {
        var parts = ["\(observation.type)", point(observation.ioa)]
        switch observation.kind {
        case let .point(value, quality, time):
            parts.append("value \(Self.value(value))")
            parts.append("quality \(QualityNames.text(quality))")
            parts.append("cot \(observation.cot)")
            if let time { parts.append("time \(time)") }
        case let .confirmation(positive, select, reason):
            parts.append("confirm \(positive ? "positive" : "negative") (\(select ? "select" : "execute"))")
            parts.append("cot \(observation.cot)")
            if let reason { parts.append("reason \"\(reason)\"") }
        }
        return parts.joined(separator: " ")
    }

    /// One expected IEC output: only what it checks.
    func describe(_ expectation: IECExpectation) -> String {
        var parts: [String] = []
        if let type = expectation.type { parts.append("\(type)") }
        switch expectation.point {
        case let .ioa(ioa)?: parts.append(point(ioa))
        case let .signal(signal, charger, evse)?: parts.append([charger, signal, evse.map { "EVSE \($0)" }].compactMap { $0 }.joined(separator: " "))
        case nil: break
        }
        switch expectation.value {
        case let .number(number)?: parts.append("value \(Self.number(number))" + (expectation.tolerance.map { " ±\(Self.number($0))" } ?? ""))
        case let .bool(flag)?: parts.append("value \(flag)")
        case let .doublePoint(state)?: parts.append("value \(DoublePointNames.name(state))")
        case nil: break
        }
        if let quality = expectation.quality { parts.append("quality \(QualityNames.text(quality))") }
        if let confirm = expectation.confirm {
            parts.append("confirm \(confirm ? "positive" : "negative")" + (expectation.select.map { " (\($0 ? "select" : "execute"))" } ?? ""))
        }
        if let cot = expectation.cot { parts.append("cot \(cot)") }
        if let time = expectation.time { parts.append("time \(UTCDateTime(millisecondsSince1970: time))") }
        if let reason = expectation.reason { parts.append("reason contains \"\(reason)\"") }
        return parts.isEmpty ? "any IEC output" : parts.joined(separator: " ")
    }

    /// One OCPP call.
    func describe(_ call: CallObservation) -> String {
        "#\(call.number) \(call.charger) \(call.request.action) "
            + (call.payload.map { JSONValue.object($0).serialized() } ?? "(no such request in \(call.version.rawValue))")
    }

    /// One expected OCPP call.
    func describe(_ expectation: OCPPExpectation) -> String {
        var parts: [String] = []
        if let call = expectation.call { parts.append("#\(call)") }
        if let charger = expectation.charger { parts.append(charger) }
        if let action = expectation.action { parts.append(action) }
        if let payload = expectation.payload { parts.append("payload ⊇ " + JSONValue.object(payload).serialized()) }
        return parts.isEmpty ? "any OCPP call" : parts.joined(separator: " ")
    }

    /// A point value as a test file writes it.
    static func value(_ value: PointValue) -> String {
        switch value {
        case let .single(flag): "\(flag)"
        case let .double(state): DoublePointNames.name(state)
        case let .normalized(fraction): number(fraction.doubleValue)
        case let .scaled(number): "\(number)"
        case let .float(number): "\(number)"
        case let .counter(reading): "\(reading.value)"
        }
    }

    /// A number without a needless `.0`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
