/// How a typed request to a charger ended.
public enum RequestOutcome: Hashable, Sendable {
    /// The charger answered with status Accepted (GetVariables: any valid answer); its payload.
    case accepted(JSONObject)
    /// The charger answered with another status (Rejected, NotSupported, …); the status and payload.
    case rejected(status: String, JSONObject)
    /// The charger answered with a CALLERROR.
    case callError(RPCErrorCode, description: String)
    /// The charger's answer broke the official response schema.
    case invalidResponse([SchemaViolation])
    /// The charger's answer could not be read.
    case malformedResponse(RPCFrameProblem)
    /// No answer within the call timeout.
    case timeout
    /// The charger is not connected, or went away before answering.
    case disconnected
    /// Too many requests wait for this charger.
    case queueFull
    /// The charger's version has no such request (GetVariables on 1.6).
    case notSupported(OCPPVersion)
}

extension CentralSystem {
    /// Sends a typed request in the charger's own version and reads the answer against the official schema.
    public func send(_ request: OutgoingRequest, to identity: String) async -> RequestOutcome {
        guard let version = version(of: identity) else { return .disconnected }
        guard let payload = request.payload(for: version) else { return .notSupported(version) }
        switch await call(identity, action: request.action, payload: payload) {
        case let .result(answer):
            if let schema = schemas.schema(for: request.action, .response, version: version) {
                let violations = schema.validate(.object(answer))
                if !violations.isEmpty { return .invalidResponse(violations) }
            }
            guard let status = answer["status"]?.stringValue else { return .accepted(answer) }
            return status == "Accepted" ? .accepted(answer) : .rejected(status: status, answer)
        case let .callError(code, description, _): return .callError(code, description: description)
        case .timeout: return .timeout
        case .disconnected: return .disconnected
        case .queueFull: return .queueFull
        case let .malformedResponse(problem): return .malformedResponse(problem)
        }
    }
}
