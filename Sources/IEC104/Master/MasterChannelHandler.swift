import DequeModule
import NIOCore

/// Drives one `MasterLink` on a channel: feeds it decoded frames and timer ticks, writes what it sends, decodes
/// delivered ASDUs into `ClientEvent`s, and completes the client's waiting operations.
///
/// Confined to its channel's event loop; `IEC104Client` reaches it only through `NIOLoopBound` and loop tasks.
/// Built for a load test receiving ~100k ASDUs/s: one reused action buffer, writes flushed once per read batch
/// (in `channelReadComplete`), and one timer that is only moved earlier, never re-armed per frame.
final class MasterChannelHandler: ChannelInboundHandler {
    typealias InboundIn = APDU
    typealias OutboundOut = APDU

    /// An ASDU waiting for window space, with the promise of its `send`.
    private struct WaitingSend {
        var asdu: [UInt8]
        var promise: EventLoopPromise<Void>
    }

    private let parameters: LinkParameters
    private var link: MasterLink
    private let asduParameters: ASDUParameters
    private let events: AsyncStream<ClientEvent>.Continuation
    private var context: ChannelHandlerContext?
    /// Reused for every received frame, so the hot path allocates no action array.
    private var actions: [MasterLinkAction] = []
    /// Frames were written since the last flush.
    private var needsFlush = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var startPromises: [EventLoopPromise<Void>] = []
    private var stopPromises: [EventLoopPromise<Void>] = []
    /// Sends refused for a full window, oldest first; later sends queue behind them to keep their order.
    private var waitingSends: Deque<WaitingSend> = []
    private var clientCounters = ClientCounters()

    /// Creates the handler of a connection whose link starts at instant `now`.
    init(parameters: LinkParameters, asduParameters: ASDUParameters, now: NIODeadline,
         events: AsyncStream<ClientEvent>.Continuation) {
        self.parameters = parameters
        link = MasterLink(parameters: parameters, now: Self.instant(now))
        self.asduParameters = asduParameters
        self.events = events
    }

    /// The client's counters and the link's.
    var counters: ClientCounters {
        var counters = clientCounters
        counters.link = link.counters
        return counters
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { armTimer(context: context) }
    }

