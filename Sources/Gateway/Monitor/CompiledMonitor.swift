import OCPP
import Rules

/// The hot rules, meter values → power and energy points, specialised when the graph is loaded.
///
/// Per charger and meter action the rules sit in an array; a sample finds its rules by comparing measurands
/// (rule and normalizer hold the same interned string, so the compare stops at the identity check), its transform
/// chain is plain arithmetic over arrays resolved at load time, and its state lives in arrays indexed by rule.
/// No dictionary and no enum of steps is walked per message. A chain compiles when its steps are, in order:
/// unit/scale/offset steps, at most one `derive: power` followed by more of them, an optional clamp, then the
/// gates (deadband, min_interval). Other chains, and rules with a connector filter, stay with the interpreter;
/// so do status and event rules, which are not on the hot path.
struct CompiledMonitor: Sendable {
    /// One compiled meter-value rule.
    final class Rule: Sendable {
        let index: Int
        let target: Int
        let measurand: String
        /// The measurand's length in UTF-8, checked before the strings: different measurands rarely share it.
        let measurandLength: Int
        let accepts16: Bool
        let accepts201: Bool
        let evse: Int?
        let phase: String?
        let location: String?
        let contexts: [String]
        /// The rule's source unit, and every unit of its dimension a charger may send, with the conversion.
        let sourceUnit: String?
        let conversions: [UnitConversion]
        let before: [(scale: Double, offset: Double)]
        let derive: Double?
        let after: [(scale: Double, offset: Double)]
        let clamp: (low: Double, high: Double)?
        let gates: [Gate]

        init(index: Int, target: Int, measurand: String, accepts16: Bool, accepts201: Bool, evse: Int?, phase: String?,
             location: String?, contexts: [String], sourceUnit: String?, conversions: [UnitConversion],
             before: [(scale: Double, offset: Double)], derive: Double?, after: [(scale: Double, offset: Double)],
             clamp: (low: Double, high: Double)?, gates: [Gate]) {
            self.index = index
            self.target = target
            self.measurand = measurand
            measurandLength = measurand.utf8.count
            self.accepts16 = accepts16
            self.accepts201 = accepts201
            self.evse = evse
            self.phase = phase
            self.location = location
            self.contexts = contexts
            self.sourceUnit = sourceUnit
            self.conversions = conversions
            self.before = before
            self.derive = derive
            self.after = after
            self.clamp = clamp
            self.gates = gates
        }
    }

    /// A unit a charger may send for a rule, as the normalizer names it, and how to convert it.
    struct UnitConversion: Sendable {
        var symbol: String
        var scale: Double
        var offset: Double
    }

    /// A gate step and its position in the rule's original chain (where the rule state keeps its memory).
    struct Gate: Sendable {
        enum Kind: Sendable {
            case deadband(Double)
            case deadbandPercent(Double)
            case minInterval(Double)
        }
        var step: Int
        var kind: Kind
    }

    /// The meter actions that have compiled slots.
    static let actions = ["MeterValues", "TransactionEvent", "StopTransaction"]

    /// Per charger, per action of `actions`: the compiled rules, or nil when any of its rules stays interpreted.
    private let slots: [[[Rule]?]]
    /// Monitor rule indexes that compiled.
    let compiledRules: Set<Int>

    /// Compiles every meter-value rule whose chain has the compilable shape.
    init(graph: RuleGraph) {
        var slots: [[[Rule]?]] = Array(repeating: Array(repeating: [], count: Self.actions.count), count: graph.chargers.count)
        var compiled: Set<Int> = []
        for (index, rule) in graph.monitorRules.enumerated() {
            guard let slot = Self.actions.firstIndex(of: rule.action) else { continue }
            guard let made = Self.compile(rule, index: index) else {
                slots[rule.charger][slot] = nil
                continue
            }
            if slots[rule.charger][slot] != nil {
                slots[rule.charger][slot]?.append(made)
                compiled.insert(index)
            }
        }
        for (index, rule) in graph.monitorRules.enumerated() {
            if let slot = Self.actions.firstIndex(of: rule.action), slots[rule.charger][slot] == nil {
                compiled.remove(index)
            }
        }
        self.slots = slots
        compiledRules = compiled
    }

    /// The slot of a charger's meter action, nil when that action is interpreted.
    func slot(charger: Int, action: String) -> Int? {
        let slot: Int
        switch action {
        case "MeterValues": slot = 0
        case "TransactionEvent": slot = 1
        case "StopTransaction": slot = 2
        default: return nil
        }
        return slots[charger][slot] == nil ? nil : charger * Self.actions.count + slot
    }

