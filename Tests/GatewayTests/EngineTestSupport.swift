import Foundation
import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

// Helpers of the engine tests. Names start with `Engine` so they never meet the rule-test helpers of this target.

/// Rule graphs for the engine tests: inline sites and the shipped demo site.
enum EngineFixture {
    /// This folder.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The message timelines of the differential test.
    static let corpus = testsDirectory.appendingPathComponent("Corpus")
    /// The package root.
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// Why a fixture site did not load.
    struct LoadFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Loads an inline site; throws with the diagnostics when it has errors.
    static func graph(_ yaml: String, path: String = "site.yaml") throws -> RuleGraph {
        try graph(RuleLoader.load([RuleSource(path: path, text: yaml)]))
    }

    /// `rules/default.yaml`, the demo site.
    static func defaultGraph() throws -> RuleGraph {
        try graph(RuleLoader.load(paths: [repository.appendingPathComponent("rules/default.yaml").path]))
    }

    /// The text of `rules/default.yaml`, for tests that derive a variant of it.
    static func defaultText() throws -> String {
        try String(contentsOf: repository.appendingPathComponent("rules/default.yaml"), encoding: .utf8)
    }

    private static func graph(_ report: LoadReport) throws -> RuleGraph {
        guard let graph = report.sites.first?.graph else {
            let errors = report.diagnostics.filter { $0.severity == .error }.map { "\($0.location): \($0.message)" }
            throw LoadFailure(description: "site did not load: " + errors.joined(separator: "; "))
        }
        return graph
    }

    /// A site of one station (CA 1) around the given `chargers:` / `templates:` / `site:` YAML.
    static func site(_ body: String, refresh: Bool = false) -> String {
        """
        station:
          common_address: 1
          select_timeout: 10s
          interrogation: {composite_schedule_refresh: {enabled: \(refresh), timeout: 2s}}
        ocpp: {sanitizer: lenient, timezone: UTC}
        \(body)
        """
    }
}

/// Engine time for tests: seconds from a fixed instant, and the RFC 3339 text chargers would send for it.
enum EngineClock {
    /// 2026-11-24T10:00:00Z.
    static let t0: EngineTime = 1_795_514_400

    /// The RFC 3339 UTC text of an engine time, with milliseconds.
    static func stamp(_ time: EngineTime) -> String {
        let date = UTCDateTime(millisecondsSince1970: Int64((time * 1000).rounded()))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", date.year, date.month, date.day, date.hour,
                      date.minute, date.second, date.millisecond)
    }

    /// The IEC time tag of an engine time.
    static func tag(_ time: EngineTime) -> UTCDateTime {
        UTCDateTime(millisecondsSince1970: Int64((time * 1000).rounded()))
    }
}

/// Why a charger message could not be fed.
struct EngineFeedError: Error, CustomStringConvertible {
    var description: String
}

/// An engine plus the normalizer in front of it: raw OCPP JSON in, engine outputs out.
struct EngineHarness {
    var engine: GatewayEngine

    init(_ graph: RuleGraph, path: MonitorPath = .compiled) {
        engine = GatewayEngine(graph: graph, path: path)
    }

    /// Connects a charger; the engine's refresh requests are returned.
    @discardableResult
    mutating func connect(_ identity: String, _ version: Rules.OCPPVersion, at now: EngineTime) -> [EngineOutput] {
        engine.chargerConnected(identity, version: version, at: now)
    }

    /// Disconnects a charger.
    @discardableResult
    mutating func disconnect(_ identity: String, at now: EngineTime) -> [EngineOutput] {
        engine.chargerDisconnected(identity, at: now)
    }

    /// The version a charger speaks now (its connection's, else its first).
    func version(of identity: String) -> Rules.OCPPVersion {
        guard let index = engine.graph.chargerIndex[identity] else { return .v16 }
        return engine.online[index] ?? engine.graph.chargers[index].versions.first ?? .v16
    }

