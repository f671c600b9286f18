import DequeModule

/// The link layer (APCI procedures) of a 104 controlling station (master) on one connection, as a value-type
/// state machine: the mirror image of `ServerLink`.
///
/// No sockets and no clock: the driver feeds events (start or stop requested, a decoded frame, an ASDU to send,
/// a timer tick, the connection lost), each with the current instant of a monotonic clock as a `Duration` since
/// any fixed origin, and carries out the returned `MasterLinkAction`s in order. `nextDeadline` says when to tick.
/// Every event also has an `into:` form that appends to a caller-owned array, so a driver handling thousands of
/// frames a second can reuse one buffer instead of allocating an array per frame.
///
/// States:
/// - `stopped`: connected, data transfer not started (or stopped again). Only U- and S-frames are valid;
///   an I-frame closes the link.
/// - `startPending`: STARTDT act sent; STARTDT con must arrive within t1, else the link closes.
/// - `started`: I-frames flow both ways.
/// - `stopPending`: STOPDT act sent; no new I-frames are sent, the station's remaining I-frames are still
///   received and acknowledged at once (it waits for those acknowledgements before confirming), and STOPDT con
///   must arrive within t1, else the link closes.
/// - `closed`: terminal; every later event is ignored.
///
/// The link never queues ASDUs: `send` either returns the I-frame to write or refuses, and the caller keeps the
/// ASDU until `readyToSend` / `dataTransferStarted`. Sent ASDUs stay here until acknowledged (at most k).
public struct MasterLink: Sendable {
    /// The state of data transfer.
    public enum State: Hashable, Sendable {
        /// Connected, data transfer not started (or stopped again).
        case stopped
        /// STARTDT act sent, waiting for STARTDT con.
        case startPending
        /// Data transfer started.
        case started
        /// STOPDT act sent, waiting for STOPDT con.
        case stopPending
        /// Closed for good, for this reason.
        case closed(MasterCloseReason)
    }

    /// One sent, not yet acknowledged I-frame.
    struct SentFrame: Hashable, Sendable {
        var asdu: [UInt8]
        var sentAt: Duration
    }

    /// The parameters.
    public let parameters: LinkParameters
    /// The current state.
    public private(set) var state: State = .stopped
    /// Counters since the link was created.
    public private(set) var counters = MasterLinkCounters()

    /// V(S): the N(S) of the next I-frame we send.
    public private(set) var sendSequence: SequenceNumber
    /// V(R): the N(S) we expect on the next received I-frame.
    public private(set) var receiveSequence: SequenceNumber
    /// Sent I-frames awaiting acknowledgement, oldest first (never more than k). A deque, because a load test
    /// may run with a large k and acknowledgements remove from the front.
    private var unacknowledged: Deque<SentFrame> = []
    /// Received I-frames we have not acknowledged yet (always below w after an event).
    public private(set) var unacknowledgedReceivedCount = 0
    /// When the oldest unacknowledged received I-frame arrived (t2 runs from here).
    private var firstUnacknowledgedReceivedAt: Duration?
    /// When the last frame of any kind arrived (t3 runs from here).
    private var lastReceivedAt: Duration
    /// When our outstanding TESTFR act was sent (t1 runs from here).
    private var testFrameSentAt: Duration?
    /// When our outstanding STARTDT or STOPDT act was sent; set exactly in `startPending` and `stopPending`.
    private var controlSentAt: Duration?
    /// A send was refused for a full window and the caller has not been told that sending is possible again.
    private var senderWaiting = false

