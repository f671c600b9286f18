import Logging
import NIOCore
import TransportSecurity

/// One address the server accepts chargers on: plain `ws://`, or `wss://` when it has a TLS server.
public struct OCPPListener: Sendable {
    /// The address to listen on.
    public var host: String
    /// The TCP port (0 picks a free one).
    public var port: Int
    /// The TLS context for `wss://` (security profiles 2 and 3); nil listens for plain `ws://`.
    public var tls: TLSServer?

    /// Creates a listener.
    public init(host: String = "0.0.0.0", port: Int = 9000, tls: TLSServer? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }
}

/// Everything an `OCPPWebSocketServer` is configured with.
public struct OCPPServerConfiguration: Sendable {
    /// Where chargers connect; all listeners share one registry of identities, limits and counters.
    public var listeners: [OCPPListener]
    /// The subprotocols the server speaks; the client's order decides among them.
    public var supportedVersions: [OCPPVersion]
    /// The version assumed for a client that offers no subprotocol at all; nil refuses such clients.
    public var legacyFallback: OCPPVersion?
    /// Whether a second connection of a connected identity replaces the first (else it is refused with 409).
    public var replaceExistingConnection: Bool
    /// The most chargers connected at once; more are refused with 503.
    public var maximumConnections: Int
    /// The most TCP connections still in their HTTP handshake; more are closed on accept.
    public var maximumPendingHandshakes: Int
    /// The longest request head (request line and headers) accepted for the upgrade, in bytes.
    public var maximumRequestHeadBytes: Int
    /// How long a client may take to complete the upgrade before its connection is closed.
    public var handshakeTimeout: Duration
    /// The longest message (all fragments together) a charger may send, in bytes; more closes with 1009.
    public var maximumMessageSize: Int
    /// How many bytes may wait to be written to an unwritable connection before it is closed as a slow consumer.
    public var maximumPendingOutboundBytes: Int
    /// How often the server pings an idle-or-not charger; nil disables pings.
    public var pingInterval: Duration?
    /// How long after a ping some frame must arrive before the connection is closed.
    public var pingTimeout: Duration
    /// How long the server waits for the charger's close frame after sending its own.
    public var closeTimeout: Duration
    /// The longest charger identity accepted for any version, in characters (2.0.1 has its own limit of 48).
    public var maximumIdentityLength: Int
    /// The realm named in the `WWW-Authenticate` header of a 401.
    public var authenticationRealm: String
    /// Where the server logs (never a password or an Authorization header).
    public var logger: Logger

    /// Creates a configuration with the defaults of the issue: plain `ws://` on port 9000, both versions, 1.6 for
    /// legacy clients, 64 KiB messages, 30 s pings.
    public init(listeners: [OCPPListener] = [OCPPListener()],
                supportedVersions: [OCPPVersion] = [.v201, .v16], legacyFallback: OCPPVersion? = .v16,
                replaceExistingConnection: Bool = true, maximumConnections: Int = 1000,
                maximumPendingHandshakes: Int = 64, maximumRequestHeadBytes: Int = 8192,
                handshakeTimeout: Duration = .seconds(10), maximumMessageSize: Int = 64 * 1024,
                maximumPendingOutboundBytes: Int = 1024 * 1024, pingInterval: Duration? = .seconds(30),
                pingTimeout: Duration = .seconds(10), closeTimeout: Duration = .seconds(5),
                maximumIdentityLength: Int = 255, authenticationRealm: String = "ocpp809",
                logger: Logger = Logger(label: "ocpp809.ocpp.websocket")) {
        self.listeners = listeners
        self.supportedVersions = supportedVersions
        self.legacyFallback = legacyFallback
        self.replaceExistingConnection = replaceExistingConnection
        self.maximumConnections = maximumConnections
        self.maximumPendingHandshakes = maximumPendingHandshakes
        self.maximumRequestHeadBytes = maximumRequestHeadBytes
        self.handshakeTimeout = handshakeTimeout
        self.maximumMessageSize = maximumMessageSize
        self.maximumPendingOutboundBytes = maximumPendingOutboundBytes
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.closeTimeout = closeTimeout
        self.maximumIdentityLength = maximumIdentityLength
        self.authenticationRealm = authenticationRealm
        self.logger = logger
    }
}

