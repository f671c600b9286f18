import IEC104
import Logging
import OCPP
import Rules

/// One test running: a fresh engine, the simulated station and central system around it, and the outputs not
/// checked yet.
struct RuleTestRun {
    /// A general interrogation waiting for its composite-schedule refresh.
    struct PendingInterrogation {
        var group: Int?
        var waiting: Set<Int>
        var deadline: EngineTime
    }

    let test: RuleTestCase
    let graph: RuleGraph
    let text: OutputText
    var engine: GatewayEngine
    var station: SimulatedStation
    var central: SimulatedCentralSystem
    /// Every call the gateway sent, by number − 1.
    var calls: [CallObservation] = []
    /// IEC outputs since the last IEC check.
    var iecQueue: [IECObservation] = []
    /// Calls (indexes into `calls`) since the last OCPP check.
    var ocppQueue: [Int] = []
    /// Connected chargers and their versions.
    var connected: [String: Rules.OCPPVersion] = [:]
    var now: EngineTime
    var step = 0
    var pendingInterrogation: PendingInterrogation?
    /// Something the engine did that production's station or central system would not take.
    var fault: String?

    /// Prepares a test of `graph` on the given monitor path.
    init(test: RuleTestCase, graph: RuleGraph, path: MonitorPath) throws(PointDeclarationError) {
        self.test = test
        self.graph = graph
        text = OutputText(graph: graph)
        engine = GatewayEngine(graph: graph, path: path,
                               logger: Logger(label: "ocpp809.rules-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        station = try SimulatedStation(graph: graph)
        central = SimulatedCentralSystem(graph: graph)
        now = test.start
    }

    /// Runs every step; the first failure ends the test.
    mutating func run() -> RuleTestFailure? {
        for item in test.steps {
            step = item.number
            advance(to: item.time)
            if let failure = perform(item) { return failure }
            if let fault {
                return failure(item, "the gateway did something production would refuse", details: [fault])
            }
        }
        if let pending = pendingInterrogation { advance(to: max(now, pending.deadline)) }
        return leftovers()
    }

    // MARK: - Engine outputs

    /// Carries out engine outputs as the runtime would: updates go to the station, calls to the central system,
    /// answers to the station's waiting commands. Calls answered at once (ignore_ocpp with reply) feed back.
    mutating func absorb(_ outputs: [EngineOutput]) {
        var work = outputs
        var index = 0
        while index < work.count {
            let output = work[index]
            index += 1
            switch output {
            case let .publish(update):
                do {
                    if let observation = try station.publish(update, at: now, step: step) { emit(observation) }
                } catch {
                    fault = fault ?? error.message
                }
            case let .send(ticket, charger, request):
                let version = connected[charger] ?? graph.chargerIndex[charger].flatMap { graph.chargers[$0].versions.first } ?? .v201
                let wire = SimulatedCentralSystem.wireVersion(version)
                let call = CallObservation(number: calls.count + 1, ticket: ticket, charger: charger, request: request,
                                           payload: request.payload(for: wire), version: wire, sentAt: now, step: step)
                calls.append(call)
                if let problem = central.checkOutgoing(call) { fault = fault ?? problem }
                if let ignored = test.ignoreOCPP.first(where: { OutputMatching.mismatches($0.match, call).isEmpty }) {
                    if let reply = ignored.reply { work += answer(call.number - 1, with: reply, at: now) }
                } else {
                    ocppQueue.append(call.number - 1)
                }
            case let .answer(ticket, answer):
                if let observation = station.complete(ticket, answer, at: now, step: step) {
                    emit(observation)
                } else {
                    fault = fault ?? "the engine answered command ticket \(ticket), which no command is waiting on"
                }
            }
        }
        finishInterrogationIfReady()
    }

    /// Queues an IEC output unless the test ignores it.
    mutating func emit(_ observation: IECObservation) {
        guard !test.ignoreIEC.contains(where: { OutputMatching.mismatches($0, observation).isEmpty }) else { return }
        iecQueue.append(observation)
    }

    /// Answers call `index` and returns what the engine makes of it.
    mutating func answer(_ index: Int, with reply: ReplyOutcome, at time: EngineTime) -> [EngineOutput] {
        calls[index].answered = true
        pendingInterrogation?.waiting.remove(index)
        var filled = reply
        if case let .result(payload) = reply { filled = .result(TestClock.filled(payload, now: time)) }
        let outcome = central.outcome(of: filled, to: calls[index])
        return engine.completed(calls[index].ticket, outcome: outcome, at: time)
    }

    // MARK: - Time

    /// Moves the clock to `time`, timing out calls older than the call timeout and answering an interrogation
    /// whose refresh ran out of time, each at its own moment.
    mutating func advance(to time: EngineTime) {
        let callTimeout = graph.centralSystem.callTimeout
        while true {
            let timeout = calls.indices.filter { !calls[$0].answered }
                .map { (index: $0, at: calls[$0].sentAt + callTimeout) }
                .min { $0.at < $1.at }
            let deadline = pendingInterrogation?.deadline
            if let deadline, deadline <= time, deadline <= timeout?.at ?? .infinity {
                now = deadline
                answerInterrogation()
            } else if let timeout, timeout.at <= time {
                now = timeout.at
                absorb(answer(timeout.index, with: .timeout, at: now))
            } else {
                break
            }
        }
        now = time
    }

    /// Answers the waiting interrogation once every refresh request has been answered.
    mutating func finishInterrogationIfReady() {
        if let pending = pendingInterrogation, pending.waiting.isEmpty { answerInterrogation() }
    }

    /// The interrogation's answer, from the image as it is now.
    mutating func answerInterrogation() {
        guard let pending = pendingInterrogation else { return }
        pendingInterrogation = nil
        for observation in station.interrogation(group: pending.group, step: step) { emit(observation) }
    }

    // MARK: - Failures

    /// A failure at a step.
    func failure(_ item: TestStep, _ summary: String, details: [String] = []) -> RuleTestFailure {
        RuleTestFailure(step: item.number, keyword: item.action.keyword, location: item.location, time: now,
                        summary: summary, details: details)
    }

    /// The test's end: outputs nobody checked fail it.
    func leftovers() -> RuleTestFailure? {
        guard !iecQueue.isEmpty || !ocppQueue.isEmpty else { return nil }
        var details: [String] = []
        if !iecQueue.isEmpty {
            details.append("IEC outputs not checked by any expect_iec:")
            details += iecQueue.map { "  + \(text.describe($0))  (step \($0.step))" }
        }
        if !ocppQueue.isEmpty {
            details.append("OCPP calls not checked by any expect_ocpp:")
            details += ocppQueue.map { "  + \(text.describe(calls[$0]))  (step \(calls[$0].step))" }
        }
        return RuleTestFailure(step: nil, keyword: "end of test", location: test.location, time: now,
                               summary: "outputs nobody expected (add expect_iec / expect_ocpp steps, or ignore_iec / ignore_ocpp)",
                               details: details)
    }
}
