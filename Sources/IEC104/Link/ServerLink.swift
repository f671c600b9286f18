/// The link layer (APCI procedures) of a 104 controlled station on one connection, as a value-type state machine.
///
/// No sockets and no clock: the driver feeds events (a decoded frame, an ASDU to send, a timer tick, the
/// connection lost), each with the current instant of a monotonic clock as a `Duration` since any fixed
/// origin, and carries out the returned `LinkAction`s in order. `nextDeadline` says when to tick next.
///
/// States:
/// - `stopped`: connected, data transfer not started. Only U- and S-frames are valid; an I-frame closes the link.
/// - `started`: after STARTDT act (answered with STARTDT con); I-frames flow both ways.
/// - `stopPending`: STOPDT act received while our I-frames were unacknowledged ("pending unconfirmed stopped").
///   No new I-frames are sent; STOPDT con goes out once the last one is acknowledged, then `stopped`.
/// - `closed`: terminal; every later event is ignored.
///
/// The link never queues ASDUs: `send` either returns the I-frame to write or refuses, and the caller keeps
/// the ASDU in its own (bounded) queue until `readyToSend` / `dataTransferStarted`. Sent ASDUs stay here until
/// acknowledged (at most k), and are handed back in `.close` when the link ends without their acknowledgement.
public struct ServerLink: Sendable {
    /// The state of data transfer.
    public enum State: Hashable, Sendable {
        case stopped
        case started
        case stopPending
        case closed(LinkCloseReason)
    }

    /// One sent, not yet acknowledged I-frame.
    struct SentFrame: Hashable, Sendable {
        var sequence: SequenceNumber
        var asdu: [UInt8]
        var sentAt: Duration
    }

    /// The parameters.
    public let parameters: LinkParameters
    /// The current state.
    public private(set) var state: State = .stopped
    /// Counters since the link was created.
    public private(set) var counters = LinkCounters()

    /// V(S): the N(S) of the next I-frame we send.
    public private(set) var sendSequence: SequenceNumber
    /// V(R): the N(S) we expect on the next received I-frame.
    public private(set) var receiveSequence: SequenceNumber
    /// Sent I-frames awaiting acknowledgement, oldest first (never more than k).
    private(set) var unacknowledged: [SentFrame] = []
    /// Received I-frames we have not acknowledged yet (always below w after an event).
    public private(set) var unacknowledgedReceivedCount = 0
    /// When the oldest unacknowledged received I-frame arrived (t2 runs from here).
    private var firstUnacknowledgedReceivedAt: Duration?
    /// When the last frame of any kind arrived (t3 runs from here).
    private var lastReceivedAt: Duration
    /// When our outstanding TESTFR act was sent (t1 runs from here).
    private var testFrameSentAt: Duration?
    /// A send was refused and the caller has not been told that sending is possible again.
    private var senderWaiting = false

    /// Creates the link of a newly accepted connection at instant `now`.
    public init(parameters: LinkParameters = .standard, now: Duration) {
        self.init(parameters: parameters, now: now, sendSequence: .zero, receiveSequence: .zero)
    }

    /// Creates a link with given initial V(S) and V(R) (tests of the wrap-around at 32767).
    init(parameters: LinkParameters, now: Duration, sendSequence: SequenceNumber, receiveSequence: SequenceNumber) {
        self.parameters = parameters
        self.sendSequence = sendSequence
        self.receiveSequence = receiveSequence
        lastReceivedAt = now
    }

    // MARK: - Queries

    /// The number of sent I-frames awaiting acknowledgement (0...k).
    public var unacknowledgedCount: Int { unacknowledged.count }

    /// The N(S) of the oldest unacknowledged I-frame (V(S) when none is outstanding).
    public var oldestUnacknowledged: SequenceNumber { sendSequence.advanced(by: -unacknowledged.count) }

    /// Whether `send` would take an ASDU now.
    public var canSend: Bool { state == .started && unacknowledged.count < parameters.k }

    /// Whether the link is closed.
    public var isClosed: Bool { if case .closed = state { true } else { false } }

    /// The ASDUs sent and not yet acknowledged, oldest first.
    public var unacknowledgedASDUs: [[UInt8]] { unacknowledged.map(\.asdu) }

