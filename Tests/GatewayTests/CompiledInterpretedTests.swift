import Foundation
import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// The compiled monitor path against the interpreter: identical inputs, identical outputs, message by message.
///
/// Inputs: the message timelines in `Corpus/` (conformant and sanitized payloads) on the demo site and on a
/// generated site with every compilable chain shape, and thousands of seeded random meter messages.
@Suite struct CompiledInterpretedTests {
    // MARK: - The generated chain-shape site

    /// One point of the generated site: its signal, type, unit and source (without `action`).
    struct Shape {
        var signal: String
        var type: String
        var unit: String?
        var source: String
    }

    /// Every compilable chain shape: affine steps, derive, clamp, deadband, deadband %, min_interval, in the
    /// orders the compiler takes, with selectors and several point types.
    static let compilable: [Shape] = [
        Shape(signal: "p_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}]"),
        Shape(signal: "p_scale_w", type: "M_ME_NC_1", unit: "W", source: "measurand: Power.Active.Import, transform: [{scale: 1.5}]"),
        Shape(signal: "p_offset_w", type: "M_ME_NC_1", unit: "W", source: "measurand: Power.Active.Import, transform: [{offset: -100}]"),
        Shape(signal: "p_affine_kw", type: "M_ME_TF_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {scale: 1.1}, {offset: -0.2}]"),
        Shape(signal: "p_clamp_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {clamp: [0, 6]}]"),
        Shape(signal: "p_db_kw", type: "M_ME_TF_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {deadband: 0.5}]"),
        Shape(signal: "p_dbp_kw", type: "M_ME_TF_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {deadband: 3%}]"),
        Shape(signal: "p_mi_kw", type: "M_ME_TF_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {min_interval: 3s}]"),
        Shape(signal: "p_all_kw", type: "M_ME_TF_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {clamp: [0, 20]}, {deadband: 0.2}, {min_interval: 2s}]"),
        Shape(signal: "p_two_db_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {deadband: 0.3}, {deadband: 1%}]"),
        Shape(signal: "p_nb_w", type: "M_ME_NB_1", unit: "W", source: "measurand: Power.Active.Import, transform: [{clamp: [0, 30000]}]"),
        Shape(signal: "p_na_kw", type: "M_ME_NA_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {scale: 0.04}, {clamp: [-1, 1]}]"),
        Shape(signal: "p_nophase_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, phase: none, transform: [{unit: kW}]"),
        Shape(signal: "p_periodic_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, context: [Sample.Periodic], transform: [{unit: kW}, {deadband: 0.1}]"),
        Shape(signal: "i_l2_a", type: "M_ME_NC_1", unit: "A", source: "measurand: Current.Import, phase: L2"),
        Shape(signal: "i_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Current.Import, location: Outlet, transform: [{unit: kW}]"),
        Shape(signal: "e_kwh", type: "M_IT_NA_1", unit: "kWh", source: "transform: [{unit: kWh}]"),
        Shape(signal: "e_offset_kwh", type: "M_ME_NC_1", unit: "kWh", source: "measurand: Energy.Active.Import.Register, transform: [{unit: kWh}, {offset: 0.5}]"),
        Shape(signal: "d_w", type: "M_ME_NC_1", unit: "W", source: "transform: [{derive: power}]"),
        Shape(signal: "d_kw", type: "M_ME_TF_1", unit: "kW", source: "transform: [{derive: power}, {unit: kW}]"),
        Shape(signal: "d_kwh_w", type: "M_ME_NC_1", unit: "W", source: "transform: [{unit: kWh}, {derive: power}, {unit: W}]"),
        Shape(signal: "d_clamp_db_kw", type: "M_ME_TF_1", unit: "kW", source: "transform: [{derive: power}, {unit: kW}, {clamp: [0, 22]}, {deadband: 0.1}]"),
        Shape(signal: "d_mi_kw", type: "M_ME_TF_1", unit: "kW", source: "transform: [{derive: power}, {unit: kW}, {min_interval: 5s}]"),
        Shape(signal: "d_affine_w", type: "M_ME_NC_1", unit: "W", source: "transform: [{derive: power}, {scale: 0.5}, {offset: 10}]"),
        Shape(signal: "d_dbp_mi_kw", type: "M_ME_TF_1", unit: "kW", source: "transform: [{derive: power}, {unit: kW}, {deadband: 5%}, {min_interval: 1s}]"),
        Shape(signal: "d_clock_kw", type: "M_ME_TF_1", unit: "kW", source: "context: [Sample.Clock], transform: [{derive: power}, {unit: kW}]"),
    ]

