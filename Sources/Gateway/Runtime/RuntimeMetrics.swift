import IEC104
import Metrics
import OCPP

/// The runtime's counters, through swift-metrics (exported by whatever backend the process bootstrapped).
final class RuntimeMetrics: Sendable {
    private let commands = Counter(label: "gateway_commands_total")
    private let publishRefusals = Counter(label: "gateway_publish_refused_total")
    /// Point updates by value kind and transmission, made once: they are counted on the hot path, under the
    /// engine's lock, where looking a counter up in the metrics backend per update would cost more than the rule.
    private let updates: [[Counter]] = PointValue.kindNames.map { kind in
        Transmission.names.map { transmission in
            Counter(label: "iec104_point_updates_total", dimensions: [("kind", kind), ("transmission", transmission)])
        }
    }

    /// A point update went to the station: counted by IEC type and how it is sent.
    func published(_ update: PointUpdate) {
        updates[update.value.kindIndex][update.transmission.index].increment()
    }

    /// The station refused updates (a point the reloaded graph no longer has).
    func publishRefused(_ count: Int) { publishRefusals.increment(by: count) }

    /// A request went to a charger.
    func requestSent(_ action: String) {
        Counter(label: "ocpp_messages_out_total", dimensions: [("action", action)]).increment()
    }

    /// A request's outcome.
    func requestCompleted(_ action: String, outcome: RequestOutcome) {
        Counter(label: "ocpp_request_outcomes_total", dimensions: [("action", action), ("outcome", outcome.name)]).increment()
    }

    /// A command arrived from SCADA.
    func commandReceived() { commands.increment() }

    /// A command was answered.
    func commandAnswered(_ answer: CommandAnswer) {
        let result = if case .accepted = answer { "accepted" } else { "rejected" }
        Counter(label: "gateway_command_answers_total", dimensions: [("result", result)]).increment()
    }

    /// A CALL from a charger was answered.
    func messageIn(_ action: String) {
        Counter(label: "ocpp_messages_in_total", dimensions: [("action", action)]).increment()
    }

    /// The sanitizer repaired something.
    func repaired(_ kind: String, charger: String) {
        Counter(label: "ocpp_sanitizer_repairs_total", dimensions: [("kind", kind), ("charger", charger)]).increment()
    }

    /// A CALL was refused (schema or normalization).
    func refused(_ action: String, reason: String) {
        Counter(label: "ocpp_messages_refused_total", dimensions: [("action", action), ("reason", reason)]).increment()
    }
}

extension PointValue {
    /// The value kinds, for metric labels, in the order of `kindIndex`.
    static let kindNames = ["single", "double", "normalized", "scaled", "float", "counter"]

    /// The value's kind as an index into `kindNames`.
    var kindIndex: Int {
        switch self {
        case .single: 0
        case .double: 1
        case .normalized: 2
        case .scaled: 3
        case .float: 4
        case .counter: 5
        }
    }
}

extension Transmission {
    /// The transmissions, for metric labels, in the order of `index`.
    static let names = ["spontaneous", "periodic", "background", "image_only"]

    /// The transmission as an index into `names`.
    var index: Int {
        switch self {
        case .spontaneous: 0
        case .periodic: 1
        case .background: 2
        case .imageOnly: 3
        }
    }
}

extension RequestOutcome {
    /// The outcome's name, for metric labels.
    var name: String {
        switch self {
        case .accepted: "accepted"
        case .rejected: "rejected"
        case .callError: "callerror"
        case .invalidResponse: "invalid_response"
        case .malformedResponse: "malformed_response"
        case .timeout: "timeout"
        case .disconnected: "disconnected"
        case .queueFull: "queue_full"
        case .notSupported: "not_supported"
        }
    }
}