    /// The earliest instant at which `tick` has something to do, or nil when no timer runs.
    public var nextDeadline: Duration? {
        guard !isClosed else { return nil }
        // Called after every frame: no temporary array.
        var earliest = testFrameSentAt.map { $0 + parameters.t1 } ?? lastReceivedAt + parameters.t3
        if let oldest = unacknowledged.first { earliest = min(earliest, oldest.sentAt + parameters.t1) }
        if let first = firstUnacknowledgedReceivedAt { earliest = min(earliest, first + parameters.t2) }
        return earliest
    }

    // MARK: - Events

    /// The application offers one ASDU. On `.transmit`, write the frame; otherwise keep the ASDU and retry
    /// after `readyToSend` or `dataTransferStarted`.
    public mutating func send(asdu: [UInt8], now: Duration) -> LinkSendResult {
        switch state {
        case .closed: return .refused(.closed)
        case .stopped: return .refused(.notStarted)
        case .stopPending:
            senderWaiting = true
            return .refused(.stopping)
        case .started: break
        }
        guard (1...APDU.maximumASDULength).contains(asdu.count) else { return .refused(.invalidLength(asdu.count)) }
        guard unacknowledged.count < parameters.k else {
            senderWaiting = true
            counters.windowFullRefusals += 1
            return .refused(.windowFull)
        }
        let frame = APDU.information(send: sendSequence, receive: receiveSequence, asdu: asdu)
        unacknowledged.append(SentFrame(sequence: sendSequence, asdu: asdu, sentAt: now))
        sendSequence = sendSequence.successor
        // The I-frame's N(R) acknowledges everything received so far.
        acknowledgedReceived()
        counters.informationFramesSent += 1
        return .transmit(frame)
    }

    /// A frame arrived from the master.
    public mutating func receive(_ frame: APDU, now: Duration) -> [LinkAction] {
        guard !isClosed else { return [] }
        lastReceivedAt = now
        var actions: [LinkAction] = []
        switch frame {
        case let .information(send, receive, asdu):
            counters.informationFramesReceived += 1
            guard state == .started else { return close(.informationWhileStopped) }
            guard send == receiveSequence else {
                return close(.sequenceError(expected: receiveSequence, received: send))
            }
            guard acknowledge(upTo: receive, into: &actions) else { return actions }
            receiveSequence = receiveSequence.successor
            unacknowledgedReceivedCount += 1
            if firstUnacknowledgedReceivedAt == nil { firstUnacknowledgedReceivedAt = now }
            actions.append(.deliver(asdu: asdu))
            if unacknowledgedReceivedCount >= parameters.w {
                counters.windowAcknowledgements += 1
                actions.append(sendAcknowledgement())
            }
        case let .supervisory(receive):
            counters.supervisoryFramesReceived += 1
            _ = acknowledge(upTo: receive, into: &actions)
        case let .unnumbered(function):
            counters.unnumberedFramesReceived += 1
            receiveUnnumbered(function, into: &actions)
        }
        return actions
    }

    /// Time passed: runs the t1, t2 and t3 timers. Call at `nextDeadline` (calling more often is harmless).
    public mutating func tick(now: Duration) -> [LinkAction] {
        guard !isClosed else { return [] }
        if let oldest = unacknowledged.first, expired(since: oldest.sentAt, after: parameters.t1, now: now) {
            counters.t1Timeouts += 1
            return close(.acknowledgementTimeout)
        }
        if let sent = testFrameSentAt, expired(since: sent, after: parameters.t1, now: now) {
            counters.t1Timeouts += 1
            return close(.testFrameTimeout)
        }
        var actions: [LinkAction] = []
        if let first = firstUnacknowledgedReceivedAt, expired(since: first, after: parameters.t2, now: now) {
            counters.t2Acknowledgements += 1
            actions.append(sendAcknowledgement())
        }
        if testFrameSentAt == nil, expired(since: lastReceivedAt, after: parameters.t3, now: now) {
            testFrameSentAt = now
            counters.t3TestFrames += 1
            actions.append(sendUnnumbered(.testFRActivation))
        }
        return actions
    }

    /// The application closes the link.
    public mutating func close(now: Duration) -> [LinkAction] {
        guard !isClosed else { return [] }
        return close(.local)
    }

    /// The transport reports the connection closed; the `.close` action returns the unacknowledged ASDUs.
    public mutating func connectionLost(now: Duration) -> [LinkAction] {
        guard !isClosed else { return [] }
        return close(.connectionLost)
    }