    /// Shapes the compiler leaves to the interpreter (a step after a gate, two clamps, a clamp before derive, a
    /// connector filter); one of them keeps its charger's whole MeterValues slot interpreted.
    static let interpretedOnly: [Shape] = [
        Shape(signal: "x_gate_scale_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {deadband: 0.1}, {scale: 2}]"),
        Shape(signal: "x_two_clamps_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {clamp: [0, 5]}, {clamp: [1, 4]}]"),
        Shape(signal: "x_gate_clamp_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, transform: [{unit: kW}, {min_interval: 2s}, {clamp: [0, 10]}]"),
        Shape(signal: "x_clamp_derive_w", type: "M_ME_NC_1", unit: "W", source: "transform: [{clamp: [0, 1000000000]}, {derive: power}]"),
        Shape(signal: "x_connector_kw", type: "M_ME_NC_1", unit: "kW", source: "measurand: Power.Active.Import, connector: 1, transform: [{unit: kW}]"),
    ]

    /// The generated site: S16 (1.6; MeterValues and StopTransaction), S201 (2.0.1; MeterValues and
    /// TransactionEvent), both with every compilable shape; SX (1.6) with those and the interpreted-only shapes.
    static let shapeSite: String = {
        func point(_ shape: Shape, offset: Int, actions: [String]) -> String {
            let sources = actions.map { "{action: \($0), \(shape.source)}" }
            let unit = shape.unit.map { ", unit: \($0)" } ?? ""
            return "      - {signal: \(shape.signal), offset: \(offset), type: \(shape.type)\(unit), from: [\(sources.joined(separator: ", "))]}"
        }
        func charger(_ id: String, _ version: String, base: Int, shapes: [Shape], extra: [String]) -> String {
            let points = shapes.enumerated().map { point($1, offset: $0, actions: ["MeterValues"] + extra) }
            return """
              - id: \(id)
                ocpp: ["\(version)"]
                ioa_base: \(base)
                electrical: {phases: 3, nominal_voltage: 230, max_power_kw: 22}
                points:
            \(points.joined(separator: "\n"))
            """
        }
        return EngineFixture.site("""
        site:
          points:
            - {signal: site_p_kw, ioa: 10, type: M_ME_NC_1, unit: kW, aggregate: {sum: p_kw}}
            - {signal: site_e_kwh, ioa: 11, type: M_IT_NA_1, unit: kWh, aggregate: {sum: e_kwh}}
        chargers:
        \(charger("S16", "1.6", base: 2000, shapes: compilable, extra: ["StopTransaction"]))
        \(charger("S201", "2.0.1", base: 3000, shapes: compilable, extra: ["TransactionEvent"]))
        \(charger("SX", "1.6", base: 4000, shapes: compilable + interpretedOnly, extra: []))
        """)
    }()

    static func shapeGraph() throws -> RuleGraph { try EngineFixture.graph(shapeSite, path: "shapes.yaml") }

    // MARK: - The compiler compiled what it should

    @Test func theDemoSitesMeterRulesCompile() throws {
        let graph = try EngineFixture.defaultGraph()
        let compiled = CompiledMonitor(graph: graph).compiledRules
        let hot = graph.monitorRules.indices.filter { index in
            let rule = graph.monitorRules[index]
            return ["MeterValues", "TransactionEvent"].contains(rule.action)
                && ["Power.Active.Import", "Energy.Active.Import.Register"].contains(rule.selector.measurand ?? "")
        }
        // CP001–003: power and energy (2 each); CP004–007: both from MeterValues and TransactionEvent (4 each);
        // CP008–010: power, energy and two EVSE powers from both actions (6 each).
        #expect(hot.count == 40)
        #expect(Set(hot).isSubset(of: compiled), "not compiled: \(Set(hot).subtracting(compiled).sorted())")
        // Status and event rules stay interpreted.
        let keyed = graph.monitorRules.indices.filter { ["StatusNotification", "NotifyEvent", "DataTransfer"].contains(graph.monitorRules[$0].action) }
        #expect(!keyed.isEmpty && compiled.isDisjoint(with: keyed))
    }

    @Test func everyCompilableShapeCompilesAndTheOthersDoNot() throws {
        let graph = try Self.shapeGraph()
        let compiled = CompiledMonitor(graph: graph).compiledRules
        for (index, rule) in graph.monitorRules.enumerated() {
            let charger = graph.chargers[rule.charger].id
            let signal = graph.points[rule.target].signal
            // SX's MeterValues slot holds an interpreted-only shape, so all of SX stays with the interpreter.
            #expect(compiled.contains(index) == (charger != "SX"), "\(charger) \(signal) \(rule.action)")
        }
        #expect(compiled.count == Self.compilable.count * 4)
    }