    /// Runs sampled value `index` of `values` through the compiled rules of a slot. The value's fields are read
    /// where they lie: copying a whole sampled value (eight strings and an array) costs more than the rule.
    func run(_ slot: Int, _ values: [SampledValue], _ index: Int, version: Rules.OCPPVersion, evse: Int?,
             time: EngineTime, engine: inout GatewayEngine, outputs: inout [EngineOutput]) {
        guard let rules = slots[slot / Self.actions.count][slot % Self.actions.count] else { return }
        let measurandLength = values[index].measurand.utf8.count
        for rule in rules where rule.measurandLength == measurandLength && rule.measurand == values[index].measurand {
            guard version == .v16 ? rule.accepts16 : rule.accepts201 else { continue }
            if let wanted = rule.evse, wanted != evse { continue }
            if let phase = rule.phase {
                if phase == "none" { if values[index].phase != nil { continue } } else if values[index].phase != phase { continue }
            }
            if let location = rule.location, values[index].location != location { continue }
            if !rule.contexts.isEmpty, !rule.contexts.contains(values[index].context) { continue }
            guard let value = Self.number(values[index].value, unit: values[index].unit, for: rule) else {
                engine.invalidate(point: rule.target, at: time, into: &outputs)
                continue
            }
            let force = !engine.points[rule.target].quality.isEmpty
            let result = Self.chain(rule, value, time: time, force: force, state: &engine.ruleStates[rule.index])
            engine.take(result, on: rule.target, at: time, into: &outputs)
        }
    }

    /// The value in the rule's source unit through the table resolved at load time; the same answers as
    /// `ReadingValue.number`, which the interpreter uses.
    static func number(_ value: Double?, unit sent: String, for rule: Rule) -> Double? {
        guard let value, value.isFinite else { return nil }
        guard let unit = rule.sourceUnit, sent != unit else { return value }
        for conversion in rule.conversions where conversion.symbol == sent {
            return value * conversion.scale + conversion.offset
        }
        return nil
    }

    /// The compiled chain: the same arithmetic, in the same order, as the interpreter.
    static func chain(_ rule: Rule, _ input: Double, time: EngineTime, force: Bool, state: inout RuleState) -> ChainResult {
        var value = input
        for step in rule.before { value = value * step.scale + step.offset }
        if let scale = rule.derive {
            guard let derived = Derivation.step(value, at: time, scale: scale, register: &state.register) else { return .none }
            value = derived
            for step in rule.after { value = value * step.scale + step.offset }
        }
        if let clamp = rule.clamp { value = min(max(value, clamp.low), clamp.high) }
        var held = false
        for gate in rule.gates {
            guard let last = state.gate(gate.step) else { continue }
            switch gate.kind {
            case let .deadband(band): if abs(value - last.value) <= band { held = true }
            case let .deadbandPercent(percent): if abs(value - last.value) <= abs(last.value) * percent / 100 { held = true }
            case let .minInterval(seconds): if time - last.time < seconds { held = true }
            }
        }
        if held && !force { return .hold(.number(value)) }
        for gate in rule.gates { state.setGate(gate.step, RuleState.Gate(value: value, time: time)) }
        return .report(.number(value))
    }

    /// Every unit of `unit`'s dimension, by the name the normalizer gives it, with its conversion into `unit`.
    private static func conversions(to unit: Rules.Unit?) -> [UnitConversion] {
        guard let unit else { return [] }
        return Rules.Unit.all.flatMap { sent -> [UnitConversion] in
            guard let conversion = sent.conversion(to: unit) else { return [] }
            // The normalizer says "Hertz" where the rules say "Hz".
            return (sent.symbol == "Hz" ? ["Hz", "Hertz"] : [sent.symbol]).map {
                UnitConversion(symbol: $0, scale: conversion.scale, offset: conversion.offset)
            }
        }
    }

    /// The compiled form of a rule, or nil when its chain or selector keeps it with the interpreter.
    private static func compile(_ rule: MonitorRule, index: Int) -> Rule? {
        guard rule.kind == .meterValues, rule.selector.connector == nil, let measurand = rule.selector.measurand else {
            return nil
        }
        var before: [(scale: Double, offset: Double)] = []
        var after: [(scale: Double, offset: Double)] = []
        var derive: Double?
        var clamp: (low: Double, high: Double)?
        var gates: [Gate] = []
        for (position, step) in rule.steps.enumerated() {
            switch step {
            case let .affine(scale, offset):
                guard clamp == nil, gates.isEmpty else { return nil }
                if derive == nil { before.append((scale, offset)) } else { after.append((scale, offset)) }
            case let .derivePower(scale):
                guard derive == nil, clamp == nil, gates.isEmpty else { return nil }
                derive = scale
            case let .clamp(low, high):
                guard clamp == nil, gates.isEmpty else { return nil }
                clamp = (low, high)
            case let .deadband(band): gates.append(Gate(step: position, kind: .deadband(band)))
            case let .deadbandPercent(percent): gates.append(Gate(step: position, kind: .deadbandPercent(percent)))
            case let .minInterval(seconds): gates.append(Gate(step: position, kind: .minInterval(seconds)))
            case .map: return nil
            }
        }
        return Rule(index: index, target: rule.target, measurand: SampledValue.interned(measurand: measurand),
                    accepts16: rule.versions.contains(.v16), accepts201: rule.versions.contains(.v201),
                    evse: rule.selector.evse, phase: rule.selector.phase, location: rule.selector.location,
                    contexts: rule.selector.contexts, sourceUnit: rule.sourceUnit?.symbol,
                    conversions: Self.conversions(to: rule.sourceUnit), before: before, derive: derive, after: after,
                    clamp: clamp, gates: gates)
    }
}
