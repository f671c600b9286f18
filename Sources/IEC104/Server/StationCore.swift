import DequeModule
import GatewaySupport
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The answer the gateway gives to a command.
public typealias CommandHandler = @Sendable (CommandRequest) async -> CommandAnswer

/// Work the gateway does before a general interrogation is answered (e.g. refreshing limits from chargers).
public typealias InterrogationPreparation = @Sendable () async -> Void

/// The station's state machine host: connections, links, the redundancy group and the application layer.
///
/// Every method runs on `loop` (the one event loop that carries all master connections), so nothing here
/// needs a lock except `shared`, which publishers on other threads touch.
final class StationCore: @unchecked Sendable {
    /// One master connection.
    final class Connection {
        let id: ConnectionID
        let channel: Channel
        let remote: String
        var link: ServerLink
        /// Replies for this master waiting for the send window, oldest first.
        var outbox: Deque<[UInt8]> = []
        var timer: Scheduled<Void>?
        var timerDeadline: Duration?
        var needsFlush = false

        init(id: ConnectionID, channel: Channel, remote: String, link: ServerLink) {
            self.id = id
            self.channel = channel
            self.remote = remote
            self.link = link
        }
    }

    let loop: EventLoop
    let configuration: StationConfiguration
    let shared: NIOLockedValueBox<SharedStationState>
    private let handler: CommandHandler
    private let beforeInterrogation: InterrogationPreparation?
    private var logger: Logger { configuration.logger }
    private var application: StationApplication
    private var connections: [ConnectionID: Connection] = [:]
    private var active: ConnectionID?
    private var nextConnectionID: ConnectionID = 1
    private var counters = ServerCounters()
    private var closedLinks = LinkCounters()
    private var endOfInitializationPending = true
    private var commandTimers: [UInt64: Scheduled<Void>] = [:]
    private var replyDropLog = RateLimitedLog()
    /// Refused connections and broken byte streams can come in floods (scanners, a looping peer): one line per 10 s.
    private var refusalLog = RateLimitedLog()
    private var transportErrorLog = RateLimitedLog()

    init(loop: EventLoop, configuration: StationConfiguration, points: StationPoints, handler: @escaping CommandHandler,
         beforeInterrogation: InterrogationPreparation? = nil) {
        self.loop = loop
        self.configuration = configuration
        self.handler = handler
        self.beforeInterrogation = beforeInterrogation
        shared = NIOLockedValueBox(SharedStationState(
            image: PointImage(points: points),
            queue: EventQueue(capacity: configuration.eventQueueCapacity, overflow: configuration.overflowPolicy)))
        application = StationApplication(
            configuration: .init(commonAddress: configuration.commonAddress, selectTimeout: configuration.selectTimeout,
                                 maximumObjectsPerASDU: max(1, configuration.maximumObjectsPerASDU),
                                 asduParameters: configuration.asdu),
            points: points)
    }

    // MARK: - Connections

    /// Admits or refuses a new connection (allow-list, limit); returns its id when admitted.
    func admit(_ channel: Channel) -> ConnectionID? {
        let remote = channel.remoteAddress?.hostAndPort ?? "unknown"
        if let allowed = configuration.allowedMasters {
            guard let ip = channel.remoteAddress?.ipAddress, allowed.contains(ip) else {
                counters.refusedNotAllowed += 1
                refusalLog.warning("IEC 104 connection from \(remote) refused: address not on the allow-list",
                                   logger: logger, now: StationClock.monotonic())
                return nil
            }
        }
        guard connections.count < configuration.maximumConnections else {
            counters.refusedLimit += 1
            refusalLog.warning("IEC 104 connection from \(remote) refused: \(configuration.maximumConnections) connections already open",
                               logger: logger, now: StationClock.monotonic())
            return nil
        }
        let id = nextConnectionID
        nextConnectionID += 1
        connections[id] = Connection(id: id, channel: channel, remote: remote,
                                     link: ServerLink(parameters: configuration.link, now: StationClock.monotonic()))
        counters.connectionsAccepted += 1
        logger.info("IEC 104 master connected", metadata: ["master": "\(remote)", "connection": "\(id)"])
        if let connection = connections[id] { armTimer(connection) }
        return id
    }

    /// A frame arrived.
    func received(_ frame: APDU, on id: ConnectionID) {
        guard let connection = connections[id] else { return }
        perform(connection.link.receive(frame, now: StationClock.monotonic()), on: connection)
        pump(connection)
        armTimer(connection)
    }

    /// The connection's reads are done for now: write out what they produced.
    func flush(_ id: ConnectionID) {
        guard let connection = connections[id] else { return }
        flush(connection)
    }

    /// The transport closed.
    func connectionLost(_ id: ConnectionID) {
        guard let connection = connections[id] else { return }
        perform(connection.link.connectionLost(now: StationClock.monotonic()), on: connection)
    }

    /// The byte stream was not valid APDUs (or the socket failed): count, log, and let the close follow.
    func transportFailed(_ id: ConnectionID, error: any Error) {
        guard let connection = connections[id] else { return }
        if error is APDUDecodingError || error is APDUStreamError { counters.framingErrors += 1 }
        transportErrorLog.warning("IEC 104 connection from \(connection.remote) closed: \(error)", logger: logger,
                                  now: StationClock.monotonic())
    }

