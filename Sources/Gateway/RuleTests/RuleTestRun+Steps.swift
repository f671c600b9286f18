import IEC104
import OCPP
import Rules

extension RuleTestRun {
    /// Runs one step; a failure when the step's check fails or its input cannot be given.
    mutating func perform(_ item: TestStep) -> RuleTestFailure? {
        switch item.action {
        case .wait:
            return nil
        case let .connect(charger, version):
            guard let version else { return failure(item, "no version for \(charger.id)") }
            connected[charger.id] = version
            absorb(engine.chargerConnected(charger.id, version: version, at: now))
            return nil
        case let .disconnect(charger):
            guard connected.removeValue(forKey: charger.id) != nil else {
                return failure(item, "\(charger.id) is not connected")
            }
            absorb(engine.chargerDisconnected(charger.id, at: now))
            // The central system fails the calls still waiting on the connection.
            for index in calls.indices where calls[index].charger == charger.id && !calls[index].answered {
                absorb(answer(index, with: .disconnected, at: now))
            }
            return nil
        case let .ocpp(message):
            return receive(message, item)
        case let .command(input):
            return command(input, item)
        case let .reply(input):
            return reply(input, item)
        case .tick:
            absorb(engine.tick(at: now))
            return nil
        case let .interrogation(group, refresh):
            guard pendingInterrogation == nil else {
                return failure(item, "the previous interrogation still waits for its refresh answers (reply to them first)")
            }
            var waiting: Set<Int> = []
            if refresh {
                let before = calls.count
                absorb(engine.interrogationRefresh(at: now))
                waiting = Set((before..<calls.count).filter { !calls[$0].answered })
            }
            pendingInterrogation = PendingInterrogation(group: group, waiting: waiting,
                                                        deadline: now + graph.station.compositeScheduleTimeout)
            finishInterrogationIfReady()
            return nil
        case let .counterInterrogation(group):
            for observation in station.counterInterrogation(group: group, step: step) { emit(observation) }
            return nil
        case let .expectIEC(expected, partial):
            let actual = iecQueue
            iecQueue = []
            return check(item, kind: .iec, expected: expected, actual: actual, partial: partial,
                         mismatches: OutputMatching.mismatches, describeExpected: { text.describe($0) + " (line \($0.location.mark.line))" },
                         describeActual: { text.describe($0) + "  (step \($0.step))" })
        case let .expectOCPP(expected, partial):
            let actual = ocppQueue.map { calls[$0] }
            ocppQueue = []
            return check(item, kind: .ocpp, expected: expected, actual: actual, partial: partial,
                         mismatches: OutputMatching.mismatches, describeExpected: { text.describe($0) + " (line \($0.location.mark.line))" },
                         describeActual: { text.describe($0) + "  (step \($0.step))" })
        case .noIEC:
            let actual = iecQueue
            iecQueue = []
            guard actual.isEmpty else {
                return failure(item, "expected no IEC output, got \(actual.count) \(OutputKind.iec.count(actual.count))",
                               details: actual.map { "+ \(text.describe($0))  (step \($0.step))" })
            }
            return nil
        case .noOCPP:
            let actual = ocppQueue.map { calls[$0] }
            ocppQueue = []
            guard actual.isEmpty else {
                return failure(item, "expected no OCPP call, got \(actual.count) \(OutputKind.ocpp.count(actual.count))",
                               details: actual.map { "+ \(text.describe($0))  (step \($0.step))" })
            }
            return nil
        }
    }

    /// A charger's CALL: checked and normalized as production does, then handed to the engine.
    private mutating func receive(_ message: IncomingMessage, _ item: TestStep) -> RuleTestFailure? {
        guard let version = connected[message.charger.id] else {
            return failure(item, "\(message.charger.id) is not connected (add a connect step before it)")
        }
        let call = IncomingCall(identity: message.charger.id, version: SimulatedCentralSystem.wireVersion(version),
                                id: message.messageID ?? "test-\(item.number)", action: message.action,
                                payload: TestClock.filled(message.payload, now: now))
        switch central.receive(call) {
        case let .refused(reason):
            guard let expected = message.refusal else {
                return failure(item, "the central system refused \(message.action) from \(message.charger.id) with a CALLERROR",
                               details: [reason])
            }
            if let words = expected.containing, !reason.contains(words) {
                return failure(item, "refused, but the reason does not contain \"\(words)\"", details: [reason])
            }
            return nil
        case let .accepted(events):
            if message.refusal != nil {
                return failure(item, "expected the central system to refuse \(message.action), but it accepted it")
            }
            absorb(engine.received(events, action: message.action, from: message.charger.id, at: now))
            return nil
        }
    }

