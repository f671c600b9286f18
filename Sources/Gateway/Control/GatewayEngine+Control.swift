import IEC104
import OCPP
import Rules

extension GatewayEngine {
    /// A SCADA command the station passed on (its own checks done): preconditions from the rule, then the OCPP
    /// request. The answer comes now when the command is refused or is a select, else when the charger answers.
    public mutating func command(_ request: CommandRequest, ticket: CommandTicket, at now: EngineTime) -> [EngineOutput] {
        let address = PointAddress(ca: graph.station.commonAddress, ioa: Int(request.address))
        let rule: ControlRule
        switch graph.lookupCommand(typeID: Int(request.typeID.rawValue), at: address) {
        case let .rule(found): rule = found
        case .unknownAddress: return [.answer(ticket, .rejected(reason: "no point at \(address)"))]
        case .notACommandPoint: return [.answer(ticket, .rejected(reason: "\(address) is not a command point"))]
        case let .wrongType(expected): return [.answer(ticket, .rejected(reason: "\(address) takes \(expected)"))]
        }
        guard let ruleIndex = graph.controlIndex[address], let value = CommandValue.number(request.command, rule: rule) else {
            return [.answer(ticket, .rejected(reason: "the command's value cannot be read"))]
        }
        if let refusal = precondition(rule, ruleIndex: ruleIndex, value: value, request: request, at: now) {
            return [.answer(ticket, .rejected(reason: "\(graph.points[rule.point].signal) at \(address): \(refusal)"))]
        }
        guard request.phase == .execute else { return [.answer(ticket, .accepted)] }
        control.executes[ruleIndex, default: []].append(now)
        let calls: [EngineOutput]
        switch rule.action {
        case let .distribute(_, members):
            calls = share(value, of: rule, over: members, purpose: .command(ticket))
        default:
            guard case let .charger(charger) = rule.owner,
                  let call = makeRequest(for: rule, ruleIndex: ruleIndex, value: value, charger: charger, purpose: .command(ticket))
            else {
                return [.answer(ticket, .rejected(reason: "\(graph.points[rule.point].signal): nothing to send"))]
            }
            calls = [call]
        }
        let tickets = calls.compactMap { output -> CallTicket? in
            if case let .send(callTicket, _, _) = output { return callTicket }
            return nil
        }
        guard !tickets.isEmpty else {
            return [.answer(ticket, .rejected(reason: "\(graph.points[rule.point].signal): no online charger takes the limit"))]
        }
        control.commands[ticket] = PendingCommand(rule: ruleIndex, value: value, waiting: Set(tickets), failures: [])
        return calls
    }

    /// A request the engine sent was answered (or failed): a waiting command is confirmed once every request of it
    /// was accepted, and refused with the reasons otherwise; an accepted limit moves its read-back point.
    public mutating func completed(_ ticket: CallTicket, outcome: RequestOutcome, at now: EngineTime) -> [EngineOutput] {
        guard let call = control.calls.removeValue(forKey: ticket) else { return [] }
        let failure = OutcomeReason.failure(outcome)
        var outputs: [EngineOutput] = []
        if failure == nil, let rule = call.rule, let value = call.value {
            switch call.purpose {
            case .command, .reshare:
                control.commanded[rule] = value
                outputs += readback(of: rule, value: value, at: now)
            case .schedule:
                if case let .accepted(payload) = outcome, let limit = ScheduleReading.limit(payload, rule: graph.controlRules[rule],
                                                                                         graph: graph) {
                    outputs += readback(of: rule, value: limit, at: now)
                }
            case .refresh:
                break
            }
        }
        if let failure, call.purpose != .refresh {
            logger.warning("OCPP request to \(call.charger) failed: \(failure)")
        }
        guard case let .command(commandTicket) = call.purpose, var command = control.commands[commandTicket] else {
            return outputs
        }
        command.waiting.remove(ticket)
        if let failure { command.failures.append("\(call.charger): \(failure)") }
        guard command.waiting.isEmpty else {
            control.commands[commandTicket] = command
            return outputs
        }
        control.commands[commandTicket] = nil
        let signal = graph.points[graph.controlRules[command.rule].point].signal
        if command.failures.isEmpty {
            control.commanded[command.rule] = command.value
            if case .distribute = graph.controlRules[command.rule].action {
                // Only a site limit every charger took is in force, and shared again as chargers come and go.
                control.siteLimits[command.rule] = command.value
                outputs += readback(of: command.rule, value: command.value, at: now)
            }
            outputs.append(.answer(commandTicket, .accepted))
        } else {
            outputs.append(.answer(commandTicket, .rejected(reason: "\(signal) \(CommandValue.text(command.value)): "
                + command.failures.joined(separator: "; "))))
        }
        return outputs
    }

