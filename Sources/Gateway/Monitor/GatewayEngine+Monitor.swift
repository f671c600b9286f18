import IEC104
import OCPP
import Rules

extension GatewayEngine {
    /// A charger's CALL was answered: its normalized events become point updates.
    public mutating func received(_ events: [ChargerEvent], action: String, from identity: String,
                                  at now: EngineTime) -> [EngineOutput] {
        guard let charger = graph.chargerIndex[identity] else { return [] }
        let version = online[charger] ?? graph.chargers[charger].versions.first ?? .v16
        var outputs: [EngineOutput] = []
        for event in events {
            switch event {
            case let .meterValues(report):
                outputs += meter(report.samples, action: action, charger: charger, version: version, evse: report.evseId,
                                 at: now)
            case let .transaction(transaction):
                outputs += self.transaction(transaction, action: action, charger: charger, version: version, at: now)
            case let .status(report):
                let key = report.status == .unknown ? report.original : report.status.rawValue
                let reading = Reading(input: .key(key), time: ReadingValue.time(report.timestamp, fallback: now),
                                      evse: report.evseId, connector: version == .v16 ? report.evseId : report.connectorId)
                outputs += keyed(reading, action: action, charger: charger, version: version) {
                    $0.statuses.isEmpty || $0.statuses.contains(key)
                }
            case let .notifyEvent(entries):
                for entry in entries {
                    let reading = Reading(input: .key(entry.cleared ? "cleared" : "raised"),
                                          time: ReadingValue.time(entry.timestamp, fallback: now), evse: entry.evseId,
                                          connector: entry.connectorId)
                    outputs += keyed(reading, action: action, charger: charger, version: version) {
                        $0.component == entry.component && $0.variable == entry.variable
                    }
                }
            case let .dataTransfer(vendor, message, data):
                let reading = Reading(input: .key(ReadingValue.eventKey(data)), time: now, evse: nil, connector: nil)
                outputs += keyed(reading, action: action, charger: charger, version: version) {
                    $0.vendorID == vendor && ($0.messageID == nil || $0.messageID == message)
                }
            case .booted, .heartbeat, .authorize, .securityEvent:
                break
            }
        }
        return outputs
    }

    private mutating func transaction(_ event: TransactionEvent, action: String, charger: Int,
                                      version: Rules.OCPPVersion, at now: EngineTime) -> [EngineOutput] {
        var evse = event.evseId
        if let id = event.transactionId {
            if let known = evse { transactionEVSE[charger, default: [:]][id] = known } else {
                evse = transactionEVSE[charger]?[id]
            }
            if event.kind == .ended { transactionEVSE[charger]?[id] = nil }
        }
        let time = ReadingValue.time(event.timestamp, fallback: now)
        var outputs: [EngineOutput] = []
        // The register at the start comes before the transaction's samples; at the end, after them.
        if event.kind == .ended {
            outputs += meter(event.samples, action: action, charger: charger, version: version, evse: evse, at: now)
        }
        if let meterWh = event.meterWh {
            // 1.6 meterStart / meterStop: the register in Wh at the transaction's start or end.
            let register = SampledValue(value: meterWh, raw: "\(meterWh)",
                                        context: event.kind == .started ? "Transaction.Begin" : "Transaction.End")
            if action == "StartTransaction" {
                outputs += meterStart(register, charger: charger, version: version, evse: evse, at: time)
            } else {
                outputs += meter([MeterSample(timestamp: event.timestamp, values: [register])], action: action,
                                 charger: charger, version: version, evse: evse, at: now)
            }
        }
        if event.kind != .ended {
            outputs += meter(event.samples, action: action, charger: charger, version: version, evse: evse, at: now)
        }
        return outputs
    }

