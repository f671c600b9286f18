import GatewaySupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The OCPP-J WebSocket endpoint of the central system: chargers connect to `ws://host:port/<prefix>/<identity>`.
///
/// The handshake negotiates the subprotocol in the client's order of preference and asks the admission handler
/// before upgrading, so refusals are proper HTTP answers (400, 401, 404, 409, 503). Upgraded connections deliver
/// text messages to the delegate. All connections live on one event loop; every limit refuses or closes, counted.
public final class OCPPWebSocketServer: Sendable {
    let core: OCPPServerCore
    private let serverChannels: NIOLockedValueBox<[Channel]>

    /// Creates a server; `admission` decides each handshake, `delegate` receives the connections' events.
    public init(configuration: OCPPServerConfiguration, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                delegate: any OCPPConnectionDelegate, admission: @escaping AdmissionHandler) {
        core = OCPPServerCore(loop: group.next(), configuration: configuration, delegate: delegate, admission: admission)
        serverChannels = NIOLockedValueBox([])
    }

    /// Starts every listener; returns their bound addresses as HOST:PORT, in the configuration's order (useful
    /// with port 0). When one cannot bind, those already bound are closed again and the error is thrown.
    @discardableResult
    public func start() async throws -> [String] {
        var addresses: [String] = []
        for listener in core.configuration.listeners {
            do {
                addresses.append(try await bind(listener))
            } catch {
                await closeListeners()
                throw error
            }
        }
        return addresses
    }

    private func bind(_ listener: OCPPListener) async throws -> String {
        let core = core
        let tls = listener.tls
        let channel = try await ServerBootstrap(group: core.loop, childGroup: core.loop)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try core.configure(channel, tls: tls) }
            }
            .bind(host: listener.host, port: listener.port)
            .get()
        serverChannels.withLockedValue { $0.append(channel) }
        guard let address = channel.localAddress else { throw OCPPServerError.notBound }
        core.configuration.logger.info(
            "OCPP WebSocket server listening on \(tls == nil ? "ws" : "wss")://\(address.hostAndPort)\(tls?.requestsClientCertificates == true ? " (client certificates requested)" : "")")
        return address.hostAndPort
    }

    private func closeListeners() async {
        let channels = serverChannels.withLockedValue { channels in
            defer { channels = [] }
            return channels
        }
        for channel in channels { try? await channel.close() }
    }

    /// Stops listening and closes every charger connection with 1001 (each gets its `disconnected`).
    public func shutdown() async {
        await closeListeners()
        let core = core
        try? await core.loop.submit { core.closeAll() }.get()
    }

    /// A snapshot of connected chargers, handshakes in progress and counters.
    public func status() async -> OCPPServerStatus {
        let core = core
        return (try? await core.loop.submit { core.status() }.get())
            ?? OCPPServerStatus(connections: [], pendingHandshakes: 0, counters: .init())
    }

    /// The open connection of `identity`, if the charger is connected.
    public func connection(for identity: String) async -> ChargerConnection? {
        let core = core
        return try? await core.loop.submit { core.connection(for: identity) }.get()
    }
}