    // MARK: - Procedures

    /// Whether `duration` has passed since `start`; an instant before `start` (a misbehaving clock) never expires.
    private func expired(since start: Duration, after duration: Duration, now: Duration) -> Bool {
        now >= start && now - start >= duration
    }

    private mutating func receiveUnnumbered(_ function: UFunction, into actions: inout [LinkAction]) {
        switch function {
        case .testFRActivation:
            actions.append(sendUnnumbered(.testFRConfirmation))
        case .testFRConfirmation:
            if testFrameSentAt == nil {
                counters.unexpectedTestConfirmations += 1
            } else {
                testFrameSentAt = nil
                counters.testFramesConfirmed += 1
            }
        case .startDTActivation:
            actions.append(sendUnnumbered(.startDTConfirmation))
            switch state {
            case .stopped:
                state = .started
                senderWaiting = false
                actions.append(.dataTransferStarted)
            case .stopPending:
                // The master takes its stop back: carry on as if it had never asked.
                state = .started
                notifySenderIfReady(into: &actions)
            case .started, .closed:
                break
            }
        case .stopDTActivation:
            switch state {
            case .started:
                // Acknowledge what we received before the stop, as the standard's sequence shows.
                if unacknowledgedReceivedCount > 0 { actions.append(sendAcknowledgement()) }
                state = .stopPending
                confirmStopIfDrained(into: &actions)
            case .stopped:
                actions.append(sendUnnumbered(.stopDTConfirmation))
            case .stopPending, .closed:
                break
            }
        case .startDTConfirmation, .stopDTConfirmation:
            // The controlled station never sends STARTDT/STOPDT act, so a confirmation is a protocol error.
            actions = close(.unexpectedFrame(function))
        }
    }

    /// Applies a received N(R). Returns false (with the close in `actions`) when it acknowledges unsent frames.
    private mutating func acknowledge(upTo received: SequenceNumber, into actions: inout [LinkAction]) -> Bool {
        let oldest = oldestUnacknowledged
        let count = oldest.distance(to: received)
        guard count <= unacknowledged.count else {
            actions = close(.invalidAcknowledgement(received: received, oldestUnacknowledged: oldest,
                                                    next: sendSequence))
            return false
        }
        guard count > 0 else { return true }
        unacknowledged.removeFirst(count)
        counters.framesAcknowledged += count
        switch state {
        case .started: notifySenderIfReady(into: &actions)
        case .stopPending: confirmStopIfDrained(into: &actions)
        case .stopped, .closed: break
        }
        return true
    }

    /// In `stopPending`, sends STOPDT con and stops once every sent I-frame is acknowledged.
    private mutating func confirmStopIfDrained(into actions: inout [LinkAction]) {
        guard state == .stopPending, unacknowledged.isEmpty else { return }
        state = .stopped
        senderWaiting = false
        actions.append(sendUnnumbered(.stopDTConfirmation))
        actions.append(.dataTransferStopped)
    }

    /// Tells a refused sender that it may send again.
    private mutating func notifySenderIfReady(into actions: inout [LinkAction]) {
        guard senderWaiting, canSend else { return }
        senderWaiting = false
        actions.append(.readyToSend)
    }

    /// An S-frame acknowledging every received I-frame.
    private mutating func sendAcknowledgement() -> LinkAction {
        acknowledgedReceived()
        counters.supervisoryFramesSent += 1
        return .send(.supervisory(receive: receiveSequence))
    }

    /// Everything received is acknowledged (by an S-frame or the N(R) of an I-frame).
    private mutating func acknowledgedReceived() {
        unacknowledgedReceivedCount = 0
        firstUnacknowledgedReceivedAt = nil
    }

    private mutating func sendUnnumbered(_ function: UFunction) -> LinkAction {
        counters.unnumberedFramesSent += 1
        return .send(.unnumbered(function))
    }

    /// Enters `closed` and returns the single close action with the unacknowledged ASDUs.
    private mutating func close(_ reason: LinkCloseReason) -> [LinkAction] {
        state = .closed(reason)
        counters.closes.count(reason)
        let pending = unacknowledged.map(\.asdu)
        unacknowledged = []
        acknowledgedReceived()
        testFrameSentAt = nil
        return [.close(reason, unacknowledged: pending)]
    }
}
