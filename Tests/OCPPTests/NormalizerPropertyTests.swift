import SeededRandom
import Testing
@testable import OCPP

/// Randomly mutated valid payloads never trap the normalizer, and what it returns keeps its promises.
@Suite struct NormalizerPropertyTests {
    /// Valid payloads of every action the normalizer reads.
    static let seeds: [(OCPPVersion, String, String)] = [
        (.v16, "BootNotification", #"{"chargePointVendor":"ACME","chargePointModel":"W","firmwareVersion":"1"}"#),
        (.v16, "StatusNotification", #"{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2026-11-24T10:00:00Z"}"#),
        (.v16, "MeterValues", #"{"connectorId":1,"transactionId":5,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"14.4","unit":"kW","measurand":"Power.Active.Import","phase":"L1","context":"Sample.Periodic","location":"Outlet","format":"Raw"},{"value":"100"}]}]}"#),
        (.v16, "StartTransaction", #"{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-11-24T10:00:00Z"}"#),
        (.v16, "StopTransaction", #"{"transactionId":5,"meterStop":10,"timestamp":"2026-11-24T10:00:00Z","reason":"Local","transactionData":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"10"}]}]}"#),
        (.v16, "DataTransfer", #"{"vendorId":"v","messageId":"m","data":"{\"a\":1}"}"#),
        (.v16, "Authorize", #"{"idTag":"T"}"#),
        (.v201, "BootNotification", #"{"reason":"PowerUp","chargingStation":{"vendorName":"A","model":"M","serialNumber":"S"}}"#),
        (.v201, "StatusNotification", #"{"timestamp":"2026-11-24T10:00:00Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}"#),
        (.v201, "MeterValues", #"{"evseId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":14.4,"unitOfMeasure":{"unit":"kW","multiplier":3},"measurand":"Power.Active.Import"}]}]}"#),
        (.v201, "TransactionEvent", #"{"eventType":"Updated","timestamp":"2026-11-24T10:00:00Z","triggerReason":"MeterValuePeriodic","seqNo":2,"offline":false,"transactionInfo":{"transactionId":"t","stoppedReason":"Local"},"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"T","type":"Central"},"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":1}]}]}"#),
        (.v201, "NotifyEvent", #"{"generatedAt":"2026-11-24T10:00:00Z","seqNo":0,"eventData":[{"eventId":1,"timestamp":"2026-11-24T10:00:00Z","trigger":"Alerting","actualValue":"1","eventNotificationType":"HardWiredNotification","component":{"name":"EVSE","evse":{"id":1}},"variable":{"name":"Problem"},"cleared":false}]}"#),
        (.v201, "SecurityEventNotification", #"{"type":"X","timestamp":"2026-11-24T10:00:00Z","techInfo":"i"}"#),
        (.v201, "Authorize", #"{"idToken":{"idToken":"T","type":"Central"}}"#),
    ]

    /// What real chargers put where a value belongs, plus plain type confusion.
    static let replacements: [JSONValue] = [
        .null, .bool(true), .number(JSONNumber(14.4)), .number(JSONNumber(-1)), .number(JSONNumber(1e300)),
        .string(""), .string("14.4kW"), .string("14,4"), .string("NaN"), .string("inf"), .string("1.234,5"),
        .string("2026-11-24T10:00:00"), .string("2026-02-30T10:00:00Z"), .string("charging"), .string("Hz"),
        .string("celcius"), .string("power.active.import"), .string("Ended"), .string("\u{0}\u{FFFF}"),
        .array([]), .object(JSONObject()), .array([.null]),
    ]

    @Test func randomMutationsNeverTrap() throws {
        var rng = SplitMix64(seed: 0x4E4F_524D)
        let parsed = try Self.seeds.map { seed in (seed.0, seed.1, try JSONParser.parse(seed.2)) }
        var outcomes = (lenientOK: 0, strictOK: 0, errors: 0)
        for _ in 0..<5_000 {
            let (version, action, original) = parsed[Int.random(in: 0..<parsed.count, using: &rng)]
            var payload = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) { payload = mutate(payload, &rng) }
            guard let object = payload.objectValue else { continue }
            let call = IncomingCall(identity: "CP", version: version, id: "1", action: action, payload: object)
            for policy in [SanitizerPolicy.lenient, .strict] {
                switch Normalizer.normalize(call, policy: policy, assignedTransactionId: "1") {
                case .success(let result):
                    if policy == .strict {
                        outcomes.strictOK += 1
                        #expect(result.repairs.isEmpty, "strict never repairs")
                    } else {
                        outcomes.lenientOK += 1
                    }
                    checkInvariants(result)
                case .failure(let error):
                    outcomes.errors += 1
                    #expect(error.path.hasPrefix("$"))
                }
            }
        }
        // The mutations must exercise both outcomes, or the test proves little.
        #expect(outcomes.lenientOK > 500)
        #expect(outcomes.strictOK > 200)
        #expect(outcomes.errors > 500)
    }

    /// Values are finite or nil, and every repair is both in the call's list and on its value.
    private func checkInvariants(_ result: NormalizedCall) {
        for event in result.events {
            var samples: [MeterSample] = []
            if case .meterValues(let report) = event { samples = report.samples }
            if case .transaction(let transaction) = event { samples = transaction.samples }
            for value in samples.flatMap(\.values) {
                #expect(value.value?.isFinite ?? true)
                for repair in value.repairs { #expect(result.repairs.contains { $0.repair == repair }) }
            }
        }
        #expect(result.repairs.allSatisfy { $0.path.hasPrefix("$") })
    }

    /// One random change somewhere in `value`: replace a node, drop or rename a member, wrap or unwrap.
    private func mutate(_ value: JSONValue, _ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
        let descend = depth < 6 && Int.random(in: 0..<3, using: &rng) > 0
        switch value {
        case .object(var object) where descend && object.count > 0:
            let key = object.keys[Int.random(in: 0..<object.count, using: &rng)]
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: object[key] = nil
            case 1:
                let moved = object[key]
                object[key] = nil
                object[key.uppercased()] = moved
            default: object[key] = object[key].map { mutate($0, &rng, depth: depth + 1) }
            }
            return .object(object)
        case .array(var elements) where descend && !elements.isEmpty:
            let index = Int.random(in: 0..<elements.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: elements.remove(at: index)
            case 1: return elements[index]
            default: elements[index] = mutate(elements[index], &rng, depth: depth + 1)
            }
            return .array(elements)
        default:
            if Int.random(in: 0..<8, using: &rng) == 0 { return .array([value]) }
            return Self.replacements[Int.random(in: 0..<Self.replacements.count, using: &rng)]
        }
    }
}
