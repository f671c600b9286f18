import GatewaySupport
import Logging
import NIOCore
import NIOHTTP1

/// The server's shared state: the listening channel, the open connections, authorization and refusal logging.
///
/// Every method runs on `loop`, which carries the listener and all connections (admin traffic is tiny), so
/// nothing here needs a lock; the public server hops onto the loop.
final class AdminServerCore: @unchecked Sendable {
    let loop: EventLoop
    let backend: any AdminBackend
    let limits: AdminServerLimits
    let logger: Logger
    private let authorization: BearerAuthorization?
    private var connections: [ObjectIdentifier: Channel] = [:]
    private var listener: Channel?
    private var started = false
    private var shuttingDown = false
    /// Refusals come in floods (a scanner, a scraper stuck in a loop): one line per 10 s.
    private var refusalLog = RateLimitedLog()

    init(loop: EventLoop, backend: any AdminBackend, bearerToken: String?, limits: AdminServerLimits,
         logger: Logger) {
        self.loop = loop
        self.backend = backend
        self.limits = limits
        self.logger = logger
        authorization = bearerToken.map(BearerAuthorization.init(token:))
    }

    // MARK: - Lifecycle

    /// Claims the single start; false when already started or shut down.
    func beginStart() -> Bool {
        guard !started, !shuttingDown else { return false }
        started = true
        return true
    }

    /// Gives the start back after a failed bind, so that a later `start()` may try again.
    func startFailed() {
        started = false
    }

    /// Records the bound listener; false (and the caller closes it) when a shutdown came first.
    func listening(on channel: Channel) -> Bool {
        guard !shuttingDown else { return false }
        listener = channel
        return true
    }

    /// Marks the server stopped and hands back the listener and every open connection to close.
    func stop() -> [Channel] {
        shuttingDown = true
        var channels = Array(connections.values)
        if let listener { channels.insert(listener, at: 0) }
        listener = nil
        return channels
    }

    // MARK: - Connections

    /// Sets up a new connection's pipeline, or throws (and the bootstrap closes it) when over the limit.
    func configure(_ channel: Channel) throws {
        let remote = channel.remoteAddress?.hostAndPort ?? "unknown"
        guard !shuttingDown else { throw AdminServerError.connectionRefused }
        guard connections.count < limits.maximumConnections else {
            refused(.connectionLimit, remote: remote)
            throw AdminServerError.connectionRefused
        }
        let id = ObjectIdentifier(channel)
        connections[id] = channel
        channel.closeFuture.whenComplete { [self] _ in connections[id] = nil }

        let deadline = RequestDeadline(timeout: limits.requestTimeout) { [self] partial in
            if partial {
                refused(.requestTimeout, remote: remote)
            } else {
                logger.debug("Admin connection from \(remote) closed after idling")
            }
        }
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderFieldSize = limits.maximumHeadBytes
        decoderLimits.maxHeaderListSize = limits.maximumHeadBytes
        decoderLimits.maxHeaderFieldCount = 100
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(deadline)
        // Our own handler answers parser errors, so that the 400 has a body and the close follows its write.
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: decoderLimits)
        try pipeline.addHandler(AdminConnectionHandler(core: self, deadline: deadline, remote: remote))
    }

    // MARK: - Requests

    /// Whether a request to `route` may proceed: always without a token, else only with the right bearer token.
    func isAuthorized(_ route: AdminRoute, headers: HTTPHeaders) -> Bool {
        guard route.requiresAuthorization, let authorization else { return true }
        return authorization.admits(headers["Authorization"])
    }

    /// Counts and logs a refusal.
    func refused(_ reason: AdminRefusal, remote: String) {
        AdminMetrics.refused(reason)
        refusalLog.warning("Admin server refused \(remote): \(reason.rawValue)", logger: logger)
    }
}
