import Foundation
import GatewaySupport
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// What the central system reports besides the CALLs it hands to its handler.
public enum CentralSystemEvent: Hashable, Sendable {
    /// A charger connected with this version.
    case connected(identity: String, version: OCPPVersion)
    /// A charger's connection ended.
    case disconnected(identity: String, reason: DisconnectReason)
    /// A CALL was refused because its payload broke the official schema (the CALLERROR went back).
    case schemaViolation(identity: String, action: String, violations: [SchemaViolation])
    /// A frame could not be read (answered or not, as the version says).
    case invalidFrame(identity: String, problem: RPCFrameProblem)
    /// A CALL was answered; these are its normalized events and the sanitizer's repairs (each with its path).
    case normalized(identity: String, action: String, events: [ChargerEvent], repairs: [NormalizedCall.Repair])
    /// A CALL was refused because its values could not be read (strict policy, or a payload the schema missed).
    case normalizationFailed(identity: String, action: String, error: NormalizationError)
}

/// The OCPP-J RPC layer over the WebSocket server: per charger, incoming CALLs are checked against the
/// official schemas and handed to the handler; outgoing CALLs wait one at a time for their answer.
public final class CentralSystem: OCPPConnectionDelegate, Sendable {
    /// One connected charger.
    struct Session: Sendable {
        var connection: ChargerConnection
        var rpc: RPCSession
        var waiters: [UInt64: CheckedContinuation<CallOutcome, Never>] = [:]
        /// The last answers given, so a CALL the charger sends again with the same id is answered, not redone.
        var recentAnswers: [RecentAnswer] = []
    }

    /// One answered CALL.
    struct RecentAnswer: Sendable {
        var id: String
        var action: String
        var payload: JSONObject
        var answer: String
    }

    /// How many answered CALLs are remembered per charger for duplicate detection.
    static let rememberedAnswers = 16

    private let sessions = NIOLockedValueBox<[String: Session]>([:])
    /// Sanitizer repairs per charger and kind; a kind is logged the first time a charger needs it, then counted.
    private let repairs = NIOLockedValueBox<[String: [String: Int]]>([:])
    /// Those first-time lines, at most one a second: a site of non-conformant chargers booting at once would
    /// otherwise write one per charger and kind in the same instant.
    private let repairLog = NIOLockedValueBox(RateLimitedLog(interval: .seconds(1)))
    private let handler: IncomingCallHandler
    private let policy: @Sendable (String) -> SanitizerPolicy
    private let timeZone: @Sendable (String) -> TimeZone?
    private let observer: @Sendable (CentralSystemEvent) -> Void
    let schemas: OfficialSchemas
    private let callTimeout: Duration
    private let maximumQueuedCalls: Int
    private let timers: EventLoop
    private let logger: Logger

    /// Creates the RPC layer; `handler` answers valid incoming CALLs, `observer` sees connections and refusals.
    /// `policy` says per charger identity whether the legacy sanitizer may repair values (lenient) or not;
    /// `timeZone` gives the zone a charger's timestamps without one are read in (nil: they stay unknown).
    public init(handler: @escaping IncomingCallHandler, schemas: OfficialSchemas = .bundled,
                callTimeout: Duration = .seconds(30), maximumQueuedCalls: Int = 100,
                policy: @escaping @Sendable (String) -> SanitizerPolicy = { _ in .lenient },
                timeZone: @escaping @Sendable (String) -> TimeZone? = { _ in nil },
                logger: Logger = Logger(label: "ocpp809.ocpp"),
                observer: @escaping @Sendable (CentralSystemEvent) -> Void = { _ in }) {
        self.handler = handler
        self.policy = policy
        self.timeZone = timeZone
        self.schemas = schemas
        self.callTimeout = callTimeout
        self.maximumQueuedCalls = maximumQueuedCalls
        self.logger = logger
        self.observer = observer
        timers = MultiThreadedEventLoopGroup.singleton.next()
    }

    /// How many repairs of each kind the sanitizer made, per charger identity, since start.
    public var repairCounts: [String: [String: Int]] { repairs.withLockedValue { $0 } }

    /// The version a connected charger speaks, or nil.
    func version(of identity: String) -> OCPPVersion? {
        sessions.withLockedValue { $0[identity]?.connection.version }
    }

    /// Identities connected now.
    public var connectedIdentities: [String] { sessions.withLockedValue { Array($0.keys) }.sorted() }