    /// The link's timers start with the connection, not with the pipeline: connecting may take longer than t3.
    func channelActive(context: ChannelHandlerContext) {
        // Nothing can have happened on the link before the connection existed, so a fresh one loses nothing.
        link = MasterLink(parameters: parameters, now: now(context))
        armTimer(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        actions.removeAll(keepingCapacity: true)
        link.receive(unwrapInboundIn(data), now: now(context), into: &actions)
        perform(actions, context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        armTimer(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(link.connectionLost(now: now(context)), context: context)
        context.fireChannelInactive()
    }

    /// A framing error (from the decoder) or an I/O error ends the link; the error is reported as the close
    /// reason, so it is not passed on down the pipeline.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let now = now(context)
        if let framing = error as? APDUDecodingError {
            perform(link.framingError(framing, now: now), context: context)
        } else {
            perform(link.connectionLost(now: now), context: context)
        }
    }

    // MARK: - Client operations (on the event loop)

    /// Sends STARTDT act unless started or starting; `promise` succeeds on STARTDT con.
    func startDataTransfer(promise: EventLoopPromise<Void>) {
        guard context != nil else { return promise.fail(IEC104ClientError.closed(closeReason ?? .connectionLost)) }
        switch link.state {
        case .started: promise.succeed()
        case .startPending: startPromises.append(promise)
        case .stopPending: promise.fail(IEC104ClientError.stopping)
        case let .closed(reason): promise.fail(IEC104ClientError.closed(reason))
        case .stopped:
            startPromises.append(promise)
            operate { link, now in link.start(now: now) }
        }
    }

    /// Sends STOPDT act unless stopped or stopping; `promise` succeeds on STOPDT con. Sends waiting for window
    /// space fail, since the link takes no new I-frames once the stop is requested.
    func stopDataTransfer(promise: EventLoopPromise<Void>) {
        guard context != nil else { return promise.fail(IEC104ClientError.closed(closeReason ?? .connectionLost)) }
        switch link.state {
        case .stopped: promise.succeed()
        case .stopPending: stopPromises.append(promise)
        case .startPending: promise.fail(IEC104ClientError.starting)
        case let .closed(reason): promise.fail(IEC104ClientError.closed(reason))
        case .started:
            stopPromises.append(promise)
            operate { link, now in link.stop(now: now) }
            while let waiting = waitingSends.popFirst() { waiting.promise.fail(IEC104ClientError.stopping) }
        }
    }

    /// Sends one encoded ASDU, or queues it while k frames are unacknowledged; `promise` succeeds once written.
    func send(asdu: [UInt8], promise: EventLoopPromise<Void>) {
        guard let context else { return promise.fail(IEC104ClientError.closed(closeReason ?? .connectionLost)) }
        guard waitingSends.isEmpty else {
            clientCounters.windowWaits += 1
            waitingSends.append(WaitingSend(asdu: asdu, promise: promise))
            return
        }
        switch link.send(asdu: asdu, now: now(context)) {
        case let .transmit(frame):
            write(frame, context: context)
            flushIfNeeded(context: context)
            // The frame's t1 may now be the earliest deadline.
            armTimer(context: context)
            promise.succeed()
        case .refused(.windowFull):
            clientCounters.windowWaits += 1
            waitingSends.append(WaitingSend(asdu: asdu, promise: promise))
        case let .refused(refusal):
            promise.fail(error(for: refusal))
        }
    }

    /// Closes the link (and the channel) locally.
    func close() {
        operate { link, now in link.close(now: now) }
    }

    // MARK: - Procedures

    /// Runs a link event outside the read path and carries out its actions at once.
    private func operate(_ event: (inout MasterLink, Duration) -> [MasterLinkAction]) {
        guard let context else { return }
        perform(event(&link, now(context)), context: context)
        flushIfNeeded(context: context)
        armTimer(context: context)
    }

    /// Carries out link actions in order; writes are flushed by the caller.
    private func perform(_ actions: [MasterLinkAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case let .send(frame):
                write(frame, context: context)
            case let .deliver(asdu):
                deliver(asdu)
            case .dataTransferStarted:
                succeedAll(&startPromises)
            case .dataTransferStopped:
                succeedAll(&stopPromises)
            case .readyToSend:
                sendWaiting(context: context)
            case let .close(reason, _):
                finish(reason, context: context)
            }
        }
    }

    private func write(_ frame: APDU, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(frame), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        guard needsFlush else { return }
        needsFlush = false
        context.flush()
    }

    /// Decodes a delivered ASDU and hands it to the event stream; undecodable octets are handed on too.
    private func deliver(_ octets: [UInt8]) {
        let event: ClientEvent
        do throws(ASDUDecodingError) {
            event = .asdu(try ASDU.decode(octets, parameters: asduParameters))
            clientCounters.asdusReceived += 1
        } catch {
            event = .undecodable(octets, error)
            clientCounters.undecodableASDUs += 1
        }
        yield(event)
    }

    private func yield(_ event: ClientEvent) {
        if case .dropped = events.yield(event) { clientCounters.droppedEvents += 1 }
    }

    /// Offers the sends that waited for window space, oldest first, until the window is full again.
    private func sendWaiting(context: ChannelHandlerContext) {
        while let next = waitingSends.first {
            switch link.send(asdu: next.asdu, now: now(context)) {
            case let .transmit(frame):
                waitingSends.removeFirst()
                write(frame, context: context)
                next.promise.succeed()
            case .refused(.windowFull):
                return
            case let .refused(refusal):
                waitingSends.removeFirst()
                next.promise.fail(error(for: refusal))
            }
        }
    }

    /// The link closed: fails everything waiting, ends the event stream and closes the channel.
    private func finish(_ reason: MasterCloseReason, context: ChannelHandlerContext) {
        cancelTimer()
        let error = IEC104ClientError.closed(reason)
        for promise in startPromises + stopPromises { promise.fail(error) }
        startPromises = []
        stopPromises = []
        while let waiting = waitingSends.popFirst() { waiting.promise.fail(error) }
        yield(.closed(reason))
        events.finish()
        context.close(promise: nil)
    }

    private func succeedAll(_ promises: inout [EventLoopPromise<Void>]) {
        let done = promises
        promises = []
        for promise in done { promise.succeed() }
    }

    private func error(for refusal: LinkSendRefusal) -> IEC104ClientError {
        switch refusal {
        case .notStarted: .notStarted
        case .stopping: .stopping
        case let .invalidLength(length): .invalidLength(length)
        case .windowFull, .closed: .closed(closeReason ?? .connectionLost)
        }
    }

    /// Why the link closed, or nil while it is open.
    private var closeReason: MasterCloseReason? {
        if case let .closed(reason) = link.state { reason } else { nil }
    }

    // MARK: - Timer

    /// Makes sure a tick happens by the link's next deadline. A pending timer that fires earlier is kept: it
    /// ticks (harmlessly early) and re-arms, which is far cheaper than rescheduling on every received frame.
    private func armTimer(context: ChannelHandlerContext) {
        guard let next = link.nextDeadline else { return cancelTimer() }
        let deadline = Self.deadline(next)
        if let current = timerDeadline, current <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            guard let context = self.context else { return }
            actions.removeAll(keepingCapacity: true)
            link.tick(now: now(context), into: &actions)
            perform(actions, context: context)
            flushIfNeeded(context: context)
            armTimer(context: context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }

    // MARK: - Clock

    /// The link's clock: the event loop's monotonic time (virtual on a testing loop).
    private func now(_ context: ChannelHandlerContext) -> Duration {
        Self.instant(context.eventLoop.now)
    }

    /// A deadline as the link's `Duration` since the uptime origin.
    private static func instant(_ deadline: NIODeadline) -> Duration {
        .nanoseconds(Int64(clamping: deadline.uptimeNanoseconds))
    }

    /// A link instant as a deadline, rounded up so the timer never fires before the instant.
    private static func deadline(_ instant: Duration) -> NIODeadline {
        let (seconds, attoseconds) = instant.components
        guard seconds >= 0 else { return .uptimeNanoseconds(0) }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .distantFuture }
        let fraction = UInt64((attoseconds + 999_999_999) / 1_000_000_000)
        let (total, carry) = whole.addingReportingOverflow(fraction)
        return carry ? .distantFuture : .uptimeNanoseconds(total)
    }
}

@available(*, unavailable)
extension MasterChannelHandler: Sendable {}
