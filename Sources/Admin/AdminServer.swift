import GatewaySupport
import Logging
import NIOCore
import NIOPosix

/// Why the admin server could not start or serve.
public enum AdminServerError: Error, Hashable, Sendable {
    /// `start()` was called a second time, or `shutdown()` came before or during it.
    case alreadyStarted
    /// The listening socket has no local address.
    case notBound
    /// A connection was closed on accept (over the connection limit, or shutting down).
    case connectionRefused
}

/// The operators' HTTP/1.1 interface: /health, /ready, /metrics, /points (GET) and /reload (POST).
///
/// /health is answered here (the process serves, so it is live); the other routes ask the backend. With a
/// bearer token every route but /health requires it. Requests are bounded in size, time and number of
/// connections (see `AdminServerLimits`); every refusal is counted through swift-metrics.
public final class AdminServer: Sendable {
    private let core: AdminServerCore
    private let host: String
    private let port: Int

    /// Creates a server for `host`:`port` (port 0 picks a free one); nothing listens until `start()`.
    public init(host: String, port: Int, backend: any AdminBackend, bearerToken: String? = nil, logger: Logger,
                group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, limits: AdminServerLimits = .init()) {
        self.host = host
        self.port = port
        core = AdminServerCore(loop: group.next(), backend: backend, bearerToken: bearerToken, limits: limits,
                               logger: logger)
    }

    /// Binds and starts serving; returns the bound address as HOST:PORT.
    public func start() async throws -> String {
        let core = core
        guard try await core.loop.submit({ core.beginStart() }).get() else { throw AdminServerError.alreadyStarted }
        let channel: Channel
        do {
            channel = try await bind()
        } catch {
            try? await core.loop.submit { core.startFailed() }.get()
            throw error
        }
        guard try await core.loop.submit({ core.listening(on: channel) }).get() else {
            try? await channel.close()
            throw AdminServerError.alreadyStarted
        }
        guard let address = channel.localAddress else { throw AdminServerError.notBound }
        core.logger.info("Admin server listening on http://\(address.hostAndPort)")
        return address.hostAndPort
    }

    private func bind() async throws -> Channel {
        let core = core
        return try await ServerBootstrap(group: core.loop, childGroup: core.loop)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A client that sends its request and shuts its side (`nc -N`) still gets the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try core.configure(channel) }
            }
            .bind(host: host, port: port)
            .get()
    }

    /// Stops listening and closes every open connection, answered or not.
    public func shutdown() async {
        let core = core
        let channels = (try? await core.loop.submit { core.stop() }.get()) ?? []
        for channel in channels { try? await channel.close() }
    }
}
