import IEC104
import Metrics
import OCPP

/// The runtime's counters, through swift-metrics (exported by whatever backend the process bootstrapped).
final class RuntimeMetrics: Sendable {
    private let commands = Counter(label: "gateway_commands_total")
    private let publishRefusals = Counter(label: "gateway_publish_refused_total")
    let revision = Gauge(label: "gateway_rule_revision")

    /// A point update went to the station: counted by IEC type and how it is sent.
    func published(_ update: PointUpdate) {
        let transmission = switch update.transmission {
        case .spontaneous: "spontaneous"
        case .periodic: "periodic"
        case .background: "background"
        case .imageOnly: "image_only"
        }
        Counter(label: "iec104_point_updates_total", dimensions: [("kind", update.value.kindName),
                                                                  ("transmission", transmission)]).increment()
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
    /// The value's kind, for metric labels.
    var kindName: String {
        switch self {
        case .single: "single"
        case .double: "double"
        case .normalized: "normalized"
        case .scaled: "scaled"
        case .float: "float"
        case .counter: "counter"
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