    /// Sends a CALL to a connected charger and waits for its outcome (`.disconnected` when it is not connected).
    public func call(_ identity: String, action: String, payload: JSONObject) async -> CallOutcome {
        await withCheckedContinuation { continuation in
            let result = sessions.withLockedValue { sessions -> (ChargerConnection, [RPCAction])? in
                guard var session = sessions[identity] else { return nil }
                let (ticket, actions) = session.rpc.call(action, payload: payload, now: Self.now())
                session.waiters[ticket] = continuation
                sessions[identity] = session
                return (session.connection, actions)
            }
            guard let (connection, actions) = result else {
                continuation.resume(returning: .disconnected)
                return
            }
            perform(actions, on: connection)
        }
    }

    // MARK: - OCPPConnectionDelegate

    /// A charger connected: a new RPC session starts.
    public func connected(_ connection: ChargerConnection) {
        sessions.withLockedValue {
            $0[connection.identity] = Session(connection: connection,
                                              rpc: RPCSession(callTimeout: callTimeout, maximumQueuedCalls: maximumQueuedCalls))
        }
        observer(.connected(identity: connection.identity, version: connection.version))
    }

    /// A text message arrived.
    public func received(text: String, from connection: ChargerConnection) {
        let inbound = RPCFrameParser.parse(text, version: connection.version)
        if case let .invalid(problem, _, _) = inbound {
            observer(.invalidFrame(identity: connection.identity, problem: problem))
        }
        let actions = sessions.withLockedValue { sessions -> [RPCAction] in
            guard var session = sessions[connection.identity], session.connection == connection else { return [] }
            let actions = session.rpc.receive(inbound, now: Self.now())
            sessions[connection.identity] = session
            return actions
        }
        perform(actions, on: connection)
    }

    /// The connection ended: every call waiting on it ends `.disconnected`.
    public func disconnected(_ connection: ChargerConnection, reason: DisconnectReason) {
        let ended = sessions.withLockedValue { sessions -> Session? in
            guard let session = sessions[connection.identity], session.connection == connection else { return nil }
            sessions[connection.identity] = nil
            return session
        }
        if var session = ended {
            for case let .completed(ticket, outcome) in session.rpc.connectionLost() {
                session.waiters.removeValue(forKey: ticket)?.resume(returning: outcome)
            }
        }
        observer(.disconnected(identity: connection.identity, reason: reason))
    }

    // MARK: - Actions

    private func perform(_ actions: [RPCAction], on connection: ChargerConnection) {
        for action in actions {
            switch action {
            case let .send(frame):
                connection.send(text: frame.serialized(for: connection.version))
                if case .call = frame { scheduleTick(for: connection) }
            case let .completed(ticket, outcome):
                let waiter = sessions.withLockedValue { $0[connection.identity]?.waiters.removeValue(forKey: ticket) }
                waiter?.resume(returning: outcome)
            case let .incomingCall(id, action, payload):
                if let repeated = rememberedAnswer(id: id, action: action, payload: payload, on: connection) {
                    // A retransmission (the charger missed our answer): answer again, do not process twice.
                    count([NormalizedCall.Repair(path: "$[1]", repair: .duplicateMessageId(id))], for: connection.identity)
                    connection.send(text: repeated)
                    continue
                }
                let call = IncomingCall(identity: connection.identity, version: connection.version, id: id, action: action,
                                        payload: payload)
                Task {
                    let text = await self.answer(call).serialized(for: connection.version)
                    self.remember(RecentAnswer(id: id, action: action, payload: payload, answer: text), on: connection)
                    connection.send(text: text)
                }
            case let .dropped(reason):
                logger.debug("OCPP frame dropped: \(reason)", metadata: ["charger": "\(connection.identity)"])
            }
        }
    }

