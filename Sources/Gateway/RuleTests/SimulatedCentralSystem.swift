import Foundation
import OCPP
import Rules

/// The OCPP central system's side of a test: a charger's CALL is checked and normalized exactly as
/// `CentralSystem` does it, and the test's answers to the gateway's calls become outcomes as `CentralSystem.send`
/// reads them.
struct SimulatedCentralSystem {
    /// What became of a charger's CALL.
    enum Intake {
        /// Answered with a CALLERROR, as production would; the engine sees nothing.
        case refused(String)
        /// Accepted: the normalized events the engine receives.
        case accepted([ChargerEvent])
    }

    private let graph: RuleGraph
    private let schemas: OfficialSchemas
    private var transactionIDs = 0

    /// Creates the central system of a site.
    init(graph: RuleGraph, schemas: OfficialSchemas = .bundled) {
        self.graph = graph
        self.schemas = schemas
    }

    /// The OCPP version of a rule version.
    static func wireVersion(_ version: Rules.OCPPVersion) -> OCPP.OCPPVersion {
        version == .v16 ? .v16 : .v201
    }

    /// Checks a CALL against the official schema, normalizes it with the charger's sanitizer and zone, and says
    /// what the engine would receive (mirrors `CentralSystem.answer`).
    mutating func receive(_ call: IncomingCall) -> Intake {
        guard let schema = schemas.schema(for: call.action, .request, version: call.version) else {
            return .refused("NotImplemented: unknown action \(call.action)")
        }
        let charger = graph.chargerIndex[call.identity].map { graph.chargers[$0] }
        let policy: OCPP.SanitizerPolicy = charger?.sanitizer == .strict ? .strict : .lenient
        let zone = charger.flatMap { TimeZone(identifier: $0.timezone) }
        let violations = schema.validate(.object(call.payload))
        var normalized: NormalizedCall
        switch Normalizer.normalize(call, policy: policy, timeZone: zone) {
        case let .success(result):
            normalized = result
        case let .failure(error):
            guard !violations.isEmpty else {
                let code = error.refusedRepair == nil ? "FormatViolation" : "PropertyConstraintViolation"
                return .refused("\(code): \(error.path): \(error.message)")
            }
            return .refused(Self.describe(violations))
        }
        let repaired = normalized.repairs.map(\.path)
        let unexcused = violations.filter { violation in
            !repaired.contains { violation.path == $0 || violation.path.hasPrefix($0 + ".") || violation.path.hasPrefix($0 + "[") }
        }
        guard unexcused.isEmpty else { return .refused(Self.describe(unexcused)) }
        if call.action == "StartTransaction", call.version == .v16 {
            // Production assigns the 1.6 transaction id in its answer; the started event learns it then.
            transactionIDs += 1
            if case let .success(withID) = Normalizer.normalize(call, policy: policy, assignedTransactionId: "\(transactionIDs)",
                                                                timeZone: zone) {
                normalized = withID
            }
        }
        return .accepted(normalized.events)
    }

    /// The outcome `CentralSystem.send` reports for a test's answer to a call.
    func outcome(of reply: ReplyOutcome, to call: CallObservation) -> RequestOutcome {
        switch reply {
        case let .result(payload):
            if let schema = schemas.schema(for: call.request.action, .response, version: call.version) {
                let violations = schema.validate(.object(payload))
                if !violations.isEmpty { return .invalidResponse(violations) }
            }
            guard let status = payload["status"]?.stringValue else { return .accepted(payload) }
            return status == "Accepted" ? .accepted(payload) : .rejected(status: status, payload)
        case let .callError(code, description): return .callError(RPCErrorCode(code), description: description)
        case .timeout: return .timeout
        case .disconnected: return .disconnected
        }
    }

    /// Why a call the gateway sends would not reach the charger as OCPP: no such request in its version, or a
    /// payload that breaks the official request schema; nil when it is fine.
    func checkOutgoing(_ call: CallObservation) -> String? {
        guard let payload = call.payload else {
            return "call #\(call.number): OCPP \(call.version.rawValue) has no \(call.request.action) request"
        }
        guard let schema = schemas.schema(for: call.request.action, .request, version: call.version) else { return nil }
        let violations = schema.validate(.object(payload))
        guard !violations.isEmpty else { return nil }
        return "call #\(call.number) \(call.request.action) to \(call.charger) breaks the OCPP \(call.version.rawValue) schema: "
            + violations.map(\.description).joined(separator: "; ")
    }

    private static func describe(_ violations: [SchemaViolation]) -> String {
        "schema violation: " + violations.map(\.description).joined(separator: "; ")
    }
}
