import DequeModule

/// How an outgoing CALL ended.
public enum CallOutcome: Hashable, Sendable {
    /// The charger answered with a CALLRESULT.
    case result(JSONObject)
    /// The charger answered with a CALLERROR.
    case callError(RPCErrorCode, description: String, details: JSONObject)
    /// No answer within the call timeout.
    case timeout
    /// The connection went away before the answer.
    case disconnected
    /// The queue of calls waiting for this charger was full; the call was never sent.
    case queueFull
    /// The charger answered with a frame that could not be read.
    case malformedResponse(RPCFrameProblem)
}

/// What the driver of an `RPCSession` must do, in order.
public enum RPCAction: Hashable, Sendable {
    /// Write this frame to the charger.
    case send(RPCFrame)
    /// The call with this ticket ended.
    case completed(ticket: UInt64, CallOutcome)
    /// The charger sent a CALL: handle it and answer with `.callResult` or `.callError` to its id.
    case incomingCall(id: String, action: String, payload: JSONObject)
    /// A frame was dropped without an answer (a result nobody waits for, a broken response); for counters and logs.
    case dropped(String)
}

/// Counters of one RPC session.
public struct RPCCounters: Hashable, Sendable {
    /// CALLs sent to the charger.
    public var callsSent = 0
    /// CALLRESULTs matched to our CALLs.
    public var results = 0
    /// CALLERRORs matched to our CALLs.
    public var callErrors = 0
    /// Our CALLs that timed out.
    public var timeouts = 0
    /// Calls refused because the queue was full.
    public var queueFull = 0
    /// CALLs received from the charger.
    public var callsReceived = 0
    /// Responses whose id matched no outstanding CALL.
    public var unmatchedResponses = 0
    /// Frames that could not be read.
    public var invalidFrames = 0

    /// Creates zeroed counters.
    public init() {}
}

/// The OCPP-J RPC rules of one charger connection as a value type without I/O: one outstanding CALL from the
/// central system at a time with a bounded queue behind it, correlation by message id, a timeout per call.
///
/// States of the outgoing side: idle (nothing outstanding, queue empty), waiting (one CALL outstanding since
/// `sentAt`, later calls queued in order), closed (after `connectionLost`; every call ends `.disconnected`).
public struct RPCSession: Sendable {
    /// A call waiting to be sent.
    struct QueuedCall: Hashable, Sendable {
        var ticket: UInt64
        var action: String
        var payload: JSONObject
    }

    /// The call on the wire.
    struct OutstandingCall: Hashable, Sendable {
        var ticket: UInt64
        var id: String
        var sentAt: Duration
    }

    /// How long the charger has to answer a CALL.
    public let callTimeout: Duration
    /// The most calls waiting behind the outstanding one.
    public let maximumQueuedCalls: Int
    /// Counters since the connection opened.
    public private(set) var counters = RPCCounters()
    private var queue: Deque<QueuedCall> = []
    private var outstanding: OutstandingCall?
    private var nextTicket: UInt64 = 1
    private var nextMessageNumber: UInt64 = 1
    private var closed = false

    /// Creates the session of a new connection.
    public init(callTimeout: Duration = .seconds(30), maximumQueuedCalls: Int = 100) {
        self.callTimeout = callTimeout
        self.maximumQueuedCalls = max(0, maximumQueuedCalls)
    }

    /// Calls waiting behind the outstanding one.
    public var queuedCount: Int { queue.count }
    /// Whether a CALL is on the wire.
    public var isWaiting: Bool { outstanding != nil }
    /// When `tick` has something to do, or nil.
    public var nextDeadline: Duration? { outstanding.map { $0.sentAt + callTimeout } }

    /// Queues a CALL; returns its ticket and what to do now (send it, or end it at once when refused).
    public mutating func call(_ action: String, payload: JSONObject, now: Duration) -> (ticket: UInt64, actions: [RPCAction]) {
        let ticket = nextTicket
        nextTicket += 1
        if closed { return (ticket, [.completed(ticket: ticket, .disconnected)]) }
        guard queue.count < maximumQueuedCalls || outstanding == nil else {
            counters.queueFull += 1
            return (ticket, [.completed(ticket: ticket, .queueFull)])
        }
        queue.append(QueuedCall(ticket: ticket, action: action, payload: payload))
        return (ticket, sendNext(now: now))
    }

    /// A message arrived from the charger.
    public mutating func receive(_ inbound: RPCInbound, now: Duration) -> [RPCAction] {
        switch inbound {
        case let .frame(.call(id, action, payload)):
            counters.callsReceived += 1
            return [.incomingCall(id: id, action: action, payload: payload)]
        case let .frame(.callResult(id, payload)):
            return answer(id: id, outcome: .result(payload), now: now)
        case let .frame(.callError(id, code, description, details)):
            return answer(id: id, outcome: .callError(code, description: description, details: details), now: now)
        case let .invalid(problem, id, reply):
            counters.invalidFrames += 1
            if let reply { return [.send(reply)] }
            if let id, id == outstanding?.id { return answer(id: id, outcome: .malformedResponse(problem), now: now) }
            return [.dropped("unreadable frame: \(problem)")]
        }
    }

    /// Time passed: ends the outstanding call when its timeout expired, and sends the next one.
    public mutating func tick(now: Duration) -> [RPCAction] {
        guard let call = outstanding, now - call.sentAt >= callTimeout else { return [] }
        outstanding = nil
        counters.timeouts += 1
        return [.completed(ticket: call.ticket, .timeout)] + sendNext(now: now)
    }

    /// The connection closed: every call still outstanding or queued ends `.disconnected`.
    public mutating func connectionLost() -> [RPCAction] {
        closed = true
        var actions: [RPCAction] = []
        if let call = outstanding { actions.append(.completed(ticket: call.ticket, .disconnected)) }
        outstanding = nil
        actions += queue.map { .completed(ticket: $0.ticket, .disconnected) }
        queue.removeAll()
        return actions
    }

    private mutating func answer(id: String, outcome: CallOutcome, now: Duration) -> [RPCAction] {
        guard let call = outstanding, call.id == id else {
            counters.unmatchedResponses += 1
            return [.dropped("response to \(id), which is not the outstanding call")]
        }
        outstanding = nil
        switch outcome {
        case .result: counters.results += 1
        case .callError: counters.callErrors += 1
        default: break
        }
        return [.completed(ticket: call.ticket, outcome)] + sendNext(now: now)
    }

    private mutating func sendNext(now: Duration) -> [RPCAction] {
        guard outstanding == nil, let next = queue.popFirst() else { return [] }
        let id = "csms-\(nextMessageNumber)"
        nextMessageNumber += 1
        outstanding = OutstandingCall(ticket: next.ticket, id: id, sentAt: now)
        counters.callsSent += 1
        return [.send(.call(id: id, action: next.action, payload: next.payload))]
    }
}