    /// Closes every connection (their unacknowledged events go back to the queue).
    func closeAll() {
        for connection in connections.values {
            perform(connection.link.close(now: StationClock.monotonic()), on: connection)
        }
    }

    // MARK: - Link actions

    private func perform(_ actions: [LinkAction], on connection: Connection) {
        for action in actions {
            switch action {
            case let .send(frame):
                connection.channel.write(frame, promise: nil)
                connection.needsFlush = true
            case let .deliver(asdu):
                handle(asdu, from: connection)
            case .dataTransferStarted:
                activate(connection)
            case .dataTransferStopped:
                if active == connection.id {
                    active = nil
                    logger.info("IEC 104 data transfer stopped; events queue until a master starts it",
                                metadata: ["master": "\(connection.remote)"])
                }
            case .readyToSend:
                break
            case let .close(reason, unacknowledged):
                closed(connection, reason: reason, unacknowledged: unacknowledged)
            }
        }
    }

    /// STARTDT on `connection`: it becomes the group's active connection; a previously active one is closed,
    /// and what it had not seen acknowledged is sent again here.
    private func activate(_ connection: Connection) {
        if let previous = active, previous != connection.id, let old = connections[previous] {
            counters.switchovers += 1
            logger.notice("IEC 104 switch-over: STARTDT on a standby connection; closing the previously active one",
                          metadata: ["active": "\(connection.remote)", "previous": "\(old.remote)"])
            perform(old.link.close(now: StationClock.monotonic()), on: old)
        }
        active = connection.id
        logger.info("IEC 104 data transfer started", metadata: ["master": "\(connection.remote)"])
    }

    private func closed(_ connection: Connection, reason: LinkCloseReason, unacknowledged: [[UInt8]]) {
        // Spontaneous, periodic, background and end-of-initialization ASDUs belong to the station and go to the
        // next master; replies belong to the request's connection and die with it.
        let events = unacknowledged.filter { asdu in
            asdu.count > 2 && [1, 2, 3, 4].contains(asdu[2] & 0x3F)
        }
        if !events.isEmpty { shared.withLockedValue { $0.queue.requeue(events) } }
        let lostReplies = unacknowledged.count - events.count + connection.outbox.count
        connection.timer?.cancel()
        connections[connection.id] = nil
        if active == connection.id { active = nil }
        application.connectionClosed(connection.id)
        closedLinks += connection.link.counters
        if reason != .connectionLost { connection.channel.close(promise: nil) }
        logger.info("IEC 104 connection closed: \(reason)", metadata: [
            "master": "\(connection.remote)", "requeued": "\(events.count)", "repliesLost": "\(lostReplies)",
        ])
    }

    // MARK: - Application

    private func handle(_ asdu: [UInt8], from connection: Connection) {
        // A general interrogation may first let the gateway refresh values; the answer then comes from the
        // refreshed image. The gateway bounds how long that takes.
        if let prepare = beforeInterrogation, asdu.count > 2, asdu[0] == TypeID.C_IC_NA_1.rawValue,
           asdu[2] & 0x3F == Cause.activation.rawValue {
            let id = connection.id
            Task {
                await prepare()
                self.loop.execute {
                    guard let connection = self.connections[id] else { return }
                    self.answer(asdu, from: connection)
                    self.pump(connection)
                    self.flush(connection)
                    self.armTimer(connection)
                }
            }
            return
        }
        answer(asdu, from: connection)
    }

    /// Serves a new set of points (a rule reload): values and selections of unchanged points survive.
    func replacePoints(_ points: StationPoints) {
        shared.withLockedValue { $0.image.replacePoints(points) }
        application.replacePoints(points)
    }

    private func answer(_ asdu: [UInt8], from connection: Connection) {
        let image = shared.withLockedValue { $0.image }
        let outputs = application.handle(asdu, from: connection.id, master: connection.remote,
                                         now: StationClock.monotonic(), wallClock: StationClock.wallClock(), image: image)
        for output in outputs {
            switch output {
            case let .reply(answer):
                do {
                    enqueueReply(try answer.encoded(parameters: configuration.asdu), on: connection)
                } catch {
                    logger.error("IEC 104 reply could not be encoded: \(error)")
                }
            case let .replyRaw(octets):
                enqueueReply(octets, on: connection)
            case let .dispatch(id, request):
                dispatch(id, request)
            case let .refused(address, refusal):
                logger.notice("IEC 104 command refused: \(refusal)",
                              metadata: ["ioa": "\(address)", "master": "\(connection.remote)"])
            }
        }
    }

    private func enqueueReply(_ octets: [UInt8], on connection: Connection) {
        guard connection.outbox.count < configuration.maximumPendingReplies else {
            counters.repliesDropped += 1
            replyDropLog.warning("IEC 104 reply dropped: \(configuration.maximumPendingReplies) replies already wait",
                                 logger: logger, now: StationClock.monotonic())
            return
        }
        connection.outbox.append(octets)
    }

