/// A CALLERROR code of OCPP-J; both versions' spellings are understood, each version's own is sent.
public enum RPCErrorCode: Hashable, Sendable {
    /// The action is not known.
    case notImplemented
    /// The action is known but not supported.
    case notSupported
    /// An internal error prevented the action.
    case internalError
    /// The payload is incomplete.
    case protocolError
    /// A security issue prevented the action.
    case securityError
    /// The payload is syntactically wrong (1.6 spells it FormationViolation).
    case formatViolation
    /// A field holds a value outside its constraints.
    case propertyConstraintViolation
    /// A field is missing or repeated against its occurrence constraints (1.6 spells it OccurenceConstraintViolation).
    case occurrenceConstraintViolation
    /// A field holds a value of the wrong type.
    case typeConstraintViolation
    /// Any other error.
    case genericError
    /// 2.0.1: the message type number is not supported.
    case messageTypeNotSupported
    /// 2.0.1: the frame could not be read as an RPC frame.
    case rpcFrameworkError
    /// A code neither version defines, kept as received.
    case other(String)

    /// Reads a code in either version's spelling.
    public init(_ text: String) {
        switch text {
        case "NotImplemented": self = .notImplemented
        case "NotSupported": self = .notSupported
        case "InternalError": self = .internalError
        case "ProtocolError": self = .protocolError
        case "SecurityError": self = .securityError
        case "FormatViolation", "FormationViolation": self = .formatViolation
        case "PropertyConstraintViolation": self = .propertyConstraintViolation
        case "OccurrenceConstraintViolation", "OccurenceConstraintViolation": self = .occurrenceConstraintViolation
        case "TypeConstraintViolation": self = .typeConstraintViolation
        case "GenericError": self = .genericError
        case "MessageTypeNotSupported": self = .messageTypeNotSupported
        case "RpcFrameworkError": self = .rpcFrameworkError
        default: self = .other(text)
        }
    }

    /// The code as `version` spells it. 1.6 has no RpcFrameworkError or MessageTypeNotSupported: a frame it
    /// cannot read is a FormationViolation there, and an unknown message type is a ProtocolError.
    public func spelling(for version: OCPPVersion) -> String {
        switch (self, version) {
        case (.notImplemented, _): "NotImplemented"
        case (.notSupported, _): "NotSupported"
        case (.internalError, _): "InternalError"
        case (.protocolError, _): "ProtocolError"
        case (.securityError, _): "SecurityError"
        case (.formatViolation, .v16), (.rpcFrameworkError, .v16): "FormationViolation"
        case (.formatViolation, .v201): "FormatViolation"
        case (.propertyConstraintViolation, _): "PropertyConstraintViolation"
        case (.occurrenceConstraintViolation, .v16): "OccurenceConstraintViolation"
        case (.occurrenceConstraintViolation, .v201): "OccurrenceConstraintViolation"
        case (.typeConstraintViolation, _): "TypeConstraintViolation"
        case (.genericError, _): "GenericError"
        case (.messageTypeNotSupported, .v16): "ProtocolError"
        case (.messageTypeNotSupported, .v201): "MessageTypeNotSupported"
        case (.rpcFrameworkError, .v201): "RpcFrameworkError"
        case let (.other(text), _): text
        }
    }
}