    // MARK: - Corpus

    /// Runs one timeline through both engines, comparing every output list; returns the charger messages fed and
    /// the point updates they caused. The format (see `Corpus/generate.py`): one JSON object per line with `time`
    /// and `connect`+`version`, `disconnect`, `tick`, or a CALL (`charger`, `action`, `payload`, optionally
    /// `assigned_transaction_id`, `policy: strict`, `refused: true` when the normalizer must refuse it).
    func runTimeline(_ url: URL, graph: RuleGraph) throws -> (messages: Int, publishes: Int) {
        var compiled = EngineHarness(graph, path: .compiled)
        var interpreted = EngineHarness(graph, path: .interpreted)
        let name = url.lastPathComponent
        var messages = 0
        var publishes = 0
        let text = try String(contentsOf: url, encoding: .utf8)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let place = "\(name):\(number + 1)"
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let entry = try #require(try JSONParser.parse(String(line)).objectValue, "\(place) is not a JSON object")
            let stamp = try #require(entry["time"]?.stringValue.flatMap(UTCInstant.init(rfc3339:)), "\(place) has no time")
            let now = Double(stamp.millisecondsSince1970) / 1000
            let a: [EngineOutput]
            let b: [EngineOutput]
            if let charger = entry["connect"]?.stringValue {
                let version: Rules.OCPPVersion = entry["version"]?.stringValue == "2.0.1" ? .v201 : .v16
                a = compiled.connect(charger, version, at: now)
                b = interpreted.connect(charger, version, at: now)
            } else if let charger = entry["disconnect"]?.stringValue {
                a = compiled.disconnect(charger, at: now)
                b = interpreted.disconnect(charger, at: now)
            } else if entry["tick"] != nil {
                a = compiled.engine.tick(at: now)
                b = interpreted.engine.tick(at: now)
            } else {
                let charger = try #require(entry["charger"]?.stringValue, "\(place)")
                let action = try #require(entry["action"]?.stringValue, "\(place)")
                let payload = try #require(entry["payload"]?.objectValue, "\(place)")
                let policy: OCPP.SanitizerPolicy? = entry["policy"]?.stringValue == "strict" ? .strict : nil
                let events: [ChargerEvent]
                do {
                    events = try compiled.normalize(charger, action, payload: payload, policy: policy,
                                                    assignedTransactionId: entry["assigned_transaction_id"]?.stringValue)
                } catch {
                    #expect(entry["refused"]?.boolValue == true, "\(place): \(error)")
                    continue
                }
                #expect(entry["refused"] == nil, "\(place) was expected to be refused")
                messages += 1
                a = compiled.engine.received(events, action: action, from: charger, at: now)
                b = interpreted.engine.received(events, action: action, from: charger, at: now)
            }
            #expect(a == b, "\(place): compiled \(a) ≠ interpreted \(b)")
            publishes += a.publishes.count
            for update in a.publishes {
                if case let .float(value) = update.value { #expect(value.isFinite, "\(place): \(update)") }
            }
        }
        #expect(compiled.engine.pointStates == interpreted.engine.pointStates, "\(name): final point states")
        return (messages, publishes)
    }

    static let demoTimelines = ["legacy16.jsonl", "ac22.jsonl", "dc150.jsonl"]

    @Test(arguments: demoTimelines)
    func corpusOnTheDemoSite(file: String) throws {
        let (messages, publishes) = try runTimeline(EngineFixture.corpus.appendingPathComponent(file), graph: EngineFixture.defaultGraph())
        #expect(messages >= 30)
        #expect(publishes >= messages, "the timeline should move points")
    }

    @Test func corpusOnTheChainShapeSite() throws {
        let (messages, publishes) = try runTimeline(EngineFixture.corpus.appendingPathComponent("shapes.jsonl"), graph: Self.shapeGraph())
        #expect(messages >= 150)
        #expect(publishes >= messages * 10)
    }

    // MARK: - Seeded random meter messages

