import GatewaySupport
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// An IEC 60870-5-104 controlled station on TCP: masters connect, the gateway publishes point updates and
/// answers commands.
///
/// All master connections form one redundancy group: the connection that last started data transfer is active
/// and receives spontaneous events; the others stand by. While none is active, events wait in a bounded queue.
public final class StationServer: Sendable {
    private let core: StationCore
    private let serverChannel: NIOLockedValueBox<Channel?>

    /// Creates a station serving `points`; `commandHandler` answers the masters' commands, and
    /// `beforeInterrogation`, if given, runs before each general interrogation is answered.
    public init(configuration: StationConfiguration, points: StationPoints,
                group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                beforeInterrogation: InterrogationPreparation? = nil,
                commandHandler: @escaping CommandHandler) {
        core = StationCore(loop: group.next(), configuration: configuration, points: points, handler: commandHandler,
                           beforeInterrogation: beforeInterrogation)
        serverChannel = NIOLockedValueBox(nil)
    }

    /// Starts listening; returns the bound address as HOST:PORT (useful with port 0).
    @discardableResult
    public func start() async throws -> String {
        let core = core
        let channel = try await ServerBootstrap(group: core.loop, childGroup: core.loop)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                guard let id = core.admit(channel) else {
                    return channel.eventLoop.makeFailedFuture(StationServerError.connectionRefused)
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(APDUFrameDecoder()),
                        MessageToByteHandler(APDUFrameEncoder()),
                        StationChannelHandler(core: core, id: id),
                    ])
                }
            }
            .bind(host: core.configuration.host, port: core.configuration.port)
            .get()
        serverChannel.withLockedValue { $0 = channel }
        guard let address = channel.localAddress else { throw StationServerError.notBound }
        core.configuration.logger.info("IEC 104 station listening on \(address.hostAndPort)")
        return address.hostAndPort
    }

    /// Stops listening and closes every master connection; queued events stay counted in `status()`.
    public func shutdown() async {
        let channel = serverChannel.withLockedValue { channel in
            defer { channel = nil }
            return channel
        }
        try? await channel?.close()
        let core = core
        try? await core.loop.submit { core.closeAll() }.get()
    }

    /// Serves a new set of points (a rule reload): points that keep address and type keep value and selection.
    public func replacePoints(_ points: StationPoints) async {
        let core = core
        try? await core.loop.submit { core.replacePoints(points) }.get()
    }

    /// Publishes one update: the image changes, and unless `imageOnly` the update is queued for the active master.
    public func publish(_ update: PointUpdate) throws(PublishError) {
        if let error = publish([update]).first { throw error }
    }

    /// Publishes several updates under one lock; returns the refused ones' errors (empty when all were taken).
    @discardableResult
    public func publish(_ updates: [PointUpdate]) -> [PublishError] {
        let wallClock = StationClock.wallClock()
        let now = StationClock.monotonic()
        var errors: [PublishError] = []
        var dropsToLog: Int?
        let needsDrain = core.shared.withLockedValue { state -> Bool in
            var queued = false
            for update in updates {
                let point: MonitorPoint
                do throws(PublishError) {
                    point = try state.image.check(update)
                } catch {
                    state.publishRejected += 1
                    errors.append(error)
                    continue
                }
                let object = state.image.apply(update, to: point, now: wallClock)
                guard let cause = update.transmission.cause else { continue }
                if !state.queue.append(SpontaneousEvent(cause: cause, object: object)),
                   let count = state.noteDrop(now: now, interval: .seconds(10)) {
                    dropsToLog = count
                }
                queued = true
            }
            guard queued, !state.drainScheduled else { return false }
            state.drainScheduled = true
            return true
        }
        if let dropsToLog {
            core.configuration.logger.warning(
                "IEC 104 event queue full (\(core.configuration.eventQueueCapacity) events): \(dropsToLog) event(s) dropped (\(core.configuration.overflowPolicy.rawValue))")
        }
        if !errors.isEmpty {
            core.configuration.logger.debug("IEC 104 publish refused \(errors.count) update(s): \(errors[0])")
        }
        if needsDrain {
            let core = core
            core.loop.execute { core.drain() }
        }
        return errors
    }

    /// A snapshot of connections, link states and counters.
    public func status() async -> StationStatus {
        let core = core
        return (try? await core.loop.submit { core.status() }.get())
            ?? StationStatus(connections: [], queuedEvents: 0, queue: .init(), application: .init(), server: .init(),
                             links: .init(), clockOffsetMilliseconds: nil)
    }
}

/// Why the server could not serve.
public enum StationServerError: Error, Hashable, Sendable {
    /// A connection was refused on accept (allow-list or connection limit); counted in `ServerCounters`.
    case connectionRefused
    /// The listening socket has no local address.
    case notBound
}
