/// The sampled values a charger took at one instant.
public struct MeterSample: Hashable, Sendable {
    /// When they were sampled; nil when the charger's timestamp was unusable.
    public var timestamp: UTCInstant?
    /// The values; may be empty (a charger sent an empty `sampledValue`).
    public var values: [SampledValue]

    /// Creates a sample.
    public init(timestamp: UTCInstant?, values: [SampledValue]) {
        self.timestamp = timestamp
        self.values = values
    }
}

/// One measured quantity, with every 1.6 default applied and every 2.0.1 multiplier folded into the value.
public struct SampledValue: Hashable, Sendable {
    /// The value in `unit`; nil when it could not be read (never invented; the runtime reports quality IV).
    public var value: Double?
    /// The value as sent: the 1.6 string, or the 2.0.1 number's text.
    public var raw: String
    /// The normalized unit (`W`, `kW`, `Wh`, `A`, `V`, `Celsius`, `Percent`, `Hertz`, …; 2.0.1 custom units as sent);
    /// when the charger names none, the measurand's own (OCPP's default `Wh` for the energy registers).
    public var unit: String
    /// The 2.0.1 power-of-ten multiplier already applied to `value` (0 in 1.6).
    public var multiplier: Int
    /// The measurand (default `Energy.Active.Import.Register`).
    public var measurand: String
    /// The phase, if any.
    public var phase: String?
    /// Where it was measured (default `Outlet`).
    public var location: String
    /// Why it was sampled (default `Sample.Periodic`).
    public var context: String
    /// 1.6 `format`: `Raw` or `SignedData` (whose value is a signature, so `value` is nil).
    public var format: String
    /// What was repaired or noted to read this value.
    public var repairs: [ValueRepair]

    /// OCPP's default measurand, as the initializer has it (for code that fills the fields one by one).
    static let defaultMeasurand = interned(measurand: "Energy.Active.Import.Register")

    /// The normalizer's own copy of a known measurand (the text itself when unknown). Every measurand the
    /// normalizer hands out is such a copy, so code that compares against one compares one storage, not bytes.
    public static func interned(measurand text: String) -> String {
        MeterVocabulary.measurands.firstIndex(of: text).map { MeterVocabulary.measurands.entries[$0] } ?? text
    }
    /// OCPP's default location, as the initializer has it.
    static let defaultLocation = "Outlet"
    /// OCPP's default context, as the initializer has it.
    static let defaultContext = "Sample.Periodic"
    /// OCPP's default unit, as the initializer has it.
    static let defaultUnit = "Wh"
    /// OCPP's default 1.6 format, as the initializer has it.
    static let defaultFormat = "Raw"

    /// Creates a value; the defaults are OCPP's.
    public init(
        value: Double?, raw: String, unit: String = "Wh", multiplier: Int = 0,
        measurand: String = "Energy.Active.Import.Register", phase: String? = nil, location: String = "Outlet",
        context: String = "Sample.Periodic", format: String = "Raw", repairs: [ValueRepair] = []
    ) {
        self.value = value
        self.raw = raw
        self.unit = unit
        self.multiplier = multiplier
        self.measurand = measurand
        self.phase = phase
        self.location = location
        self.context = context
        self.format = format
        self.repairs = repairs
    }
}