    private func dispatch(_ id: UInt64, _ request: CommandRequest) {
        let handler = handler
        let loop = loop
        commandTimers[id] = loop.scheduleTask(in: TimeAmount(configuration.commandTimeout)) { [self] in
            counters.commandTimeouts += 1
            complete(id, .rejected(reason: "no answer within \(configuration.commandTimeout)"))
        }
        Task {
            let answer = await handler(request)
            loop.execute { self.complete(id, answer) }
        }
    }

    private func complete(_ id: UInt64, _ answer: CommandAnswer) {
        commandTimers.removeValue(forKey: id)?.cancel()
        if case let .rejected(reason) = answer {
            logger.notice("IEC 104 command rejected: \(reason)", metadata: ["command": "\(id)"])
        }
        guard let (target, replies) = application.completeCommand(id: id, answer: answer, now: StationClock.monotonic()),
              let connection = connections[target] else { return }
        for reply in replies {
            if let octets = try? reply.encoded(parameters: configuration.asdu) { enqueueReply(octets, on: connection) }
        }
        pump(connection)
        flush(connection)
        armTimer(connection)
    }

    // MARK: - Sending

    /// Publishers queued events: send them if a master is active.
    func drain() {
        shared.withLockedValue { $0.drainScheduled = false }
        guard let id = active, let connection = connections[id] else { return }
        pump(connection)
        flush(connection)
        armTimer(connection)
    }

    /// Fills the connection's send window: its replies first, then (on the active connection) queued events.
    private func pump(_ connection: Connection) {
        let now = StationClock.monotonic()
        while connection.link.canSend, let reply = connection.outbox.first {
            connection.outbox.removeFirst()
            transmit(reply, on: connection, now: now)
        }
        guard active == connection.id, connection.link.canSend else { return }
        if endOfInitializationPending {
            endOfInitializationPending = false
            counters.endOfInitializationSent += 1
            let asdu = ASDU(typeID: .M_EI_NA_1, causeOfTransmission: CauseOfTransmission(.initialized),
                            commonAddress: configuration.commonAddress,
                            objects: [InformationObject(address: 0, .endOfInitialization(CauseOfInitialization(cause: 0)))])
            if let octets = try? asdu.encoded(parameters: configuration.asdu) { transmit(octets, on: connection, now: now) }
        }
        let room = configuration.link.k - connection.link.unacknowledgedCount
        guard room > 0 else { return }
        let batch = shared.withLockedValue {
            $0.queue.take(upTo: room, commonAddress: configuration.commonAddress,
                          maximumObjects: max(1, configuration.maximumObjectsPerASDU), parameters: configuration.asdu)
        }
        for octets in batch { transmit(octets, on: connection, now: now) }
    }

    private func transmit(_ asdu: [UInt8], on connection: Connection, now: Duration) {
        switch connection.link.send(asdu: asdu, now: now) {
        case let .transmit(frame):
            connection.channel.write(frame, promise: nil)
            connection.needsFlush = true
        case let .refused(reason):
            logger.error("IEC 104 link refused an ASDU it had room for: \(reason)")
        }
    }

    private func flush(_ connection: Connection) {
        guard connection.needsFlush else { return }
        connection.needsFlush = false
        connection.channel.flush()
    }

    // MARK: - Timers

    /// Makes sure a timer fires at the link's next deadline; an earlier timer is kept (an early tick is harmless).
    private func armTimer(_ connection: Connection) {
        guard let deadline = connection.link.nextDeadline else {
            connection.timer?.cancel()
            connection.timer = nil
            connection.timerDeadline = nil
            return
        }
        if let armed = connection.timerDeadline, armed <= deadline { return }
        connection.timer?.cancel()
        connection.timerDeadline = deadline
        let id = connection.id
        connection.timer = loop.scheduleTask(deadline: StationClock.deadline(deadline)) { [self] in
            timerFired(id)
        }
    }

    private func timerFired(_ id: ConnectionID) {
        guard let connection = connections[id] else { return }
        connection.timer = nil
        connection.timerDeadline = nil
        perform(connection.link.tick(now: StationClock.monotonic()), on: connection)
        guard connections[id] != nil else { return }
        pump(connection)
        flush(connection)
        armTimer(connection)
    }

    // MARK: - Status

    /// A snapshot of connections and counters.
    func status() -> StationStatus {
        var links = closedLinks
        for connection in connections.values { links += connection.link.counters }
        let (queued, queue, rejected) = shared.withLockedValue { ($0.queue.count, $0.queue.counters, $0.publishRejected) }
        var server = counters
        server.publishRejected = rejected
        return StationStatus(
            connections: connections.values.sorted { $0.id < $1.id }.map {
                ConnectionStatus(id: $0.id, remote: $0.remote, state: $0.link.state, isActive: active == $0.id,
                                 link: $0.link.counters, pendingReplies: $0.outbox.count)
            },
            queuedEvents: queued, queue: queue, application: application.counters, server: server, links: links,
            clockOffsetMilliseconds: application.clockOffsetMilliseconds)
    }
}
