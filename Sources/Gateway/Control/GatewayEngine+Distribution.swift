import OCPP
import Rules

extension GatewayEngine {
    /// Shares a site limit out over the online chargers' control rules: an equal share each, capped at a
    /// charger's maximum (its rule's range and its `max_power_kw`), what a capped charger cannot take going to
    /// the others. Returns the requests, recorded as pending with `purpose`.
    mutating func share(_ value: Double, of siteRule: ControlRule, over members: [Int], purpose: CallPurpose) -> [EngineOutput] {
        let takers = members.compactMap { index -> (rule: Int, charger: Int, cap: Double)? in
            let rule = graph.controlRules[index]
            guard case let .charger(charger) = rule.owner, let version = online[charger],
                  rule.versions.contains(version) else { return nil }
            return (index, charger, cap(of: rule, charger: charger))
        }
        let total = converted(value, from: siteRule, to: takers.first.map { graph.controlRules[$0.rule] })
        var remaining = max(total, 0)
        var outputs: [EngineOutput] = []
        for (position, taker) in takers.sorted(by: { $0.cap < $1.cap }).enumerated() {
            let share = min(remaining / Double(takers.count - position), taker.cap)
            remaining -= share
            if let call = makeRequest(for: graph.controlRules[taker.rule], ruleIndex: taker.rule, value: share,
                                  charger: taker.charger, purpose: purpose) {
                outputs.append(call)
            }
        }
        return outputs
    }

    /// Shares every site limit in force again, after a charger came or went.
    mutating func reshareSiteLimits(at now: EngineTime) -> [EngineOutput] {
        var outputs: [EngineOutput] = []
        for (index, value) in control.siteLimits.sorted(by: { $0.key < $1.key }) {
            let rule = graph.controlRules[index]
            guard case let .distribute(_, members) = rule.action else { continue }
            outputs += share(value, of: rule, over: members, purpose: .reshare)
        }
        return outputs
    }

    /// The most a charger's rule can take, in the rule point's unit.
    private func cap(of rule: ControlRule, charger: Int) -> Double {
        var cap = rule.range?.upperBound ?? .infinity
        if let maxKW = graph.chargers[charger].electrical.maxPowerKW, let unit = graph.points[rule.point].unit,
           let kilowatt = Rules.Unit.named("kW"), let conversion = kilowatt.conversion(to: unit) {
            cap = min(cap, maxKW * conversion.scale + conversion.offset)
        }
        return cap
    }

    /// A value of one rule's point in the unit of another rule's point.
    private func converted(_ value: Double, from rule: ControlRule, to other: ControlRule?) -> Double {
        guard let other, let from = graph.points[rule.point].unit, let to = graph.points[other.point].unit,
              let conversion = from.conversion(to: to) else { return value }
        return value * conversion.scale + conversion.offset
    }

    /// Before a general interrogation (when the site asks for it): GetCompositeSchedule to every online charger
    /// (both versions have it) with a limit read-back, whose answers move the read-backs. Returns the requests.
    public mutating func interrogationRefresh(at now: EngineTime) -> [EngineOutput] {
        guard graph.station.compositeScheduleRefresh else { return [] }
        var outputs: [EngineOutput] = []
        for (index, rule) in graph.controlRules.enumerated() {
            guard case let .charger(charger) = rule.owner, online[charger] != nil, rule.readback != nil,
                  case let .setChargingProfile(_, _, rateUnit, evse, _) = rule.action else { continue }
            let ticket = makeTicket()
            let identity = graph.chargers[charger].id
            control.calls[ticket] = PendingCall(purpose: .schedule, charger: identity, rule: index, value: 0)
            outputs.append(.send(ticket, charger: identity,
                                 .getCompositeSchedule(evseId: evse, duration: 60, unit: rateUnit == "A" ? .amperes : .watts)))
        }
        return outputs
    }
}

/// Reading the limit in force out of a GetCompositeSchedule answer (2.0.1 `schedule`, 1.6 `chargingSchedule`).
enum ScheduleReading {
    /// The first period's limit in the rule point's unit, or nil when the answer has none or in another unit.
    static func limit(_ payload: JSONObject, rule: ControlRule, graph: RuleGraph) -> Double? {
        guard case let .setChargingProfile(_, _, rateUnit, _, factor) = rule.action, factor != 0,
              let schedule = payload["schedule"]?.objectValue ?? payload["chargingSchedule"]?.objectValue,
              schedule["chargingRateUnit"]?.stringValue == rateUnit,
              let period = schedule["chargingSchedulePeriod"]?.arrayValue?.first?.objectValue,
              let limit = period["limit"]?.numberValue?.double else { return nil }
        return limit / factor
    }
}
