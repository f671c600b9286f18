import GatewaySupport
import Logging
import NIOCore
import NIOHTTP1
import TransportSecurity

/// The server's state: handshakes in progress, the registry of identities, open connections and counters.
///
/// Every method runs on `loop` (the one event loop that carries all charger connections), so nothing here needs
/// a lock; `ChargerConnection` and the public server hop onto the loop.
final class OCPPServerCore: @unchecked Sendable {
    /// A handshake that passed negotiation and admission, waiting for its upgrade to complete.
    struct Admitted: Sendable {
        var id: UInt64
        var negotiated: NegotiatedHandshake
        var remoteAddress: String
        var isTLS: Bool
    }

    let loop: EventLoop
    let configuration: OCPPServerConfiguration
    private let delegate: any OCPPConnectionDelegate
    private let admission: AdmissionHandler
    private var logger: Logger { configuration.logger }
    private var counters = OCPPServerCounters()
    private var registry = ChargerRegistry()
    private var handlers: [UInt64: WebSocketConnectionHandler] = [:]
    /// Connections still in their HTTP handshake, so that a shutdown can close them too.
    private var handshaking: [ObjectIdentifier: Channel] = [:]
    private var shuttingDown = false
    private var nextID: UInt64 = 1
    /// Refusals and failures can come in floods (scanners, a reconnect storm): one line per 10 s each.
    private var refusalLog = RateLimitedLog()
    private var failureLog = RateLimitedLog()

    init(loop: EventLoop, configuration: OCPPServerConfiguration, delegate: any OCPPConnectionDelegate,
         admission: @escaping AdmissionHandler) {
        self.loop = loop
        self.configuration = configuration
        self.delegate = delegate
        self.admission = admission
    }

    /// Runs `work` on the loop: at once when already there, so callbacks keep their order.
    func onLoop(_ work: @escaping @Sendable () -> Void) {
        if loop.inEventLoop { work() } else { loop.execute(work) }
    }

    // MARK: - Handshakes

    /// A TCP connection arrived; false refuses it (shutting down, or too many handshakes in progress), counted.
    func beginHandshake(_ channel: Channel, remote: String) -> Bool {
        guard !shuttingDown, handshaking.count < configuration.maximumPendingHandshakes else {
            refused(.limit, remote: remote, identity: nil)
            return false
        }
        handshaking[ObjectIdentifier(channel)] = channel
        return true
    }

    /// A connection left the handshake stage (upgraded, refused, timed out or lost).
    func endHandshake(_ channel: Channel) {
        handshaking[ObjectIdentifier(channel)] = nil
    }

    /// Negotiates and admits an upgrade request; a refusal is counted when its response goes out.
    func evaluate(_ head: HTTPRequestHead, remote: String, isTLS: Bool,
                  clientCertificate: PeerCertificate?) -> Result<Admitted, HandshakeRefusal> {
        let negotiated: NegotiatedHandshake
        do {
            negotiated = try HandshakeNegotiation.negotiate(
                head, supported: configuration.supportedVersions, legacyFallback: configuration.legacyFallback,
                maximumIdentityLength: configuration.maximumIdentityLength)
        } catch {
            return .failure(error)
        }
        let authorization = head.headers["Authorization"]
        // Two Authorization headers are ambiguous: treated as unreadable rather than picking one.
        let credentials = authorization.count == 1 ? BasicCredentials(authorizationHeader: authorization[0]) : nil
        let handshake = ChargerHandshake(identity: negotiated.identity, version: negotiated.version,
                                         remoteAddress: remote, credentials: credentials,
                                         authorizationPresent: !authorization.isEmpty,
                                         isTLS: isTLS, clientCertificate: clientCertificate)
        // Admission after shutdown began would announce a charger nobody listens for any more.
        guard !shuttingDown else { return .failure(.limit) }
        switch admission(handshake) {
        case .accept: break
        case .unknownCharger: return .failure(.unknownCharger)
        case .unauthorized: return .failure(.unauthorized)
        case .transportSecurityRequired: return .failure(.transportSecurity)
        }
        let id = nextID
        switch registry.reserve(negotiated.identity, id: id, replaceExisting: configuration.replaceExistingConnection,
                                maximum: configuration.maximumConnections) {
        case .duplicate: return .failure(.duplicate)
        case .full: return .failure(.limit)
        case .reserved: break
        }
        nextID += 1
        return .success(Admitted(id: id, negotiated: negotiated, remoteAddress: remote, isTLS: isTLS))
    }

    /// An admitted handshake ended without an upgrade.
    func release(_ admitted: Admitted) {
        registry.release(admitted.id)
    }

    /// Counts and logs a refusal (never the Authorization header: the handshake's description leaves it out).
    func refused(_ refusal: HandshakeRefusal, remote: String, identity: String?) {
        refusal.count(in: &counters.refused)
        refusalLog.warning(
            "OCPP connection from \(remote)\(identity.map { " as \($0)" } ?? "") refused: \(refusal.status.code) \(refusal.body)",
            logger: logger)
    }