    @Test(arguments: [(UInt64(0x5EED_0001), "demo"), (0x5EED_0002, "shapes"), (0x5EED_0003, "demo"), (0x5EED_0004, "shapes")])
    func randomMeterMessages(seed: UInt64, site: String) throws {
        let graph = site == "demo" ? try EngineFixture.defaultGraph() : try Self.shapeGraph()
        let chargers: [(String, Rules.OCPPVersion)] = site == "demo"
            ? [("CP001", .v16), ("CP002", .v16), ("CP004", .v201), ("CP005", .v16), ("CP007", .v16), ("CP008", .v201), ("CP009", .v201)]
            : [("S16", .v16), ("S201", .v201), ("SX", .v16)]
        var random = EngineXorshift(seed: seed)
        var generator = EngineMeterGenerator(chargers: chargers)
        var compiled = EngineHarness(graph, path: .compiled)
        var interpreted = EngineHarness(graph, path: .interpreted)
        var now = EngineClock.t0
        for (charger, version) in chargers {
            #expect(compiled.connect(charger, version, at: now) == interpreted.connect(charger, version, at: now))
        }
        var fed = 0
        var refused = 0
        var publishes = 0
        for step in 0..<2500 {
            now += 0.05 + random.unit() * 1.5
            let which = random.below(chargers.count)
            let (charger, version) = chargers[which]
            let online = compiled.engine.isOnline(charger)
            // Chargers drop now and then and come back soon.
            if online ? random.chance(0.01) : random.chance(0.3) {
                let a = online ? compiled.disconnect(charger, at: now) : compiled.connect(charger, version, at: now)
                let b = online ? interpreted.disconnect(charger, at: now) : interpreted.connect(charger, version, at: now)
                #expect(a == b, "seed \(seed) step \(step): connection change")
                continue
            }
            guard online else { continue }
            let (action, payload) = generator.message(for: which, version: version, at: now, random: &random)
            guard let events = try? compiled.normalize(charger, action, payload) else {
                refused += 1
                continue
            }
            fed += 1
            let a = compiled.engine.received(events, action: action, from: charger, at: now)
            let b = interpreted.engine.received(events, action: action, from: charger, at: now)
            #expect(a == b, "seed \(seed) step \(step): \(action) \(payload)")
            publishes += a.publishes.count
            if random.chance(0.02) {
                #expect(compiled.engine.tick(at: now) == interpreted.engine.tick(at: now))
            }
        }
        #expect(compiled.engine.pointStates == interpreted.engine.pointStates)
        #expect(fed > 1800, "refused by the normalizer: \(refused)")
        #expect(refused < fed / 20, "the generator should mostly make messages the normalizer takes")
        #expect(publishes > fed)
    }
}

/// A tiny seeded generator (xorshift64), so runs repeat exactly.
struct EngineXorshift {
    var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// A number in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A number in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }
}

/// Meter messages of the kinds real chargers send, well-formed and broken, for the random differential test.
struct EngineMeterGenerator {
    var registers: [Double]
    var powers: [Double]
    var lastStamp: [EngineTime]
    var transactions: [Int]

    init(chargers: [(String, Rules.OCPPVersion)]) {
        registers = chargers.map { _ in 100_000 }
        powers = chargers.map { _ in 7000 }
        lastStamp = chargers.map { _ in EngineClock.t0 }
        transactions = chargers.map { _ in 0 }
    }

