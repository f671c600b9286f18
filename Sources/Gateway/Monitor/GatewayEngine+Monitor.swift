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
        outputs.reserveCapacity(8)
        for event in events {
            switch event {
            case let .meterValues(report):
                meter(report.samples, action: action, charger: charger, version: version, evse: report.evseId, at: now,
                      into: &outputs)
            case let .transaction(transaction):
                self.transaction(transaction, action: action, charger: charger, version: version, at: now, into: &outputs)
            case let .status(report):
                let key = report.status == .unknown ? report.original : report.status.rawValue
                let reading = Reading(input: .key(key), time: ReadingValue.time(report.timestamp, fallback: now),
                                      evse: report.evseId, connector: version == .v16 ? report.evseId : report.connectorId)
                keyed(reading, action: action, charger: charger, version: version, into: &outputs) {
                    $0.statuses.isEmpty || $0.statuses.contains(key)
                }
            case let .notifyEvent(entries):
                for entry in entries {
                    let reading = Reading(input: .key(entry.cleared ? "cleared" : "raised"),
                                          time: ReadingValue.time(entry.timestamp, fallback: now), evse: entry.evseId,
                                          connector: entry.connectorId)
                    keyed(reading, action: action, charger: charger, version: version, into: &outputs) {
                        $0.component == entry.component && $0.variable == entry.variable
                    }
                }
            case let .dataTransfer(vendor, message, data):
                let reading = Reading(input: .key(ReadingValue.eventKey(data)), time: now, evse: nil, connector: nil)
                keyed(reading, action: action, charger: charger, version: version, into: &outputs) {
                    $0.vendorID == vendor && ($0.messageID == nil || $0.messageID == message)
                }
            case .booted, .heartbeat, .authorize, .securityEvent:
                break
            }
        }
        return outputs
    }

    private mutating func transaction(_ event: TransactionEvent, action: String, charger: Int,
                                      version: Rules.OCPPVersion, at now: EngineTime, into outputs: inout [EngineOutput]) {
        var evse = event.evseId
        if let id = event.transactionId {
            if let known = evse { transactionEVSE[charger, default: [:]][id] = known } else {
                evse = transactionEVSE[charger]?[id]
            }
            if event.kind == .ended { transactionEVSE[charger]?[id] = nil }
        }
        let time = ReadingValue.time(event.timestamp, fallback: now)
        // The register at the start comes before the transaction's samples; at the end, after them.
        if event.kind == .ended {
            meter(event.samples, action: action, charger: charger, version: version, evse: evse, at: now, into: &outputs)
        }
        if let meterWh = event.meterWh {
            // 1.6 meterStart / meterStop: the register in Wh at the transaction's start or end.
            let register = SampledValue(value: meterWh, raw: "\(meterWh)",
                                        context: event.kind == .started ? "Transaction.Begin" : "Transaction.End")
            if action == "StartTransaction" {
                meterStart(register, charger: charger, version: version, evse: evse, at: time, into: &outputs)
            } else {
                meter([MeterSample(timestamp: event.timestamp, values: [register])], action: action, charger: charger,
                      version: version, evse: evse, at: now, into: &outputs)
            }
        }
        if event.kind != .ended {
            meter(event.samples, action: action, charger: charger, version: version, evse: evse, at: now, into: &outputs)
        }
    }

    /// Meter samples: the compiled path when the engine runs it and the rule compiled, else the interpreter.
    mutating func meter(_ samples: [MeterSample], action: String, charger: Int, version: Rules.OCPPVersion,
                        evse: Int?, at now: EngineTime, into outputs: inout [EngineOutput]) {
        let slot = path == .compiled ? compiled.slot(charger: charger, action: action) : nil
        for sample in samples.indices {
            let time = ReadingValue.time(samples[sample].timestamp, fallback: now)
            for value in samples[sample].values.indices {
                if let slot {
                    compiled.run(slot, samples[sample].values, value, version: version, evse: evse, time: time,
                                 engine: &self, outputs: &outputs)
                } else {
                    interpretMeter(samples[sample].values[value], action: action, charger: charger, version: version,
                                   evse: evse, time: time, into: &outputs)
                }
            }
        }
    }

    /// One sampled value through the interpreter: the graph's index, then each rule's selector and chain.
    private mutating func interpretMeter(_ sampled: SampledValue, action: String, charger: Int, version: Rules.OCPPVersion,
                                         evse: Int?, time: EngineTime, into outputs: inout [EngineOutput]) {
        for index in graph.monitorRules(charger: charger, action: action, measurand: sampled.measurand) {
            let rule = graph.monitorRules[index]
            guard rule.versions.contains(version),
                  ReadingValue.passes(evse: evse, connector: version == .v16 ? evse : nil, rule.selector),
                  ReadingValue.passes(sampled, rule.selector) else { continue }
            let value = ReadingValue.number(sampled, in: rule.sourceUnit)
            apply(rule: index, input: value.map(ChainInput.number), time: time, into: &outputs)
        }
    }

    /// StartTransaction's `meterStart`, for rules that listen to it.
    private mutating func meterStart(_ register: SampledValue, charger: Int, version: Rules.OCPPVersion, evse: Int?,
                                     at time: EngineTime, into outputs: inout [EngineOutput]) {
        for index in graph.monitorRules(charger: charger, action: "StartTransaction", measurand: register.measurand) {
            let rule = graph.monitorRules[index]
            guard rule.versions.contains(version), ReadingValue.passes(evse: evse, connector: evse, rule.selector) else { continue }
            let value = ReadingValue.number(register, in: rule.sourceUnit)
            apply(rule: index, input: value.map(ChainInput.number), time: time, into: &outputs)
        }
    }

    /// Status and event readings: every rule of the action whose selector takes it.
    private mutating func keyed(_ reading: Reading, action: String, charger: Int, version: Rules.OCPPVersion,
                                into outputs: inout [EngineOutput], matches: (Selector) -> Bool) {
        for index in graph.monitorRules(charger: charger, action: action, measurand: nil) {
            let rule = graph.monitorRules[index]
            guard rule.versions.contains(version), matches(rule.selector),
                  ReadingValue.passes(evse: reading.evse, connector: reading.connector, rule.selector) else { continue }
            apply(rule: index, input: reading.input, time: reading.time, into: &outputs)
        }
    }

    /// Runs one reading through a rule's interpreted chain and publishes the result on its point.
    mutating func apply(rule index: Int, input: ChainInput?, time: EngineTime, into outputs: inout [EngineOutput]) {
        let rule = graph.monitorRules[index]
        guard let input else { return invalidate(point: rule.target, at: time, into: &outputs) }
        let force = !points[rule.target].quality.isEmpty
        let result = InterpretedChain.run(rule.steps, input: input, time: time, force: force, state: &ruleStates[index])
        take(result, on: rule.target, at: time, into: &outputs)
    }

    /// Publishes a chain's result on a point: reported values spontaneously (integrated totals only to the image,
    /// where counter interrogation reads them), held values to the image.
    mutating func take(_ result: ChainResult, on point: Int, at time: EngineTime, into outputs: inout [EngineOutput]) {
        let value: ChainValue
        var transmission: Transmission
        let reported: Bool
        switch result {
        case .none: return
        case let .report(fresh): (value, transmission, reported) = (fresh, .spontaneous, true)
        case let .hold(held): (value, transmission, reported) = (held, .imageOnly, false)
        }
        guard let type = pointTypes[point], let (converted, quality, number) = PointConversion.value(value, as: type) else {
            return
        }
        if type.isIntegratedTotals { transmission = .imageOnly }
        points[point] = PointState(value: converted, number: number, quality: quality, time: time, refreshedAt: time)
        outputs.append(publish(point: point, type: type, transmission: transmission))
        if !aggregatesOfPoint[point].isEmpty { updateAggregates(of: point, at: time, reported: reported, into: &outputs) }
    }

    /// An unreadable reading: the point keeps its last value, now flagged IV; a number is never made up.
    mutating func invalidate(point index: Int, at time: EngineTime, into outputs: inout [EngineOutput]) {
        guard let type = pointTypes[index] else { return }
        let wasInvalid = points[index].quality.contains(.invalid)
        points[index].quality = .invalid
        points[index].time = time
        points[index].refreshedAt = time
        let transmission: Transmission = wasInvalid || type.isIntegratedTotals ? .imageOnly : .spontaneous
        outputs.append(publish(point: index, type: type, transmission: transmission))
        updateAggregates(of: index, at: time, reported: !wasInvalid, into: &outputs)
    }
}
