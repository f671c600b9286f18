/// Receives what happens on upgraded charger connections.
///
/// Every call runs on the server's event loop, in order per connection: `connected`, then `received` for each text
/// message, then `disconnected` exactly once. Calls must return quickly; hand longer work to a task or an actor.
public protocol OCPPConnectionDelegate: Sendable {
    /// A charger completed the upgrade; its messages follow.
    func connected(_ connection: ChargerConnection)
    /// A complete, UTF-8 text message arrived.
    func received(text: String, from connection: ChargerConnection)
    /// The connection stopped carrying messages (closed by either side, failed, replaced or lost); fires once.
    func disconnected(_ connection: ChargerConnection, reason: DisconnectReason)
}

/// Why a charger connection ended.
public enum DisconnectReason: Hashable, Sendable {
    /// The charger sent a close frame (code nil when it sent none).
    case chargerClosed(code: UInt16?, reason: String)
    /// The application closed the connection with `ChargerConnection.close(code:reason:)`.
    case serverClosed(code: UInt16, reason: String)
    /// The same identity connected again and took over (closed with 1000 "replaced").
    case replaced
    /// A message exceeded `maximumMessageSize` (closed with 1009).
    case messageTooLarge
    /// A text message was not UTF-8 (closed with 1007).
    case invalidUTF8
    /// The charger sent a binary message, which OCPP-J does not use (closed with 1003).
    case binaryFrame
    /// The charger broke the WebSocket framing rules (closed with 1002); the text says how.
    case protocolViolation(String)
    /// No frame arrived within `pingTimeout` of a ping.
    case pingTimeout
    /// Outbound bytes piled up on a socket the charger does not read.
    case slowConsumer
    /// The TCP connection ended without a close handshake.
    case connectionLost
    /// The server shut down (closed with 1001).
    case serverShutdown
}

/// One upgraded charger connection; safe to keep and use from any thread.
public final class ChargerConnection: Sendable, Hashable, CustomStringConvertible {
    /// A number unique among this server's connections (a reconnecting charger gets a new one).
    public let id: UInt64
    /// The charger identity from the URL.
    public let identity: String
    /// The negotiated OCPP version.
    public let version: OCPPVersion
    /// The charger's address as HOST:PORT.
    public let remoteAddress: String
    private let core: OCPPServerCore

    /// Whether the charger connected over TLS.
    public let isTLS: Bool

    init(id: UInt64, identity: String, version: OCPPVersion, remoteAddress: String, isTLS: Bool, core: OCPPServerCore) {
        self.id = id
        self.identity = identity
        self.version = version
        self.remoteAddress = remoteAddress
        self.isTLS = isTLS
        self.core = core
    }

    /// Sends one text message; once the connection has ended it is dropped, counted in `sendsDropped`.
    ///
    /// Outbound bytes are bounded: when the socket is not writable and more than `maximumPendingOutboundBytes`
    /// would wait, the connection is closed as a slow consumer instead of buffering without end.
    public func send(text: String) {
        let core = core
        let id = id
        core.onLoop { core.send(text, on: id) }
    }

    /// Starts the close handshake: sends a close frame and ends the TCP connection when the charger answers
    /// (or after `closeTimeout`). `disconnected` fires with `.serverClosed`.
    public func close(code: UInt16 = 1000, reason: String = "") {
        let core = core
        let id = id
        core.onLoop { core.close(id, code: code, reason: reason) }
    }

    /// Identity, version and address.
    public var description: String { "\(identity) (\(version.rawValue), \(remoteAddress), #\(id))" }

    /// Connections are equal when they are the same connection.
    public static func == (lhs: ChargerConnection, rhs: ChargerConnection) -> Bool { lhs === rhs }

    /// Hashes the connection's identity as an object.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
