/// The OCPP-J versions the central system speaks, named by their WebSocket subprotocol.
public enum OCPPVersion: String, Hashable, Sendable, CaseIterable {
    /// OCPP 1.6J.
    case v16 = "ocpp1.6"
    /// OCPP 2.0.1.
    case v201 = "ocpp2.0.1"
}
