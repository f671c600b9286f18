import IEC104
import Rules

/// What the engine knows about one point: the last value sent to the station and how good it is.
public struct PointState: Hashable, Sendable {
    /// The value as the station has it; nil before the first update.
    public var value: PointValue?
    /// The value as a number, for sums and read-backs (nil for binary points and before the first update).
    public var number: Double?
    /// The quality sent with it.
    public var quality: QualityDescriptor = [.invalid, .notTopical]
    /// The time tag sent with it.
    public var time: EngineTime?
    /// When the engine last took a fresh value for it (for `stale_after`).
    public var refreshedAt: EngineTime?
}

/// The transform chain's memory for one monitor rule.
struct RuleState: Hashable, Sendable {
    /// The last register reading and its time, for `derive: power`.
    var register: (value: Double, time: EngineTime)?
    /// Per step of the chain (only gate steps, deadband and min_interval, use theirs): the value and time last
    /// reported through it. An array, not a dictionary, so the compiled path touches no hash table.
    private(set) var gates: [Gate?] = []

    struct Gate: Hashable, Sendable {
        var value: Double
        var time: EngineTime
    }

    /// What passed gate step `index` last.
    func gate(_ index: Int) -> Gate? { index < gates.count ? gates[index] : nil }

    /// Records what passed gate step `index`.
    mutating func setGate(_ index: Int, _ gate: Gate) {
        if gates.count <= index { gates += Array(repeating: nil, count: index + 1 - gates.count) }
        gates[index] = gate
    }

    static func == (lhs: RuleState, rhs: RuleState) -> Bool {
        lhs.register?.value == rhs.register?.value && lhs.register?.time == rhs.register?.time && lhs.gates == rhs.gates
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(register?.value)
        hasher.combine(register?.time)
    }
}

/// The outcome of running one input through a rule's chain.
enum ChainResult: Equatable, Sendable {
    /// A value to report spontaneously.
    case report(ChainValue)
    /// A value for the image only (held back by a deadband or minimum interval).
    case hold(ChainValue)
    /// Nothing to report yet (the first register reading of a derivation, a reset, a repeated timestamp).
    case none
}

/// A value coming out of a chain.
enum ChainValue: Equatable, Sendable {
    /// A number in the point's unit.
    case number(Double)
    /// A mapped value.
    case mapped(MapValue)
}