    /// The events the normalizer makes of a raw payload, with the charger's sanitizer policy and time zone.
    func normalize(_ identity: String, _ action: String, _ json: String, policy: OCPP.SanitizerPolicy? = nil,
                   assignedTransactionId: String? = nil) throws -> [ChargerEvent] {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(json) } catch { throw EngineFeedError(description: "bad JSON: \(error)") }
        guard let payload = parsed.objectValue else { throw EngineFeedError(description: "payload is not an object") }
        return try normalize(identity, action, payload: payload, policy: policy, assignedTransactionId: assignedTransactionId)
    }

    /// The events the normalizer makes of a parsed payload.
    func normalize(_ identity: String, _ action: String, payload: JSONObject, policy: OCPP.SanitizerPolicy? = nil,
                   assignedTransactionId: String? = nil) throws -> [ChargerEvent] {
        let version: OCPP.OCPPVersion = self.version(of: identity) == .v16 ? .v16 : .v201
        let call = IncomingCall(identity: identity, version: version, id: "m1", action: action, payload: payload)
        let charger = engine.graph.chargerIndex[identity].map { engine.graph.chargers[$0] }
        let chosen = policy ?? (charger?.sanitizer == .strict ? .strict : .lenient)
        let zone = charger.flatMap { TimeZone(identifier: $0.timezone) } ?? TimeZone(identifier: "UTC")
        switch Normalizer.normalize(call, policy: chosen, assignedTransactionId: assignedTransactionId, timeZone: zone) {
        case let .success(normalized): return normalized.events
        case let .failure(error): throw EngineFeedError(description: "normalizer refused \(action): \(error)")
        }
    }

    /// Feeds a raw charger CALL through the normalizer into the engine.
    mutating func receive(_ identity: String, _ action: String, _ json: String, at now: EngineTime,
                          policy: OCPP.SanitizerPolicy? = nil, assignedTransactionId: String? = nil) throws -> [EngineOutput] {
        let events = try normalize(identity, action, json, policy: policy, assignedTransactionId: assignedTransactionId)
        return engine.received(events, action: action, from: identity, at: now)
    }

    /// The state of the point at `ioa` (station CA).
    func state(_ ioa: Int) -> PointState? {
        engine.graph.pointIndex[PointAddress(ca: engine.graph.station.commonAddress, ioa: ioa)].map { engine.pointStates[$0] }
    }
}

// MARK: - Payloads

/// Raw OCPP payloads as chargers send them.
enum EnginePayload {
    /// 1.6 MeterValues with one sample; each value is `(value, measurand, unit)`, the value a JSON fragment
    /// (a quoted string as 1.6 wants it, or a bare number as broken chargers send).
    static func meter16(connector: Int = 1, at time: EngineTime?, _ values: [(String, String, String?)],
                        context: String? = nil) -> String {
        let sampled = values.map { value, measurand, unit in
            var members = ["\"value\": \(value)", "\"measurand\": \"\(measurand)\""]
            if let unit { members.append("\"unit\": \"\(unit)\"") }
            if let context { members.append("\"context\": \"\(context)\"") }
            return "{" + members.joined(separator: ", ") + "}"
        }
        let stamp = time.map { "\"\(EngineClock.stamp($0))\"" } ?? "\"\""
        return """
        {"connectorId": \(connector), "meterValue": [{"timestamp": \(stamp), "sampledValue": [\(sampled.joined(separator: ", "))]}]}
        """
    }

    /// 1.6 MeterValues with one power reading in W.
    static func power16(_ watts: String, at time: EngineTime, connector: Int = 1) -> String {
        meter16(connector: connector, at: time, [("\"\(watts)\"", "Power.Active.Import", "W")])
    }

    /// 1.6 MeterValues with one energy-register reading.
    static func register16(_ value: String, unit: String = "Wh", at time: EngineTime, connector: Int = 1) -> String {
        meter16(connector: connector, at: time, [("\"\(value)\"", "Energy.Active.Import.Register", unit)])
    }

    /// 2.0.1 MeterValues with one sample; each value is `(number, measurand, unit, multiplier)`.
    static func meter201(evse: Int, at time: EngineTime, _ values: [(String, String, String, Int?)]) -> String {
        let sampled = values.map { value, measurand, unit, multiplier in
            let measure = multiplier.map { "{\"unit\": \"\(unit)\", \"multiplier\": \($0)}" } ?? "{\"unit\": \"\(unit)\"}"
            return "{\"value\": \(value), \"measurand\": \"\(measurand)\", \"unitOfMeasure\": \(measure)}"
        }
        return """
        {"evseId": \(evse), "meterValue": [{"timestamp": "\(EngineClock.stamp(time))", "sampledValue": [\(sampled.joined(separator: ", "))]}]}
        """
    }

    /// 1.6 StatusNotification.
    static func status16(_ status: String, connector: Int = 1, at time: EngineTime?) -> String {
        let stamp = time.map { ", \"timestamp\": \"\(EngineClock.stamp($0))\"" } ?? ""
        return "{\"connectorId\": \(connector), \"errorCode\": \"NoError\", \"status\": \"\(status)\"\(stamp)}"
    }

    /// 2.0.1 StatusNotification.
    static func status201(_ status: String, evse: Int, connector: Int = 1, at time: EngineTime) -> String {
        """
        {"timestamp": "\(EngineClock.stamp(time))", "connectorStatus": "\(status)", "evseId": \(evse), "connectorId": \(connector)}
        """
    }