    /// Checks the payload against the official schema and reads its values; violations the lenient sanitizer
    /// repaired (at exactly those paths) are excused, every other one is answered with a CALLERROR. Then the
    /// handler answers, and the normalized events go to the observer.
    private func answer(_ call: IncomingCall) async -> RPCFrame {
        guard let schema = schemas.schema(for: call.action, .request, version: call.version) else {
            return .callError(id: call.id, code: .notImplemented, description: "unknown action \(call.action)",
                              details: JSONObject())
        }
        let sanitizer = policy(call.identity)
        let violations = schema.validate(.object(call.payload))
        let normalized: NormalizedCall
        let zone = timeZone(call.identity)
        switch Normalizer.normalize(call, policy: sanitizer, timeZone: zone) {
        case let .success(result):
            normalized = result
        case let .failure(error):
            // A payload the schema already refuses is answered with the schema's more precise code.
            guard !violations.isEmpty else {
                observer(.normalizationFailed(identity: call.identity, action: call.action, error: error))
                let code: RPCErrorCode = error.refusedRepair == nil ? .formatViolation : .propertyConstraintViolation
                return .callError(id: call.id, code: code, description: "\(error.path): \(error.message)",
                                  details: JSONObject())
            }
            return refusal(call, violations)
        }
        let repaired = normalized.repairs.map(\.path)
        let unexcused = violations.filter { violation in
            !repaired.contains { violation.path == $0 || violation.path.hasPrefix($0 + ".") || violation.path.hasPrefix($0 + "[") }
        }
        guard unexcused.isEmpty else { return refusal(call, unexcused) }
        let answer = await handler(call)
        var events = normalized
        if case let .result(payload) = answer, call.action == "StartTransaction",
           let assigned = payload["transactionId"]?.numberValue?.text,
           case let .success(withID) = Normalizer.normalize(call, policy: sanitizer, assignedTransactionId: assigned,
                                                            timeZone: zone) {
            // 1.6 transaction ids are assigned in the answer, so the started event learns its id only now.
            events = withID
        }
        count(events.repairs, for: call.identity)
        observer(.normalized(identity: call.identity, action: call.action, events: events.events, repairs: events.repairs))
        switch answer {
        case let .result(payload): return .callResult(id: call.id, payload: payload)
        case let .error(code, description): return .callError(id: call.id, code: code, description: description, details: JSONObject())
        }
    }

    private func rememberedAnswer(id: String, action: String, payload: JSONObject, on connection: ChargerConnection) -> String? {
        sessions.withLockedValue { sessions in
            sessions[connection.identity]?.recentAnswers.last { $0.id == id && $0.action == action && $0.payload == payload }?.answer
        }
    }

    private func remember(_ answer: RecentAnswer, on connection: ChargerConnection) {
        sessions.withLockedValue { sessions in
            guard sessions[connection.identity]?.connection == connection else { return }
            sessions[connection.identity]?.recentAnswers.append(answer)
            if let count = sessions[connection.identity]?.recentAnswers.count, count > Self.rememberedAnswers {
                sessions[connection.identity]?.recentAnswers.removeFirst(count - Self.rememberedAnswers)
            }
        }
    }

    /// Counts repairs; the first of each kind per charger is logged (rate-limited), so a non-conformant charger
    /// shows up without flooding the log.
    private func count(_ made: [NormalizedCall.Repair], for identity: String) {
        guard !made.isEmpty else { return }
        let firstOfKind = repairs.withLockedValue { counts -> [NormalizedCall.Repair] in
            var first: [NormalizedCall.Repair] = []
            for repair in made {
                let previous = counts[identity, default: [:]][repair.repair.name, default: 0]
                counts[identity, default: [:]][repair.repair.name] = previous + 1
                if previous == 0 { first.append(repair) }
            }
            return first
        }
        for repair in firstOfKind {
            repairLog.withLockedValue { log in
                log.warning("OCPP charger \(identity) needed a repair: \(repair.repair) at \(repair.path); further \(repair.repair.name) repairs of this charger are counted, not logged",
                            logger: logger)
            }
        }
    }

    /// The CALLERROR for schema violations: the first one's code and place, all of them in the details.
    private func refusal(_ call: IncomingCall, _ violations: [SchemaViolation]) -> RPCFrame {
        observer(.schemaViolation(identity: call.identity, action: call.action, violations: violations))
        var details = JSONObject()
        details["violations"] = .array(violations.map { .string($0.description) })
        let code = violations.first.map(Self.code(for:)) ?? .formatViolation
        return .callError(id: call.id, code: code, description: violations.first?.description ?? "invalid payload",
                          details: details)
    }

    /// The CALLERROR code that fits a schema violation best.
    static func code(for violation: SchemaViolation) -> RPCErrorCode {
        if violation.message.hasPrefix("required property") || violation.message.contains("item(s)") {
            return .occurrenceConstraintViolation
        }
        if violation.message.hasPrefix("expected ") { return .typeConstraintViolation }
        return .propertyConstraintViolation
    }

    private func scheduleTick(for connection: ChargerConnection) {
        timers.scheduleTask(in: TimeAmount(callTimeout)) { [self] in
            let actions = sessions.withLockedValue { sessions -> [RPCAction] in
                guard var session = sessions[connection.identity], session.connection == connection else { return [] }
                let actions = session.rpc.tick(now: Self.now())
                sessions[connection.identity] = session
                return actions
            }
            perform(actions, on: connection)
        }
    }

    private static func now() -> Duration { .nanoseconds(Int64(clamping: NIODeadline.now().uptimeNanoseconds)) }
}
