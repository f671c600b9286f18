/// A CALL a charger sent, after its payload passed the official schema.
public struct IncomingCall: Hashable, Sendable {
    /// The charger's identity.
    public var identity: String
    /// The negotiated version.
    public var version: OCPPVersion
    /// The message id.
    public var id: String
    /// The action, e.g. `MeterValues`.
    public var action: String
    /// The payload.
    public var payload: JSONObject

    /// Creates a call (the central system builds them; tests and benchmarks too).
    public init(identity: String, version: OCPPVersion, id: String, action: String, payload: JSONObject) {
        self.identity = identity
        self.version = version
        self.id = id
        self.action = action
        self.payload = payload
    }
}

/// How the central system answers an incoming CALL.
public enum IncomingCallAnswer: Hashable, Sendable {
    /// A CALLRESULT with this payload.
    case result(JSONObject)
    /// A CALLERROR.
    case error(RPCErrorCode, description: String)
}

/// Answers incoming CALLs; the runtime supplies one, `StandardResponder` is the built-in default.
public typealias IncomingCallHandler = @Sendable (IncomingCall) async -> IncomingCallAnswer