    /// Creates the link of a newly established connection at instant `now`, data transfer stopped.
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
        // Built without an intermediate array: the driver asks after every batch of frames.
        var earliest = testFrameSentAt.map { $0 + parameters.t1 } ?? lastReceivedAt + parameters.t3
        func consider(_ deadline: Duration?) {
            if let deadline, deadline < earliest { earliest = deadline }
        }
        consider(unacknowledged.first.map { $0.sentAt + parameters.t1 })
        consider(controlSentAt.map { $0 + parameters.t1 })
        consider(firstUnacknowledgedReceivedAt.map { $0 + parameters.t2 })
        return earliest
    }

    // MARK: - Events

    /// The application asks to start data transfer: sends STARTDT act from `stopped`; otherwise does nothing.
    public mutating func start(now: Duration) -> [MasterLinkAction] {
        guard state == .stopped else { return [] }
        state = .startPending
        controlSentAt = now
        return [sendUnnumbered(.startDTActivation)]
    }

    /// The application asks to stop data transfer: sends STOPDT act from `started`; otherwise does nothing.
    public mutating func stop(now: Duration) -> [MasterLinkAction] {
        guard state == .started else { return [] }
        var actions: [MasterLinkAction] = []
        // Acknowledge what arrived so far: the station confirms the stop only once its frames are acknowledged.
        if unacknowledgedReceivedCount > 0 {
            counters.stopAcknowledgements += 1
            actions.append(sendAcknowledgement())
        }
        state = .stopPending
        controlSentAt = now
        senderWaiting = false
        actions.append(sendUnnumbered(.stopDTActivation))
        return actions
    }

    /// The application offers one ASDU. On `.transmit`, write the frame; otherwise keep the ASDU and retry
    /// after `readyToSend` (window full) or `dataTransferStarted` (not started).
    public mutating func send(asdu: [UInt8], now: Duration) -> LinkSendResult {
        switch state {
        case .closed: return .refused(.closed)
        case .stopped, .startPending: return .refused(.notStarted)
        case .stopPending: return .refused(.stopping)
        case .started: break
        }
        guard (1...APDU.maximumASDULength).contains(asdu.count) else { return .refused(.invalidLength(asdu.count)) }
        guard unacknowledged.count < parameters.k else {
            senderWaiting = true
            counters.windowFullRefusals += 1
            return .refused(.windowFull)
        }
        let frame = APDU.information(send: sendSequence, receive: receiveSequence, asdu: asdu)
        unacknowledged.append(SentFrame(asdu: asdu, sentAt: now))
        sendSequence = sendSequence.successor
        // The I-frame's N(R) acknowledges everything received so far.
        acknowledgedReceived()
        counters.informationFramesSent += 1
        return .transmit(frame)
    }

    /// A frame arrived from the station.
    public mutating func receive(_ frame: APDU, now: Duration) -> [MasterLinkAction] {
        var actions: [MasterLinkAction] = []
        receive(frame, now: now, into: &actions)
        return actions
    }

    /// A frame arrived from the station; the actions are appended to `actions`.
    public mutating func receive(_ frame: APDU, now: Duration, into actions: inout [MasterLinkAction]) {
        guard !isClosed else { return }
        lastReceivedAt = now
        switch frame {
        case let .information(send, receive, asdu):
            counters.informationFramesReceived += 1
            guard state == .started || state == .stopPending else {
                return close(.informationWhileStopped, into: &actions)
            }
            guard send == receiveSequence else {
                return close(.sequenceError(expected: receiveSequence, received: send), into: &actions)
            }
            guard acknowledge(upTo: receive, into: &actions) else { return }
            receiveSequence = receiveSequence.successor
            unacknowledgedReceivedCount += 1
            if firstUnacknowledgedReceivedAt == nil { firstUnacknowledgedReceivedAt = now }
            actions.append(.deliver(asdu: asdu))
            if state == .stopPending {
                counters.stopAcknowledgements += 1
                actions.append(sendAcknowledgement())
            } else if unacknowledgedReceivedCount >= parameters.w {
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
    }

    /// Time passed: runs the t1, t2 and t3 timers. Call at `nextDeadline` (calling more often is harmless).
    public mutating func tick(now: Duration) -> [MasterLinkAction] {
        var actions: [MasterLinkAction] = []
        tick(now: now, into: &actions)
        return actions
    }

    /// Time passed; the actions are appended to `actions`.
    public mutating func tick(now: Duration, into actions: inout [MasterLinkAction]) {
        guard !isClosed else { return }
        if let oldest = unacknowledged.first, expired(since: oldest.sentAt, after: parameters.t1, now: now) {
            counters.t1Timeouts += 1
            return close(.acknowledgementTimeout, into: &actions)
        }
        if let sent = testFrameSentAt, expired(since: sent, after: parameters.t1, now: now) {
            counters.t1Timeouts += 1
            return close(.testFrameTimeout, into: &actions)
        }
        if let sent = controlSentAt, expired(since: sent, after: parameters.t1, now: now) {
            counters.t1Timeouts += 1
            return close(state == .stopPending ? .stopTimeout : .startTimeout, into: &actions)
        }
        if let first = firstUnacknowledgedReceivedAt, expired(since: first, after: parameters.t2, now: now) {
            counters.t2Acknowledgements += 1
            actions.append(sendAcknowledgement())
        }
        if testFrameSentAt == nil, expired(since: lastReceivedAt, after: parameters.t3, now: now) {
            testFrameSentAt = now
            counters.t3TestFrames += 1
            actions.append(sendUnnumbered(.testFRActivation))
        }
    }

    /// The application closes the link.
    public mutating func close(now: Duration) -> [MasterLinkAction] {
        var actions: [MasterLinkAction] = []
        if !isClosed { close(.local, into: &actions) }
        return actions
    }

    /// The transport reports the connection closed; the `.close` action returns the unacknowledged ASDUs.
    public mutating func connectionLost(now: Duration) -> [MasterLinkAction] {
        var actions: [MasterLinkAction] = []
        if !isClosed { close(.connectionLost, into: &actions) }
        return actions
    }

    /// The byte stream could not be split into APDUs; the link closes with the decoder's error.
    public mutating func framingError(_ error: APDUDecodingError, now: Duration) -> [MasterLinkAction] {
        var actions: [MasterLinkAction] = []
        if !isClosed { close(.framingError(error), into: &actions) }
        return actions
    }

    // MARK: - Procedures

    /// Whether `duration` has passed since `start`; an instant before `start` (a misbehaving clock) never expires.
    private func expired(since start: Duration, after duration: Duration, now: Duration) -> Bool {
        now >= start && now - start >= duration
    }

    private mutating func receiveUnnumbered(_ function: UFunction, into actions: inout [MasterLinkAction]) {
        switch function {
        case .testFRActivation:
            actions.append(sendUnnumbered(.testFRConfirmation))
        case .testFRConfirmation:
            if testFrameSentAt == nil {
                counters.unexpectedConfirmations += 1
            } else {
                testFrameSentAt = nil
                counters.testFramesConfirmed += 1
            }
        case .startDTConfirmation:
            // A stray confirmation is harmless (a late duplicate); only a pending start is completed by it.
            guard state == .startPending else {
                counters.unexpectedConfirmations += 1
                return
            }
            state = .started
            controlSentAt = nil
            actions.append(.dataTransferStarted)
        case .stopDTConfirmation:
            guard state == .stopPending else {
                counters.unexpectedConfirmations += 1
                return
            }
            state = .stopped
            controlSentAt = nil
            actions.append(.dataTransferStopped)
        case .startDTActivation, .stopDTActivation:
            // Only the controlling station starts or stops data transfer, so an activation from the station is
            // a protocol error (or a peer that is itself a master).
            close(.unexpectedFrame(function), into: &actions)
        }
    }

    /// Applies a received N(R). Returns false (with the close in `actions`) when it acknowledges unsent frames.
    private mutating func acknowledge(upTo received: SequenceNumber, into actions: inout [MasterLinkAction]) -> Bool {
        let oldest = oldestUnacknowledged
        let count = oldest.distance(to: received)
        guard count <= unacknowledged.count else {
            close(.invalidAcknowledgement(received: received, oldestUnacknowledged: oldest, next: sendSequence),
                  into: &actions)
            return false
        }
        guard count > 0 else { return true }
        unacknowledged.removeFirst(count)
        counters.framesAcknowledged += count
        if senderWaiting, canSend {
            senderWaiting = false
            actions.append(.readyToSend)
        }
        return true
    }

    /// An S-frame acknowledging every received I-frame.
    private mutating func sendAcknowledgement() -> MasterLinkAction {
        acknowledgedReceived()
        counters.supervisoryFramesSent += 1
        return .send(.supervisory(receive: receiveSequence))
    }

    /// Everything received is acknowledged (by an S-frame or the N(R) of an I-frame).
    private mutating func acknowledgedReceived() {
        unacknowledgedReceivedCount = 0
        firstUnacknowledgedReceivedAt = nil
    }

    private mutating func sendUnnumbered(_ function: UFunction) -> MasterLinkAction {
        counters.unnumberedFramesSent += 1
        return .send(.unnumbered(function))
    }

    /// Enters `closed` and appends the single close action with the unacknowledged ASDUs.
    private mutating func close(_ reason: MasterCloseReason, into actions: inout [MasterLinkAction]) {
        state = .closed(reason)
        counters.closes.count(reason)
        let pending = unacknowledged.map(\.asdu)
        unacknowledged = []
        acknowledgedReceived()
        testFrameSentAt = nil
        controlSentAt = nil
        senderWaiting = false
        actions.append(.close(reason, unacknowledged: pending))
    }
}
