import IEC104
import OCPP
import Rules

/// Reading a command's value in the point's unit.
enum CommandValue {
    /// The set-point in the point's unit (a normalized value times the rule's full scale), or 1/0 for on/off.
    static func number(_ command: Command, rule: ControlRule) -> Double? {
        switch command {
        case let .setpointFloat(value): value.isFinite ? Double(value) : nil
        case let .setpointScaled(value): Double(value)
        case let .setpointNormalized(value): rule.fullScale.map { Double(value.rawValue) / 32768 * $0 }
        case let .single(on, _): on ? 1 : 0
        case let .double(state, _): state == .on ? 1 : 0
        }
    }

    /// Words for the log: how a value is shown to people.
    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// Turning a request's outcome into a reason, or nil when the charger did what was asked.
enum OutcomeReason {
    /// Nil when the charger accepted (ChangeAvailability's `Scheduled` counts: it takes effect after the session).
    static func failure(_ outcome: RequestOutcome) -> String? {
        switch outcome {
        case .accepted: nil
        case let .rejected(status, _): status == "Scheduled" ? nil : "the charger answered \(status)"
        case let .callError(code, description): "the charger answered CALLERROR \(code.spelling(for: .v201)): \(description)"
        case let .invalidResponse(violations): "the charger's answer broke the schema: \(violations.first.map(\.description) ?? "")"
        case let .malformedResponse(problem): "the charger's answer could not be read: \(problem)"
        case .timeout: "the charger did not answer in time"
        case .disconnected: "the charger is not connected"
        case .queueFull: "too many requests wait for the charger"
        case let .notSupported(version): "OCPP \(version.rawValue) has no such request"
        }
    }
}
