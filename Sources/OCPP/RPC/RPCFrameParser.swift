/// What arrived in one WebSocket text message.
public enum RPCInbound: Hashable, Sendable {
    /// A well-formed frame.
    case frame(RPCFrame)
    /// Not a usable frame: what was wrong, the message id when it could be read, and the CALLERROR to answer
    /// with (nil when nothing may be answered: a broken response, or a 1.6 frame without a readable id).
    case invalid(RPCFrameProblem, id: String?, reply: RPCFrame?)
}

/// Why a text message is not a usable OCPP-J frame.
public enum RPCFrameProblem: Hashable, Sendable, CustomStringConvertible {
    /// The text is not JSON.
    case notJSON(JSONError)
    /// The JSON is not a non-empty array.
    case notAnArray
    /// The first element is not a message type number.
    case messageTypeNotANumber
    /// The message type number is not 2, 3 or 4.
    case unknownMessageType(String)
    /// The message id is not a string of 1...255 characters.
    case unreadableID
    /// The frame has the wrong number of elements for its type.
    case wrongElementCount(type: Int, count: Int)
    /// A CALL's action is not a string.
    case actionNotAString
    /// The payload of a CALL or CALLRESULT is not an object.
    case payloadNotAnObject
    /// A CALLERROR's code or description is not a string.
    case errorFieldsNotStrings

    /// Words for logs.
    public var description: String {
        switch self {
        case let .notJSON(error): "not JSON: \(error)"
        case .notAnArray: "not an OCPP-J frame (a JSON array)"
        case .messageTypeNotANumber: "message type is not a number"
        case let .unknownMessageType(type): "unknown message type \(type)"
        case .unreadableID: "message id is not a string of 1 to 255 characters"
        case let .wrongElementCount(type, count): "message type \(type) with \(count) elements"
        case .actionNotAString: "action is not a string"
        case .payloadNotAnObject: "payload is not a JSON object"
        case .errorFieldsNotStrings: "CALLERROR code or description is not a string"
        }
    }
}

/// Reads OCPP-J frames, deciding for every malformed one what the negotiated version says to answer.
public enum RPCFrameParser {
    /// The longest message id accepted; the standard says 36, real chargers send longer ones.
    static let maximumIDLength = 255

    /// Reads one text message received from a charger speaking `version`.
    public static func parse(_ text: String, version: OCPPVersion, limits: JSONLimits = .default) -> RPCInbound {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text, limits: limits)
        } catch {
            return unreadable(.notJSON(error), version: version)
        }
        guard case let .array(elements) = value, let first = elements.first else {
            return unreadable(.notAnArray, version: version)
        }
        guard case let .number(number) = first else { return unreadable(.messageTypeNotANumber, version: version) }
        let id = elements.count > 1 ? readableID(elements[1]) : nil
        guard let typeNumber = number.int, let type = MessageType(rawValue: typeNumber) else {
            let problem = RPCFrameProblem.unknownMessageType(number.text)
            // 1.6 ignores unknown message types; 2.0.1 answers them.
            guard version == .v201 else { return .invalid(problem, id: id, reply: nil) }
            return .invalid(problem, id: id, reply: .callError(id: id ?? "-1", code: .messageTypeNotSupported,
                                                              description: problem.description, details: JSONObject()))
        }
        guard let id else {
            return type == .call ? unreadable(.unreadableID, version: version) : .invalid(.unreadableID, id: nil, reply: nil)
        }
        switch type {
        case .call:
            guard elements.count == 4 else {
                return malformedCall(.wrongElementCount(type: 2, count: elements.count), id: id, version: version)
            }
            guard case let .string(action) = elements[2] else { return malformedCall(.actionNotAString, id: id, version: version) }
            guard case let .object(payload) = elements[3] else {
                return .invalid(.payloadNotAnObject, id: id,
                                reply: .callError(id: id, code: .formatViolation,
                                                  description: RPCFrameProblem.payloadNotAnObject.description,
                                                  details: JSONObject()))
            }
            return .frame(.call(id: id, action: action, payload: payload))
        case .callResult:
            guard elements.count == 3 else { return .invalid(.wrongElementCount(type: 3, count: elements.count), id: id, reply: nil) }
            guard case let .object(payload) = elements[2] else { return .invalid(.payloadNotAnObject, id: id, reply: nil) }
            return .frame(.callResult(id: id, payload: payload))
        case .callError:
            // Details are often left out by chargers; a missing or non-object details field is read as {}.
            guard (4...5).contains(elements.count) else {
                return .invalid(.wrongElementCount(type: 4, count: elements.count), id: id, reply: nil)
            }
            guard case let .string(code) = elements[2], case let .string(description) = elements[3] else {
                return .invalid(.errorFieldsNotStrings, id: id, reply: nil)
            }
            let details = elements.count == 5 ? elements[4].objectValue ?? JSONObject() : JSONObject()
            return .frame(.callError(id: id, code: RPCErrorCode(code), description: description, details: details))
        }
    }

    private static func readableID(_ value: JSONValue) -> String? {
        guard case let .string(id) = value, (1...maximumIDLength).contains(id.count) else { return nil }
        return id
    }

    /// A frame whose id cannot be read: 2.0.1 answers RpcFrameworkError to id "-1"; 1.6 has no such rule.
    private static func unreadable(_ problem: RPCFrameProblem, version: OCPPVersion) -> RPCInbound {
        guard version == .v201 else { return .invalid(problem, id: nil, reply: nil) }
        return .invalid(problem, id: nil, reply: .callError(id: "-1", code: .rpcFrameworkError,
                                                             description: problem.description, details: JSONObject()))
    }

    /// A CALL with a readable id but a broken frame: RpcFrameworkError (1.6: FormationViolation) to that id.
    private static func malformedCall(_ problem: RPCFrameProblem, id: String, version: OCPPVersion) -> RPCInbound {
        .invalid(problem, id: id, reply: .callError(id: id, code: .rpcFrameworkError, description: problem.description,
                                                   details: JSONObject()))
    }
}
