/// An OCPP protocol version a charger may speak.
public enum OCPPVersion: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// OCPP 1.6 JSON.
    case v16 = "1.6"
    /// OCPP 2.0.1.
    case v201 = "2.0.1"

    /// `1.6` or `2.0.1`.
    public var description: String { rawValue }

    /// 1.6 before 2.0.1.
    public static func < (lhs: OCPPVersion, rhs: OCPPVersion) -> Bool {
        lhs == .v16 && rhs == .v201
    }
}

/// What a charger-initiated OCPP message yields to a monitor rule before its transforms.
public enum SourceKind: String, Sendable, Hashable {
    /// Sampled meter values (MeterValues, TransactionEvent, StopTransaction's transactionData).
    case meterValues
    /// The meter reading at transaction start (StartTransaction's `meterStart`, in Wh).
    case meterStart
    /// A connector status name.
    case status
    /// An event that is raised or cleared (NotifyEvent, vendor DataTransfer).
    case event
}

/// Facts about OCPP actions, measurands and enumerations that the validator checks rules against.
public enum OCPPCatalog {
    /// Charger-initiated actions a monitor rule may listen to, with their versions and what they yield.
    public static let sourceActions: [String: (versions: Set<OCPPVersion>, kind: SourceKind)] = [
        "MeterValues": ([.v16, .v201], .meterValues),
        "TransactionEvent": ([.v201], .meterValues),
        "StartTransaction": ([.v16], .meterStart),
        "StopTransaction": ([.v16], .meterValues),
        "StatusNotification": ([.v16, .v201], .status),
        "NotifyEvent": ([.v201], .event),
        "DataTransfer": ([.v16, .v201], .event),
    ]

    /// Central-system-initiated actions a control rule may send, with their versions.
    public static let commandActions: [String: Set<OCPPVersion>] = [
        "SetChargingProfile": [.v16, .v201],
        "ClearChargingProfile": [.v16, .v201],
        "ChangeAvailability": [.v16, .v201],
        "Reset": [.v16, .v201],
        "TriggerMessage": [.v16, .v201],
    ]

    /// Other real OCPP actions, so a misplaced one gets a precise message rather than "unknown".
    public static let otherActions: Set<String> = [
        "Authorize", "BootNotification", "Heartbeat", "SecurityEventNotification", "FirmwareStatusNotification",
        "DiagnosticsStatusNotification", "LogStatusNotification", "NotifyReport", "NotifyChargingLimit",
        "GetCompositeSchedule", "GetVariables", "SetVariables", "GetConfiguration", "ChangeConfiguration",
        "RemoteStartTransaction", "RemoteStopTransaction", "RequestStartTransaction", "RequestStopTransaction",
        "UnlockConnector", "GetLocalListVersion", "SendLocalList", "ClearCache", "UpdateFirmware",
    ]

    /// Measurands per version.
    public static let measurands: [String: Set<OCPPVersion>] = {
        var table: [String: Set<OCPPVersion>] = [:]
        let both = [
            "Current.Export", "Current.Import", "Current.Offered",
            "Energy.Active.Export.Register", "Energy.Active.Import.Register",
            "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register",
            "Energy.Active.Export.Interval", "Energy.Active.Import.Interval",
            "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval",
            "Frequency", "Power.Active.Export", "Power.Active.Import", "Power.Factor", "Power.Offered",
            "Power.Reactive.Export", "Power.Reactive.Import", "SoC", "Voltage",
        ]
        for m in both { table[m] = [.v16, .v201] }
        for m in ["RPM", "Temperature"] { table[m] = [.v16] }
        for m in ["Energy.Active.Net", "Energy.Reactive.Net", "Energy.Apparent.Net", "Energy.Apparent.Import", "Energy.Apparent.Export"] {
            table[m] = [.v201]
        }
        return table
    }()

    /// The unit a measurand's samples carry by default (before any `unitOfMeasure`), or nil when unitless.
    public static func defaultUnit(of measurand: String) -> Unit? {
        let symbol: String?
        switch measurand {
        case let m where m.hasPrefix("Current."): symbol = "A"
        case let m where m.hasPrefix("Energy.Active."): symbol = "Wh"
        case let m where m.hasPrefix("Energy.Reactive."): symbol = "varh"
        case let m where m.hasPrefix("Energy.Apparent."): symbol = "VAh"
        case "Power.Active.Export", "Power.Active.Import", "Power.Offered": symbol = "W"
        case let m where m.hasPrefix("Power.Reactive."): symbol = "var"
        case "Frequency": symbol = "Hz"
        case "SoC": symbol = "%"
        case "Temperature": symbol = "Celsius"
        case "Voltage": symbol = "V"
        case "RPM": symbol = "RPM"
        default: symbol = nil
        }
        return symbol.flatMap(Unit.named)
    }

    /// True for cumulative registers, the only measurands power can be derived from.
    public static func isRegister(_ measurand: String) -> Bool {
        measurand.hasSuffix(".Register") || measurand.hasSuffix(".Net")
    }

    /// Sampled-value phases.
    public static let phases: [String] = ["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"]
    /// Sampled-value locations.
    public static let locations: [String] = ["Body", "Cable", "EV", "Inlet", "Outlet"]
    /// Sampled-value reading contexts.
    public static let contexts: [String] = [
        "Interruption.Begin", "Interruption.End", "Other", "Sample.Clock", "Sample.Periodic",
        "Transaction.Begin", "Transaction.End", "Trigger",
    ]

    /// Connector statuses per version.
    public static let statuses: [OCPPVersion: [String]] = [
        .v16: ["Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted"],
        .v201: ["Available", "Occupied", "Reserved", "Unavailable", "Faulted"],
    ]

    /// Charging-profile purposes per version.
    public static let purposes: [OCPPVersion: [String]] = [
        .v16: ["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"],
        .v201: ["ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile", "ChargingStationExternalConstraints"],
    ]

    /// The purpose used when a rule names none: the whole-charger maximum of each version.
    public static let defaultPurpose: [OCPPVersion: String] = [.v16: "ChargePointMaxProfile", .v201: "ChargingStationMaxProfile"]

    /// Messages TriggerMessage may ask for (common to both versions).
    public static let triggerMessages: [String] = ["BootNotification", "Heartbeat", "MeterValues", "StatusNotification"]

    /// Reset types per version.
    public static let resetTypes: [OCPPVersion: [String]] = [.v16: ["Soft", "Hard"], .v201: ["Immediate", "OnIdle"]]
}