    /// The TLS handshake failed; the TLS handler closes the connection.
    func tlsFailed(remote: String, reason: String) {
        counters.refused.tlsHandshake += 1
        refusalLog.warning("OCPP connection from \(remote) refused: \(reason)", logger: logger)
    }

    /// The upgrade did not complete in time.
    func handshakeTimedOut(remote: String) {
        counters.handshakeTimeouts += 1
        refusalLog.warning("OCPP connection from \(remote) closed: no WebSocket upgrade within \(configuration.handshakeTimeout)",
                           logger: logger)
    }

    // MARK: - Connections

    /// The upgrade completed: the connection takes its identity's place (closing a stale one first) and the
    /// delegate learns of it.
    func opened(_ handler: WebSocketConnectionHandler) {
        let connection = handler.connection
        if let stale = registry.current(connection.identity), let old = handlers[stale] {
            counters.replaced += 1
            logger.notice("OCPP charger reconnected; closing its previous connection",
                          metadata: ["charger": "\(connection.identity)", "previous": "\(old.connection.remoteAddress)"])
            // Its `disconnected` fires inside this call, before the new connection's `connected`.
            old.close(code: 1000, reason: "replaced", as: .replaced)
        }
        _ = registry.open(connection.id)
        handlers[connection.id] = handler
        counters.accepted += 1
        logger.info("OCPP charger connected", metadata: [
            "charger": "\(connection.identity)", "version": "\(connection.version.rawValue)",
            "remote": "\(connection.remoteAddress)",
        ])
        delegate.connected(connection)
    }

    /// A complete text message arrived.
    func deliver(_ text: String, from connection: ChargerConnection) {
        counters.messagesReceived += 1
        delegate.received(text: text, from: connection)
    }

    /// A text message went to the transport.
    func noteSent() {
        counters.messagesSent += 1
    }

    /// The connection stopped carrying messages: counted by reason, forgotten, and the delegate told (once).
    func ended(_ connection: ChargerConnection, reason: DisconnectReason) {
        guard handlers.removeValue(forKey: connection.id) != nil else { return }
        registry.close(connection.identity, id: connection.id)
        switch reason {
        case .messageTooLarge: counters.messagesTooLarge += 1
        case .invalidUTF8: counters.invalidUTF8 += 1
        case .binaryFrame: counters.binaryFrames += 1
        case .protocolViolation: counters.protocolErrors += 1
        case .pingTimeout: counters.pingTimeouts += 1
        case .slowConsumer: counters.slowConsumers += 1
        case .replaced, .chargerClosed, .serverClosed, .connectionLost, .serverShutdown: break
        }
        let metadata: Logger.Metadata = ["charger": "\(connection.identity)", "remote": "\(connection.remoteAddress)"]
        switch reason {
        case .messageTooLarge, .invalidUTF8, .binaryFrame, .protocolViolation, .pingTimeout, .slowConsumer:
            failureLog.warning("OCPP connection of \(connection.identity) from \(connection.remoteAddress) failed: \(reason)",
                               logger: logger)
        default:
            logger.info("OCPP charger disconnected: \(reason)", metadata: metadata)
        }
        delegate.disconnected(connection, reason: reason)
    }

    /// The socket failed under an open connection.
    func transportFailed(_ connection: ChargerConnection, error: any Error) {
        failureLog.warning("OCPP connection of \(connection.identity) from \(connection.remoteAddress) broke: \(error)",
                           logger: logger)
    }

    /// Sends on connection `id` if it is still open; a send on an ended connection is counted and dropped.
    func send(_ text: String, on id: UInt64) {
        guard let handler = handlers[id], handler.isOpen else {
            counters.sendsDropped += 1
            return
        }
        handler.send(text)
    }

    /// Starts closing connection `id`; a code that may not go on the wire (1005, 1006, ...) becomes 1000.
    func close(_ id: UInt64, code: UInt16, reason: String) {
        let code = WebSocketSession.isValidCloseCode(code) ? code : 1000
        handlers[id]?.close(code: code, reason: reason, as: .serverClosed(code: code, reason: reason))
    }

    /// Refuses new connections and closes every existing one: chargers with 1001, handshakes outright.
    func closeAll() {
        shuttingDown = true
        for channel in Array(handshaking.values) { channel.close(promise: nil) }
        for handler in Array(handlers.values) {
            handler.close(code: 1001, reason: "server shutdown", as: .serverShutdown)
        }
    }

    /// The open connection of `identity`.
    func connection(for identity: String) -> ChargerConnection? {
        registry.current(identity).flatMap { handlers[$0]?.connection }
    }

    /// A snapshot of connections and counters.
    func status() -> OCPPServerStatus {
        OCPPServerStatus(
            connections: handlers.values.map {
                ConnectedCharger(identity: $0.connection.identity, version: $0.connection.version,
                                 remoteAddress: $0.connection.remoteAddress, isTLS: $0.connection.isTLS)
            }.sorted { $0.identity < $1.identity },
            pendingHandshakes: handshaking.count, counters: counters)
    }
}