    /// Meter samples: the compiled path when the engine runs it and the rule compiled, else the interpreter.
    mutating func meter(_ samples: [MeterSample], action: String, charger: Int, version: Rules.OCPPVersion,
                        evse: Int?, at now: EngineTime) -> [EngineOutput] {
        var outputs: [EngineOutput] = []
        for sample in samples {
            let time = ReadingValue.time(sample.timestamp, fallback: now)
            for sampled in sample.values {
                if path == .compiled, let slot = compiled.slot(charger: charger, action: action) {
                    compiled.run(slot, sampled, version: version, evse: evse, time: time, engine: &self, outputs: &outputs)
                    continue
                }
                for index in graph.monitorRules(charger: charger, action: action, measurand: sampled.measurand) {
                    let rule = graph.monitorRules[index]
                    guard rule.versions.contains(version),
                          ReadingValue.passes(evse: evse, connector: version == .v16 ? evse : nil, rule.selector),
                          ReadingValue.passes(sampled, rule.selector) else { continue }
                    let value = ReadingValue.number(sampled, in: rule.sourceUnit)
                    outputs += apply(rule: index, input: value.map(ChainInput.number), time: time)
                }
            }
        }
        return outputs
    }

    /// StartTransaction's `meterStart`, for rules that listen to it.
    private mutating func meterStart(_ register: SampledValue, charger: Int, version: Rules.OCPPVersion, evse: Int?,
                                     at time: EngineTime) -> [EngineOutput] {
        var outputs: [EngineOutput] = []
        for index in graph.monitorRules(charger: charger, action: "StartTransaction", measurand: register.measurand) {
            let rule = graph.monitorRules[index]
            guard rule.versions.contains(version), ReadingValue.passes(evse: evse, connector: evse, rule.selector) else { continue }
            let value = ReadingValue.number(register, in: rule.sourceUnit)
            outputs += apply(rule: index, input: value.map(ChainInput.number), time: time)
        }
        return outputs
    }

    /// Status and event readings: every rule of the action whose selector takes it.
    private mutating func keyed(_ reading: Reading, action: String, charger: Int, version: Rules.OCPPVersion,
                                matches: (Selector) -> Bool) -> [EngineOutput] {
        var outputs: [EngineOutput] = []
        for index in graph.monitorRules(charger: charger, action: action, measurand: nil) {
            let rule = graph.monitorRules[index]
            guard rule.versions.contains(version), matches(rule.selector),
                  ReadingValue.passes(evse: reading.evse, connector: reading.connector, rule.selector) else { continue }
            outputs += apply(rule: index, input: reading.input, time: reading.time)
        }
        return outputs
    }

    /// Runs one reading through a rule's interpreted chain and publishes the result on its point.
    mutating func apply(rule index: Int, input: ChainInput?, time: EngineTime) -> [EngineOutput] {
        let rule = graph.monitorRules[index]
        guard let input else { return invalidate(point: rule.target, at: time) }
        let force = !points[rule.target].quality.isEmpty
        let result = InterpretedChain.run(rule.steps, input: input, time: time, force: force, state: &ruleStates[index])
        return take(result, on: rule.target, at: time)
    }

    /// Publishes a chain's result on a point: reported values spontaneously (integrated totals only to the image,
    /// where counter interrogation reads them), held values to the image.
    mutating func take(_ result: ChainResult, on point: Int, at time: EngineTime) -> [EngineOutput] {
        let value: ChainValue
        var transmission: Transmission
        let reported: Bool
        switch result {
        case .none: return []
        case let .report(fresh): (value, transmission, reported) = (fresh, .spontaneous, true)
        case let .hold(held): (value, transmission, reported) = (held, .imageOnly, false)
        }
        guard let type = PointConversion.typeID(graph.points[point].type),
              let (converted, quality, number) = PointConversion.value(value, as: type) else { return [] }
        if type.isIntegratedTotals { transmission = .imageOnly }
        points[point] = PointState(value: converted, number: number, quality: quality, time: time, refreshedAt: time)
        return [publish(point: point, type: type, transmission: transmission)]
            + updateAggregates(of: point, at: time, reported: reported)
    }

    /// An unreadable reading: the point keeps its last value, now flagged IV; a number is never made up.
    mutating func invalidate(point index: Int, at time: EngineTime) -> [EngineOutput] {
        guard let type = PointConversion.typeID(graph.points[index].type) else { return [] }
        let wasInvalid = points[index].quality.contains(.invalid)
        points[index].quality = .invalid
        points[index].time = time
        points[index].refreshedAt = time
        let transmission: Transmission = wasInvalid || type.isIntegratedTotals ? .imageOnly : .spontaneous
        return [publish(point: index, type: type, transmission: transmission)]
            + updateAggregates(of: index, at: time, reported: !wasInvalid)
    }
}
