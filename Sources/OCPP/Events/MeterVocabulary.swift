/// The units, measurands and sampled-value enumerations both versions use, and the spellings chargers send.
enum MeterVocabulary {
    /// The normalized units; 1.6's list with its `Celcius` typo fixed, which 2.0.1's standardized list shares.
    static let units = StringVocabulary([
        "Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K", "Celsius",
        "Fahrenheit", "Percent", "Hertz",
    ])

    /// Spellings that are not the normalized unit but clearly mean it.
    static let aliases: [String: String] = [
        "celcius": "Celsius", "°c": "Celsius", "degc": "Celsius", "deg c": "Celsius", "°f": "Fahrenheit",
        "hz": "Hertz", "%": "Percent", "pct": "Percent",
    ]

    /// Spellings 2.0.1 defines itself, which map to the normalized unit without a repair (1.6 has none).
    private static let standardSpellings201 = ["Hz": "Hertz"]

    /// Spellings a version defines itself, which map to the normalized unit without a repair.
    static func standardSpellings(_ version: OCPPVersion) -> [String: String] {
        switch version {
        case .v16: [:]
        case .v201: standardSpellings201
        }
    }

    /// How a unit text relates to the normalized list.
    enum UnitMatch: Equatable {
        /// Already the normalized spelling (or the version's own standard one).
        case standard(String)
        /// Another spelling or case of a known unit.
        case respelled(String)
        /// Not a known unit.
        case unknown
    }

    /// Matches `text` against the normalized units for `version`.
    static func unit(_ text: String, version: OCPPVersion) -> UnitMatch {
        if units.contains(text) { return .standard(text) }
        if let standard = standardSpellings(version)[text] { return .standard(standard) }
        let folded = text.lowercased()
        if let match = units.entries.first(where: { $0.lowercased() == folded }) ?? aliases[folded] {
            return .respelled(match)
        }
        return .unknown
    }

    /// Every measurand of 1.6 and 2.0.1 (1.6 adds Temperature and RPM; 2.0.1 adds the net and apparent registers).
    static let measurands = StringVocabulary([
        "Energy.Active.Export.Register", "Energy.Active.Import.Register", "Energy.Reactive.Export.Register",
        "Energy.Reactive.Import.Register", "Energy.Active.Export.Interval", "Energy.Active.Import.Interval",
        "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval", "Energy.Active.Net",
        "Energy.Reactive.Net", "Energy.Apparent.Net", "Energy.Apparent.Import", "Energy.Apparent.Export",
        "Power.Active.Export", "Power.Active.Import", "Power.Offered", "Power.Reactive.Export",
        "Power.Reactive.Import", "Power.Factor", "Current.Import", "Current.Export", "Current.Offered", "Voltage",
        "Frequency", "Temperature", "SoC", "RPM",
    ])

    /// The unit a sampled value is in when the charger names none. OCPP's default, `Wh`, only fits the energy
    /// registers; chargers that omit the unit of a voltage or a state of charge mean volts and percent.
    static func defaultUnit(of measurand: String) -> String {
        if measurand.hasPrefix("Energy.Reactive") { return "varh" }
        if measurand.hasPrefix("Energy.") { return "Wh" }
        if measurand.hasPrefix("Power.Reactive") { return "var" }
        if measurand.hasPrefix("Power.Active") || measurand == "Power.Offered" { return "W" }
        if measurand.hasPrefix("Current.") { return "A" }
        switch measurand {
        case "Voltage": return "V"
        case "Frequency": return "Hertz"
        case "Temperature": return "Celsius"
        case "SoC": return "Percent"
        default: return "Wh"
        }
    }

    /// Reading contexts (the same in both versions).
    static let contexts = StringVocabulary([
        "Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic", "Transaction.Begin",
        "Transaction.End", "Trigger", "Other",
    ])

    /// Measurement locations (the same in both versions).
    static let locations = StringVocabulary(["Cable", "EV", "Inlet", "Outlet", "Body"])

    /// Phases (the same in both versions).
    static let phases = StringVocabulary(["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"])

    /// 1.6 value formats.
    static let formats = StringVocabulary(["Raw", "SignedData"])
}