    /// One message of charger `index`: its action and JSON payload.
    mutating func message(for index: Int, version: Rules.OCPPVersion, at now: EngineTime,
                          random: inout EngineXorshift) -> (String, String) {
        // A random walk in steps of 50 W, with the odd jump, so gates hold, report, and sit exactly on their edges
        // (a change of exactly 0.5 kW against a deadband of 0.5); now and then an odd value off the grid.
        let step = random.chance(0.1) ? Double(random.below(41) - 20) * 1000 : Double(random.below(21) - 10) * 50
        powers[index] = max(0, min(150_000, powers[index] + step + (random.chance(0.05) ? random.unit() * 37 : 0)))
        let elapsed = now - lastStamp[index]
        registers[index] += powers[index] * max(elapsed, 0) / 3600
        if random.chance(0.02) { registers[index] = random.unit() * 50 }  // meter replaced
        var stamp = now
        let roll = random.unit()
        if roll < 0.05 { stamp = lastStamp[index] }  // repeated
        else if roll < 0.08 { stamp = now - random.unit() * 30 }  // out of order
        if stamp > lastStamp[index] { lastStamp[index] = stamp }
        let stampText = roll > 0.98 ? "" : EngineClock.stamp(stamp)
        let contexts = ["Sample.Periodic", "Sample.Clock", "Transaction.Begin", "Trigger"]
        let context = contexts[random.below(random.chance(0.8) ? 2 : contexts.count)]
        switch version {
        case .v16:
            var values = [
                "{\"value\": \(value16(powers[index], random: &random)), \"measurand\": \"Power.Active.Import\"\(unit16("W", random: &random)), \"context\": \"\(context)\"}",
                "{\"value\": \(register16(registers[index], random: &random)), \"context\": \"\(context)\"}",
                "{\"value\": \"\(String(format: "%.1f", powers[index] / 690))\", \"measurand\": \"Current.Import\", \"unit\": \"A\", \"phase\": \"L\(1 + random.below(3))\"}",
                "{\"value\": \"22000\", \"measurand\": \"Power.Offered\", \"unit\": \"W\"}",
            ]
            if random.chance(0.05) { values = [] }
            let sample = "{\"timestamp\": \"\(stampText)\", \"sampledValue\": [\(values.joined(separator: ", "))]}"
            if random.chance(0.03) {
                let stop = Int(registers[index])
                return ("StopTransaction", "{\"transactionId\": 1, \"meterStop\": \(stop), \"timestamp\": \"\(EngineClock.stamp(now))\", \"transactionData\": [\(sample)]}")
            }
            return ("MeterValues", "{\"connectorId\": \(random.chance(0.9) ? 1 : 0), \"meterValue\": [\(sample)]}")
        case .v201:
            let multiplier = random.below(7) - 3
            let scaled = powers[index] / pow(10, Double(multiplier))
            var values = [
                "{\"value\": \(String(format: "%.6g", scaled)), \"measurand\": \"Power.Active.Import\", \"context\": \"\(context)\", \"unitOfMeasure\": {\"unit\": \"W\", \"multiplier\": \(multiplier)}}",
                random.chance(0.5)
                    ? "{\"value\": \(String(format: "%.3f", registers[index])), \"unitOfMeasure\": {\"unit\": \"Wh\"}}"
                    : "{\"value\": \(String(format: "%.6f", registers[index] / 1000)), \"unitOfMeasure\": {\"unit\": \"kWh\"}}",
                "{\"value\": \(String(format: "%.1f", powers[index] / 690)), \"measurand\": \"Current.Import\", \"unitOfMeasure\": {\"unit\": \"A\"}, \"phase\": \"L2\"}",
            ]
            if random.chance(0.05) { values = [] }
            let evse = random.below(3)
            let sample = "{\"timestamp\": \"\(EngineClock.stamp(stamp))\", \"sampledValue\": [\(values.joined(separator: ", "))]}"
            if random.chance(0.15) {
                let kinds = ["Started", "Updated", "Updated", "Updated", "Ended"]
                let kind = kinds[random.below(kinds.count)]
                if kind == "Started" { transactions[index] += 1 }
                let evsePart = random.chance(0.5) ? ", \"evse\": {\"id\": \(1 + random.below(2)), \"connectorId\": 1}" : ""
                return ("TransactionEvent", """
                {"eventType": "\(kind)", "timestamp": "\(EngineClock.stamp(now))", "triggerReason": "MeterValuePeriodic", "seqNo": 1, \
                "transactionInfo": {"transactionId": "T\(transactions[index])"}\(evsePart), "meterValue": [\(sample)]}
                """)
            }
            return ("MeterValues", "{\"evseId\": \(evse), \"meterValue\": [\(sample)]}")
        }
    }

    /// A 1.6 power value: a decimal string mostly, sometimes what broken chargers send.
    func value16(_ watts: Double, random: inout EngineXorshift) -> String {
        let roll = random.unit()
        if roll < 0.03 { return "\"abc\"" }
        if roll < 0.06 { return "\"\(String(format: "%.1f", watts / 1000))kW\"" }
        if roll < 0.09 { return "\"\(String(format: "%.2f", watts).replacingOccurrences(of: ".", with: ","))\"" }
        if roll < 0.11 { return String(format: "%.0f", watts) }
        return "\"\(String(format: "%.1f", watts))\""
    }

    /// A 1.6 unit member: W mostly, none when the value carries its own.
    func unit16(_ unit: String, random: inout EngineXorshift) -> String {
        random.chance(0.9) ? ", \"unit\": \"\(unit)\"" : ""
    }

    /// A 1.6 register value: Wh mostly, sometimes kWh (declared) or kWh labelled Wh.
    func register16(_ wattHours: Double, random: inout EngineXorshift) -> String {
        let roll = random.unit()
        if roll < 0.05 { return "\"\(String(format: "%.4f", wattHours / 1000))\", \"unit\": \"kWh\"" }
        if roll < 0.07 { return "\"\(String(format: "%.4f", wattHours / 1000))\", \"unit\": \"Wh\"" }
        return "\"\(String(format: "%.1f", wattHours))\", \"unit\": \"Wh\""
    }
}
