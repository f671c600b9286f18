import Admin
import Foundation
import Gateway
import IEC104
import Metrics
import Rules

/// The gateway's answers on the admin routes.
struct RunAdminBackend: AdminBackend {
    let runtime: GatewayRuntime
    let reloader: RunReloader
    let metricsRegistry: PrometheusMetrics

    /// 200 with the SCADA link and charger counts while the gateway serves.
    func ready() async -> AdminResponse {
        let station = await runtime.stationStatus()
        let ocpp = await runtime.ocppStatus()
        let (graph, revision) = runtime.current
        let body: [String: Any] = [
            "ready": true, "revision": revision, "site": graph.siteName,
            "scada": ["connections": station.connections.count, "active": station.hasActiveMaster,
                      "queued_events": station.queuedEvents],
            "chargers": ["connected": ocpp.connections.count, "known": graph.chargers.count],
        ]
        return .json(Self.encode(body))
    }

    /// Every point with its live value, quality and time.
    func points() async -> AdminResponse {
        let (graph, states) = runtime.pointStates()
        let points = zip(graph.points, states).map { point, state -> [String: Any] in
            var entry: [String: Any] = [
                "ca": point.address.ca, "ioa": point.address.ioa, "type": point.type.name, "signal": point.signal,
                "direction": point.direction.rawValue, "description": point.description,
                "owner": { if case let .charger(index) = point.owner { graph.chargers[index].id } else { "site" } }(),
                "quality": PointJSON.quality(state.quality),
            ]
            if let unit = point.unit { entry["unit"] = unit.symbol }
            if let value = state.value { entry["value"] = PointJSON.value(value) }
            if let time = state.time { entry["time"] = PointJSON.time(time) }
            return entry
        }
        return .json(Self.encode(["revision": runtime.current.revision, "points": points]))
    }

    /// Reloads the rule files; 200 with the changes, or 422 with the diagnostics when the new set was refused.
    func reload() async -> AdminResponse {
        let outcome = await reloader.reload(trigger: "POST /reload")
        var body: [String: Any] = [
            "ok": outcome.ok, "revision": outcome.revision, "message": outcome.message,
            "diagnostics": outcome.diagnostics.map(PointJSON.diagnostic),
        ]
        if let changes = outcome.changes {
            body["added"] = changes.added
            body["removed"] = changes.removed
            body["changed"] = changes.changed
            body["unchanged"] = changes.unchanged
        }
        return .json(Self.encode(body), status: outcome.ok ? 200 : 422)
    }

    /// The Prometheus exposition, with the gauges that are read at scrape time brought up to date first.
    func metrics() async -> AdminResponse {
        let station = await runtime.stationStatus()
        let ocpp = await runtime.ocppStatus()
        Gauge(label: "iec104_event_queue_depth").record(station.queuedEvents)
        Gauge(label: "iec104_events_dropped").record(station.queue.dropped)
        Gauge(label: "iec104_events_sent").record(station.queue.sent)
        Gauge(label: "iec104_masters_connected").record(station.connections.count)
        Gauge(label: "iec104_master_active").record(station.hasActiveMaster ? 1 : 0)
        Gauge(label: "iec104_commands_rejected").record(station.application.commandsRejected)
        Gauge(label: "ocpp_chargers_connected").record(ocpp.connections.count)
        Gauge(label: "ocpp_handshakes_refused").record(ocpp.counters.refused.total)
        Gauge(label: "gateway_rule_revision").record(runtime.current.revision)
        return metricsRegistry.response()
    }

    static func encode(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// How points and diagnostics look in the admin API's JSON.
enum PointJSON {
    static func quality(_ quality: QualityDescriptor) -> [String] {
        [(QualityDescriptor.invalid, "IV"), (.notTopical, "NT"), (.substituted, "SB"), (.blocked, "BL"), (.overflow, "OV")]
            .filter { quality.contains($0.0) }.map(\.1)
    }

    static func value(_ value: PointValue) -> Any {
        switch value {
        case let .single(state): state
        case let .double(state): ["intermediate", "off", "on", "indeterminate"][Int(state.rawValue)]
        case let .normalized(number): Double(number.rawValue) / 32768
        case let .scaled(number): Int(number)
        case let .float(number): Double(number)
        case let .counter(reading): Int(reading.value)
        }
    }

    static func time(_ seconds: EngineTime) -> String {
        ISOTime.text(Date(timeIntervalSince1970: seconds))
    }

    static func diagnostic(_ diagnostic: Diagnostic) -> [String: Any] {
        ["severity": diagnostic.severity.rawValue, "message": diagnostic.message, "file": diagnostic.location.file, "location": diagnostic.location.description,
         "line": diagnostic.location.mark.line, "column": diagnostic.location.mark.column]
    }
}
