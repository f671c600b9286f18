/// A physical dimension of a value flowing through a rule.
public enum Dimension: String, Sendable, Hashable {
    case power, energy, reactivePower, reactiveEnergy, apparentPower, apparentEnergy
    case current, voltage, frequency, percent, temperature, ratio, rotation
}

/// An engineering unit with its dimension and its affine relation to the dimension's base unit.
public struct Unit: Sendable, Hashable, CustomStringConvertible {
    /// The unit's symbol as written in rule files (`kW`).
    public let symbol: String
    /// What it measures.
    public let dimension: Dimension
    /// Multiply a value in this unit by `factor`, then add `offset`, to get the base unit.
    public let factor: Double
    /// See `factor`.
    public let offset: Double

    /// The symbol.
    public var description: String { symbol }

    init(_ symbol: String, _ dimension: Dimension, _ factor: Double = 1, offset: Double = 0) {
        self.symbol = symbol
        self.dimension = dimension
        self.factor = factor
        self.offset = offset
    }

    /// Units rule files may name.
    public static let all: [Unit] = [
        Unit("W", .power), Unit("kW", .power, 1e3), Unit("MW", .power, 1e6),
        Unit("Wh", .energy), Unit("kWh", .energy, 1e3), Unit("MWh", .energy, 1e6),
        Unit("var", .reactivePower), Unit("kvar", .reactivePower, 1e3),
        Unit("varh", .reactiveEnergy), Unit("kvarh", .reactiveEnergy, 1e3),
        Unit("VA", .apparentPower), Unit("kVA", .apparentPower, 1e3),
        Unit("VAh", .apparentEnergy), Unit("kVAh", .apparentEnergy, 1e3),
        Unit("A", .current), Unit("mA", .current, 1e-3),
        Unit("V", .voltage), Unit("kV", .voltage, 1e3),
        Unit("Hz", .frequency),
        Unit("%", .percent), Unit("Percent", .percent),
        Unit("Celsius", .temperature), Unit("K", .temperature, 1, offset: -273.15),
        Unit("Fahrenheit", .temperature, 5.0 / 9.0, offset: -32.0 * 5.0 / 9.0),
        Unit("RPM", .rotation),
    ]

    private static let bySymbol = Dictionary(uniqueKeysWithValues: all.map { ($0.symbol, $0) })

    /// The unit with this symbol, if known.
    public static func named(_ symbol: String) -> Unit? { bySymbol[symbol] }

    /// The base unit of a dimension (W, Wh, A, …).
    public static func base(of dimension: Dimension) -> Unit? {
        all.first { $0.dimension == dimension && $0.factor == 1 && $0.offset == 0 }
    }

    /// The affine map `(scale, offset)` turning values in `self` into values in `target` of the same dimension.
    public func conversion(to target: Unit) -> (scale: Double, offset: Double)? {
        guard dimension == target.dimension else { return nil }
        let scale = factor / target.factor
        return (scale, (offset - target.offset) / target.factor)
    }

    /// The rate dimension that a register of this dimension derives to (energy → power).
    public var derivedRate: Unit? {
        switch dimension {
        case .energy: return Unit.all.first { $0.dimension == .power && $0.factor == factor }
        case .reactiveEnergy: return Unit.all.first { $0.dimension == .reactivePower && $0.factor == factor }
        case .apparentEnergy: return Unit.all.first { $0.dimension == .apparentPower && $0.factor == factor }
        default: return nil
        }
    }
}
