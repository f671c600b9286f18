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
    private let serverChannel: NIOLockedValueBox<Channel?>

    /// Creates a server; `admission` decides each handshake, `delegate` receives the connections' events.
    public init(configuration: OCPPServerConfiguration, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                delegate: any OCPPConnectionDelegate, admission: @escaping AdmissionHandler) {
        core = OCPPServerCore(loop: group.next(), configuration: configuration, delegate: delegate, admission: admission)
        serverChannel = NIOLockedValueBox(nil)
    }

    /// Starts listening; returns the bound address as HOST:PORT (useful with port 0).
    @discardableResult
    public func start() async throws -> String {
        let core = core
        let channel = try await ServerBootstrap(group: core.loop, childGroup: core.loop)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try core.configure(channel) }
            }
            .bind(host: core.configuration.host, port: core.configuration.port)
            .get()
        serverChannel.withLockedValue { $0 = channel }
        guard let address = channel.localAddress else { throw OCPPServerError.notBound }
        core.configuration.logger.info("OCPP WebSocket server listening on \(address.hostAndPort)")
        return address.hostAndPort
    }

    /// Stops listening and closes every charger connection with 1001 (each gets its `disconnected`).
    public func shutdown() async {
        let channel = serverChannel.withLockedValue { channel in
            defer { channel = nil }
            return channel
        }
        try? await channel?.close()
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