    /// The rule's checks, in order; nil when the command may go ahead, else the reason it may not.
    private func precondition(_ rule: ControlRule, ruleIndex: Int, value: Double, request: CommandRequest,
                              at now: EngineTime) -> String? {
        if let range = rule.range {
            let shown = rule.fullScale.map { value / $0 } ?? value
            if !range.contains(shown) {
                return "value \(CommandValue.text(value)) outside the range \(CommandValue.text(range.lowerBound))…\(CommandValue.text(range.upperBound))"
            }
        }
        if case let .charger(charger) = rule.owner {
            if rule.requireOnline, online[charger] == nil { return "charger \(graph.chargers[charger].id) is offline" }
            if let version = online[charger], !rule.versions.contains(version) {
                return "the rule does not apply to OCPP \(version.rawValue)"
            }
        }
        guard request.phase == .execute else { return nil }
        switch rule.selectBeforeOperate {
        case .never: break
        case .always:
            if !request.followsSelection { return "select-before-operate required" }
        case let .aboveChange(threshold, percent):
            let current = control.commanded[ruleIndex] ?? rule.range?.upperBound ?? 0
            let allowed = percent ? abs(current) * threshold / 100 : threshold
            if !request.followsSelection, abs(value - current) > allowed {
                return "a change from \(CommandValue.text(current)) to \(CommandValue.text(value)) exceeds \(CommandValue.text(threshold))\(percent ? "%" : ""): select before operate"
            }
        }
        if let limit = rule.rateLimit {
            let recent = control.executes[ruleIndex, default: []].filter { now - $0 < limit.period }
            if recent.count >= limit.count { return "rate limit \(limit) reached" }
        }
        return nil
    }

    /// The request a charger's control rule sends for `value`, recorded as pending.
    mutating func makeRequest(for rule: ControlRule, ruleIndex: Int, value: Double, charger: Int,
                          purpose: CallPurpose) -> EngineOutput? {
        let identity = graph.chargers[charger].id
        let outgoing: OutgoingRequest
        switch rule.action {
        case let .setChargingProfile(purposes, stackLevel, rateUnit, evse, factor):
            guard let version = online[charger], let name = purposes[version] else { return nil }
            let unit: ChargingRateUnit = rateUnit == "A" ? .amperes : .watts
            outgoing = .setChargingProfile(ChargingLimit(
                evseId: evse, limit: value * factor, unit: unit,
                numberPhases: unit == .amperes ? graph.chargers[charger].electrical.phases : nil, purpose: name,
                stackLevel: stackLevel, profileId: 8090 + evse))
        case .clearChargingProfile:
            outgoing = .clearChargingProfile(profileId: nil, evseId: nil, purpose: nil, stackLevel: nil)
        case .changeAvailability:
            outgoing = .changeAvailability(operative: value != 0, evseId: nil)
        case let .reset(types):
            guard value != 0, let version = online[charger] ?? rule.versions.first, let type = types[version] else { return nil }
            outgoing = .reset(type: type)
        case let .triggerMessage(message):
            guard value != 0 else { return nil }
            outgoing = .triggerMessage(message, evseId: nil)
        case .distribute:
            return nil
        }
        let ticket = makeTicket()
        control.calls[ticket] = PendingCall(purpose: purpose, charger: identity, rule: ruleIndex, value: value)
        return .send(ticket, charger: identity, outgoing)
    }

    /// A request without a control rule behind it (refreshes), recorded as pending.
    mutating func makeSend(to identity: String, _ outgoing: OutgoingRequest, purpose: CallPurpose) -> EngineOutput {
        let ticket = makeTicket()
        control.calls[ticket] = PendingCall(purpose: purpose, charger: identity, rule: nil, value: nil)
        return .send(ticket, charger: identity, outgoing)
    }

    /// Moves a control rule's read-back point to a value in the rule point's unit (a site total's read-back is
    /// left to its aggregate, which follows the chargers' read-backs).
    mutating func readback(of ruleIndex: Int, value: Double, at now: EngineTime) -> [EngineOutput] {
        let rule = graph.controlRules[ruleIndex]
        var outputs: [EngineOutput] = []
        guard let target = rule.readback,
              !graph.aggregates.contains(where: { $0.point == target }) else { return outputs }
        var converted = value
        if let from = graph.points[rule.point].unit, let to = graph.points[target].unit,
           let conversion = from.conversion(to: to) {
            converted = value * conversion.scale + conversion.offset
        }
        take(.report(.number(converted)), on: target, at: now, into: &outputs)
        return outputs
    }
}