    /// A SCADA command: the station's checks, then the engine.
    private mutating func command(_ input: IECCommandInput, _ item: TestStep) -> RuleTestFailure? {
        guard case let .ioa(ioa) = input.point, let type = input.type, let command = input.command else {
            return failure(item, "the command was not resolved against the site")
        }
        switch station.receive(ioa: ioa, type: type, command: command, select: input.select, at: now, step: step) {
        case let .refused(observation):
            emit(observation)
        case let .dispatched(ticket, request):
            absorb(engine.command(request, ticket: ticket, at: now))
        }
        return nil
    }

    /// The test's answer to a call.
    private mutating func reply(_ input: ReplyInput, _ item: TestStep) -> RuleTestFailure? {
        let index: Int
        if let number = input.call {
            guard calls.indices.contains(number - 1) else {
                return failure(item, "there is no call #\(number); the gateway sent \(calls.count) so far")
            }
            guard !calls[number - 1].answered else { return failure(item, "call #\(number) was already answered") }
            index = number - 1
        } else {
            let ignoreList = test.ignoreOCPP
            let ignored = { (call: CallObservation) in
                ignoreList.contains { OutputMatching.mismatches($0.match, call).isEmpty }
            }
            guard let oldest = calls.indices.first(where: { index in
                let call = calls[index]
                return !call.answered && !ignored(call) && (input.charger.map { $0 == call.charger } ?? true)
                    && (input.action.map { $0 == call.request.action } ?? true)
            }) else {
                let waiting = calls.filter { !$0.answered }.map { "  \(text.describe($0))" }
                return failure(item, "no unanswered call" + (input.charger.map { " to \($0)" } ?? "")
                    + (input.action.map { " of \($0)" } ?? "") + " to reply to",
                    details: waiting.isEmpty ? [] : ["unanswered calls:"] + waiting)
            }
            index = oldest
        }
        absorb(answer(index, with: input.outcome, at: now))
        return nil
    }

    /// Compares expected with actual outputs and renders the diff on failure.
    private func check<Expected, Actual>(_ item: TestStep, kind: OutputKind, expected: [Expected], actual: [Actual], partial: Bool,
                                         mismatches: (Expected, Actual) -> [String], describeExpected: (Expected) -> String,
                                         describeActual: (Actual) -> String) -> RuleTestFailure? {
        let comparison = Comparison(expected: expected, actual: actual, mismatches: mismatches)
        guard comparison.hasMissing || (!partial && comparison.hasUnexpected) else { return nil }
        var details = ["expected \(expected.count)\(partial ? " (partial)" : ""), got \(actual.count)"
            + "  (= matched, - expected but missing, + unexpected\(partial ? ", ~ not checked" : ""))"]
        var unchecked: [String] = []
        func flushUnchecked() {
            // Long runs of outputs a partial check leaves alone are summarized.
            details += unchecked.count > 3 ? [unchecked[0], "  ~ … \(unchecked.count - 2) more not checked", unchecked[unchecked.count - 1]]
                : unchecked
            unchecked = []
        }
        for line in comparison.lines {
            switch line {
            case let .matched(_, index):
                flushUnchecked()
                details.append("  = \(describeActual(actual[index]))")
            case let .missing(index, hints):
                flushUnchecked()
                details.append("  - \(describeExpected(expected[index]))")
                details += hints.map { "      \($0)" }
            case let .unexpected(index) where partial:
                unchecked.append("  ~ \(describeActual(actual[index]))")
            case let .unexpected(index):
                details.append("  + \(describeActual(actual[index]))")
            }
        }
        flushUnchecked()
        let missing = comparison.lines.filter { if case .missing = $0 { true } else { false } }.count
        let unexpected = partial ? 0 : comparison.lines.filter { if case .unexpected = $0 { true } else { false } }.count
        let summary = [missing > 0 ? "\(missing) expected \(kind.count(missing)) missing" : nil,
                       unexpected > 0 ? "\(unexpected) unexpected \(kind.count(unexpected))" : nil].compactMap { $0 }
            .joined(separator: ", ")
        return failure(item, summary, details: details)
    }
}

/// The two kinds of output, for messages.
enum OutputKind {
    case iec, ocpp

    /// `IEC output` / `IEC outputs`, `OCPP call` / `OCPP calls`.
    func count(_ number: Int) -> String {
        let noun = self == .iec ? "IEC output" : "OCPP call"
        return number == 1 ? noun : noun + "s"
    }
}