    /// 2.0.1 NotifyEvent with one entry.
    static func notifyEvent(component: String, variable: String, cleared: Bool, at time: EngineTime) -> String {
        """
        {"generatedAt": "\(EngineClock.stamp(time))", "seqNo": 0, "eventData": [{"eventId": 7, "timestamp": "\(EngineClock.stamp(time))", \
        "trigger": "Alerting", "actualValue": "\(cleared ? "false" : "true")", "eventNotificationType": "HardWiredNotification", \
        "component": {"name": "\(component)"}, "variable": {"name": "\(variable)"}\(cleared ? ", \"cleared\": true" : "")}]}
        """
    }

    /// DataTransfer; `data` is a JSON fragment (1.6 sends a string).
    static func dataTransfer(vendor: String, message: String, data: String) -> String {
        "{\"vendorId\": \"\(vendor)\", \"messageId\": \"\(message)\", \"data\": \(data)}"
    }
}

// MARK: - Commands

/// IEC commands as the station hands them to the engine.
enum EngineCommand {
    /// A short-float set-point (C_SE_NC_1).
    static func float(_ ioa: UInt32, _ value: Float, _ phase: CommandPhase = .execute, selected: Bool = false) -> CommandRequest {
        CommandRequest(address: ioa, typeID: .C_SE_NC_1, command: .setpointFloat(value), phase: phase, followsSelection: selected)
    }

    /// A scaled set-point (C_SE_NB_1).
    static func scaled(_ ioa: UInt32, _ value: Int16, _ phase: CommandPhase = .execute, selected: Bool = false) -> CommandRequest {
        CommandRequest(address: ioa, typeID: .C_SE_NB_1, command: .setpointScaled(value), phase: phase, followsSelection: selected)
    }

    /// A single command (C_SC_NA_1).
    static func single(_ ioa: UInt32, _ on: Bool, _ phase: CommandPhase = .execute, selected: Bool = false) -> CommandRequest {
        CommandRequest(address: ioa, typeID: .C_SC_NA_1, command: .single(on, qualifier: 0), phase: phase,
                       followsSelection: selected)
    }
}

// MARK: - Reading outputs

extension Array where Element == EngineOutput {
    /// The point updates, in order.
    var publishes: [PointUpdate] {
        compactMap { if case let .publish(update) = $0 { update } else { nil } }
    }

    /// The point updates of one address.
    func publishes(at ioa: UInt32) -> [PointUpdate] { publishes.filter { $0.address == ioa } }

    /// The requests to chargers, in order.
    var sends: [(ticket: CallTicket, charger: String, request: OutgoingRequest)] {
        compactMap { if case let .send(ticket, charger, request) = $0 { (ticket, charger, request) } else { nil } }
    }

    /// The command answers, in order.
    var answers: [(ticket: CommandTicket, answer: CommandAnswer)] {
        compactMap { if case let .answer(ticket, answer) = $0 { (ticket, answer) } else { nil } }
    }
}

/// A point update as the engine should publish it.
func engineUpdate(_ ioa: UInt32, _ value: PointValue, _ quality: QualityDescriptor = [], at time: EngineTime?,
                  _ transmission: Transmission = .spontaneous) -> EngineOutput {
    .publish(PointUpdate(address: ioa, value: value, quality: quality, time: time.map(EngineClock.tag),
                         transmission: transmission))
}

extension PointValue {
    /// The float of a short-float value.
    var floatValue: Float? { if case let .float(value) = self { value } else { nil } }
}

extension CommandAnswer {
    /// The reason of a refusal, nil when accepted.
    var reason: String? { if case let .rejected(reason) = self { reason } else { nil } }
}

extension OutgoingRequest {
    /// The charging limit of a SetChargingProfile.
    var chargingLimit: ChargingLimit? { if case let .setChargingProfile(limit) = self { limit } else { nil } }
}

/// The JSON value of a number.
func engineNumber(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }

/// A CALLRESULT payload `{"status": STATUS}` and more members.
func engineStatus(_ status: String) -> JSONObject { JSONObject(["status": .string(status)]) }

/// The JSON value at a path of object keys and array indexes (`"0"`), or nil.
func engineJSON(_ object: JSONObject?, _ path: String...) -> JSONValue? {
    var value: JSONValue? = object.map(JSONValue.object)
    for step in path {
        if let index = Int(step) {
            value = value?.arrayValue.flatMap { index < $0.count ? $0[index] : nil }
        } else {
            value = value?.objectValue?[step]
        }
    }
    return value
}

/// Whether a number is within a millionth of the expected one (chain arithmetic is binary floating point).
func engineClose(_ value: Double?, _ expected: Double) -> Bool {
    guard let value else { return false }
    return abs(value - expected) <= 1e-6 * max(1, abs(expected))
}
