/// One OCPP-J message: a request, its result, or its error.
public enum RPCFrame: Hashable, Sendable {
    /// `[2, id, action, payload]`.
    case call(id: String, action: String, payload: JSONObject)
    /// `[3, id, payload]`.
    case callResult(id: String, payload: JSONObject)
    /// `[4, id, code, description, details]`.
    case callError(id: String, code: RPCErrorCode, description: String, details: JSONObject)

    /// The message id.
    public var id: String {
        switch self {
        case let .call(id, _, _), let .callResult(id, _), let .callError(id, _, _, _): id
        }
    }

    /// The frame as JSON text, with the error code spelled as `version` spells it.
    public func serialized(for version: OCPPVersion) -> String {
        let array: [JSONValue] = switch self {
        case let .call(id, action, payload):
            [.number(JSONNumber(2)), .string(id), .string(action), .object(payload)]
        case let .callResult(id, payload):
            [.number(JSONNumber(3)), .string(id), .object(payload)]
        case let .callError(id, code, description, details):
            [.number(JSONNumber(4)), .string(id), .string(code.spelling(for: version)), .string(description),
             .object(details)]
        }
        return JSONValue.array(array).serialized()
    }
}

/// The OCPP-J message type numbers.
enum MessageType: Int {
    case call = 2
    case callResult = 3
    case callError = 4
}
