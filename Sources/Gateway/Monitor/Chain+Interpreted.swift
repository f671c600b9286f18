import Rules

/// What a monitor rule's source yields before its transforms.
enum ChainInput: Equatable, Sendable {
    /// A reading in the rule's source unit.
    case number(Double)
    /// A status name, or `raised` / `cleared` for events.
    case key(String)
}

/// The interpreter: walks a rule's resolved steps one by one. The compiled path must agree with it exactly.
enum InterpretedChain {
    /// Runs `input`, taken at `time`, through `steps`; `force` reports even a value a gate would hold (the point's
    /// quality is not good, so the fresh value must reach SCADA).
    static func run(_ steps: [ResolvedStep], input: ChainInput, time: EngineTime, force: Bool,
                    state: inout RuleState) -> ChainResult {
        var number: Double?
        var mapped: MapValue?
        switch input {
        case let .number(value): number = value
        case .key: break
        }
        var held = false
        var gatesPassed: [(Int, Double)] = []
        for (index, step) in steps.enumerated() {
            switch step {
            case let .affine(scale, offset):
                guard let value = number else { continue }
                number = value * scale + offset
            case let .derivePower(scale):
                guard let value = number else { continue }
                guard let derived = Derivation.step(value, at: time, scale: scale, register: &state.register) else {
                    return .none
                }
                number = derived
            case let .clamp(low, high):
                guard let value = number else { continue }
                number = min(max(value, low), high)
            case let .deadband(band):
                guard let value = number else { continue }
                if let last = state.gate(index), abs(value - last.value) <= band { held = true }
                gatesPassed.append((index, value))
            case let .deadbandPercent(percent):
                guard let value = number else { continue }
                if let last = state.gate(index), abs(value - last.value) <= abs(last.value) * percent / 100 { held = true }
                gatesPassed.append((index, value))
            case let .minInterval(seconds):
                guard let value = number else { continue }
                if let last = state.gate(index), time - last.time < seconds { held = true }
                gatesPassed.append((index, value))
            case let .map(table, fallback):
                guard case let .key(key) = input, mapped == nil else { continue }
                guard let value = table[key] ?? fallback else { return .none }
                mapped = value
            }
        }
        let value: ChainValue
        if let mapped {
            value = .mapped(mapped)
        } else if let number {
            value = .number(number)
        } else if case let .key(key) = input, let event = Derivation.eventValue(key) {
            value = .mapped(.bool(event))
        } else {
            return .none
        }
        if held && !force { return .hold(value) }
        for (index, gateValue) in gatesPassed { state.setGate(index, RuleState.Gate(value: gateValue, time: time)) }
        return .report(value)
    }
}

/// The pieces of chain arithmetic both paths share, so they cannot drift apart.
enum Derivation {
    /// P = ΔE/Δt from the previous register reading. Returns nil (nothing to report) on the first reading, a
    /// repeated or older timestamp (Δt ≤ 0: no division by zero, and a replayed reading does not count twice),
    /// and a register that went down (a meter reset or replacement: the next reading starts afresh).
    static func step(_ value: Double, at time: EngineTime, scale: Double,
                     register: inout (value: Double, time: EngineTime)?) -> Double? {
        guard let previous = register else {
            register = (value, time)
            return nil
        }
        guard time > previous.time else { return nil }
        guard value >= previous.value else {
            register = (value, time)
            return nil
        }
        register = (value, time)
        return (value - previous.value) / (time - previous.time) * scale
    }

    /// Events without a map: raised sets the point, cleared resets it.
    static func eventValue(_ key: String) -> Bool? {
        switch key {
        case "raised": true
        case "cleared": false
        default: nil
        }
    }
}