/// Upgrade requests refused, by reason.
public struct OCPPRefusalCounters: Hashable, Sendable {
    /// Not a WebSocket upgrade (plain HTTP, missing or bad WebSocket headers, oversized or malformed request).
    public var badRequest = 0
    /// No identity in the path, a broken percent-encoding, or an identity not allowed for the chosen version.
    public var badPath = 0
    /// No subprotocol in common with the client (or no subprotocol and no legacy fallback).
    public var unsupportedProtocol = 0
    /// The admission delegate did not know the charger (404).
    public var unknownCharger = 0
    /// The admission delegate refused the credentials (401).
    public var unauthorized = 0
    /// Too many connections or handshakes (503, or closed on accept).
    public var limit = 0
    /// The identity is already connected and replacement is off (409).
    public var duplicate = 0
    /// The charger's security profile needs TLS, or a client certificate it did not present (403).
    public var transportSecurity = 0
    /// The TLS handshake failed (no common version or cipher, an unverifiable client certificate, not TLS at all).
    public var tlsHandshake = 0

    /// Creates zeroed counters.
    public init() {}

    /// All refusals together.
    public var total: Int {
        badRequest + badPath + unsupportedProtocol + unknownCharger + unauthorized + limit + duplicate
            + transportSecurity + tlsHandshake
    }
}

/// Counters of the WebSocket server; every refusal and every forced close is counted here.
public struct OCPPServerCounters: Hashable, Sendable {
    /// Chargers whose upgrade completed.
    public var accepted = 0
    /// Upgrade requests refused, by reason.
    public var refused = OCPPRefusalCounters()
    /// Connections closed because the same identity connected again.
    public var replaced = 0
    /// Text messages delivered to the delegate.
    public var messagesReceived = 0
    /// Text messages handed to the transport for sending.
    public var messagesSent = 0
    /// Text messages the application sent on a connection that had already ended (dropped).
    public var sendsDropped = 0
    /// Connections closed with 1009 because a message exceeded `maximumMessageSize`.
    public var messagesTooLarge = 0
    /// Connections closed with 1007 because a text message was not UTF-8.
    public var invalidUTF8 = 0
    /// Connections closed with 1003 because the charger sent a binary frame.
    public var binaryFrames = 0
    /// Connections closed with 1002 for other framing violations (unmasked frame, bad continuation, reserved bits).
    public var protocolErrors = 0
    /// Connections closed because no frame arrived within `pingTimeout` of a ping.
    public var pingTimeouts = 0
    /// Connections closed because `maximumPendingOutboundBytes` waited on an unwritable socket.
    public var slowConsumers = 0
    /// Connections closed because the upgrade did not complete within `handshakeTimeout`.
    public var handshakeTimeouts = 0

    /// Creates zeroed counters.
    public init() {}
}

/// One connected charger, as `OCPPWebSocketServer.status()` lists it.
public struct ConnectedCharger: Hashable, Sendable {
    /// The charger identity from the URL.
    public var identity: String
    /// The negotiated OCPP version.
    public var version: OCPPVersion
    /// The charger's address as HOST:PORT.
    public var remoteAddress: String
    /// Whether it connected over TLS.
    public var isTLS: Bool
}

/// A snapshot of the server: connected chargers, handshakes in progress and counters.
public struct OCPPServerStatus: Hashable, Sendable {
    /// Connected chargers, by identity.
    public var connections: [ConnectedCharger]
    /// TCP connections still in their HTTP handshake.
    public var pendingHandshakes: Int
    /// Every counter.
    public var counters: OCPPServerCounters
}
