import IEC104
import Rules

/// Why the engine sent a request, so its outcome lands in the right place.
enum CallPurpose: Hashable, Sendable {
    /// TriggerMessage after a charger (re)connected; the outcome is only logged.
    case refresh
    /// A share of a SCADA command (a charger limit, or one charger's part of a site limit).
    case command(CommandTicket)
    /// A site limit shared again after chargers came or went; the outcome is only logged.
    case reshare
    /// GetCompositeSchedule before a general interrogation; an accepted answer updates the read-back.
    case schedule
}

/// A request waiting for its charger.
struct PendingCall: Hashable, Sendable {
    var purpose: CallPurpose
    var charger: String
    /// The control rule it carries out (nil for refreshes).
    var rule: Int?
    /// The value in the rule point's unit.
    var value: Double?
}

/// A SCADA command waiting for its requests.
struct PendingCommand: Hashable, Sendable {
    /// The control rule the command addressed.
    var rule: Int
    /// The commanded value in the point's unit.
    var value: Double
    /// Requests not answered yet.
    var waiting: Set<CallTicket>
    /// Why requests failed, per charger.
    var failures: [String]
}

/// What the control path remembers between commands.
struct ControlState: Hashable, Sendable {
    /// The last value each control rule carried out (point unit), for the select-before-operate threshold.
    var commanded: [Int: Double] = [:]
    /// Per control rule: when its executes went out, for the rate limit.
    var executes: [Int: [EngineTime]] = [:]
    /// Requests waiting for chargers.
    var calls: [CallTicket: PendingCall] = [:]
    /// Commands waiting for their requests.
    var commands: [CommandTicket: PendingCommand] = [:]
    /// Site limits in force, by distributing control rule, in the site point's unit.
    var siteLimits: [Int: Double] = [:]
}
