import NIOCore
import NIOWebSocket

/// The last handler of an upgraded connection: feeds frames to the `WebSocketSession`, performs its actions,
/// runs its timers and bounds what waits to be written.
final class WebSocketConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let connection: ChargerConnection
    private let core: OCPPServerCore
    private var session: WebSocketSession
    private var context: ChannelHandlerContext?
    private var pingTimer: Scheduled<Void>?
    private var pongTimer: Scheduled<Void>?
    private var closeTimer: Scheduled<Void>?
    /// Bytes handed to the channel whose writes have not completed.
    private var pendingOutboundBytes = 0
    /// The last write, so that a close can follow it out.
    private var lastWrite: EventLoopFuture<Void>?

    init(connection: ChargerConnection, core: OCPPServerCore) {
        self.connection = connection
        self.core = core
        session = WebSocketSession(maximumMessageSize: core.configuration.maximumMessageSize)
    }

    /// Whether the connection still carries messages.
    var isOpen: Bool { session.phase == .open }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        schedulePing()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        perform(session.receive(unwrapInboundIn(data)))
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(session.transportClosed())
        cancelTimers()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error as? NIOWebSocketError {
        case .invalidFrameLength?:
            perform(session.fail(.messageTooLarge))
        case let framing?:
            perform(session.fail(.protocolViolation("\(framing)")))
        case nil:
            // Socket errors and bytes arriving after a framing error: the connection is beyond use.
            core.transportFailed(connection, error: error)
            context.close(promise: nil)
        }
    }

    // MARK: - Application calls (on the event loop)

    /// Sends one text frame, or closes the connection when too much already waits on an unwritable socket.
    func send(_ text: String) {
        guard session.phase == .open, let context else { return }
        let size = text.utf8.count
        if !context.channel.isWritable, pendingOutboundBytes + size > core.configuration.maximumPendingOutboundBytes {
            perform(session.fail(.slowConsumer))
            return
        }
        pendingOutboundBytes += size
        core.noteSent()
        let frame = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: text))
        let write = context.writeAndFlush(wrapOutboundOut(frame))
        lastWrite = write
        write.assumeIsolated().whenComplete { [self] _ in pendingOutboundBytes -= size }
    }

    /// Starts the close handshake with `code`; `reason` is what the application is told.
    func close(code: UInt16, reason: String, as disconnectReason: DisconnectReason) {
        perform(session.close(code: code, reason: reason, as: disconnectReason))
    }

    // MARK: - Actions

    private func perform(_ actions: [WebSocketSession.Action]) {
        guard let context else { return }
        var wrote = false
        for action in actions {
            switch action {
            case let .deliver(text):
                core.deliver(text, from: connection)
            case let .write(opcode, payload):
                let write = context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: opcode, data: payload)))
                lastWrite = write
                wrote = true
            case let .ended(reason):
                cancelPingTimers()
                core.ended(connection, reason: reason)
            case .closeAfterWrites:
                context.flush()
                wrote = false
                let channel = context.channel
                if let lastWrite {
                    lastWrite.whenComplete { _ in channel.close(promise: nil) }
                    // A write that never completes (a peer that stopped reading) must not keep the socket open.
                    armCloseTimer()
                } else {
                    channel.close(promise: nil)
                }
            case .closeNow:
                context.close(promise: nil)
            case .awaitPeerClose:
                armCloseTimer()
            }
        }
        if wrote { context.flush() }
    }

    // MARK: - Timers

    private func schedulePing() {
        guard let interval = core.configuration.pingInterval, let context else { return }
        pingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(interval)) { [self] in
            pingTimer = nil
            let actions = session.pingDue()
            perform(actions)
            if !actions.isEmpty, let context = self.context {
                pongTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(core.configuration.pingTimeout)) {
                    [self] in
                    pongTimer = nil
                    perform(session.pingDeadlinePassed())
                }
            }
            if session.phase == .open { schedulePing() }
        }
    }

    private func armCloseTimer() {
        guard closeTimer == nil, let context else { return }
        let channel = context.channel
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(core.configuration.closeTimeout)) {
            channel.close(promise: nil)
        }
    }

    private func cancelPingTimers() {
        pingTimer?.cancel()
        pingTimer = nil
        pongTimer?.cancel()
        pongTimer = nil
    }

    private func cancelTimers() {
        cancelPingTimers()
        closeTimer?.cancel()
        closeTimer = nil
    }
}
