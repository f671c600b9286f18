/// An information object address: common address and IOA.
public struct PointAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Common address of ASDU.
    public var ca: Int
    /// Information object address.
    public var ioa: Int

    /// Creates an address.
    public init(ca: Int, ioa: Int) {
        self.ca = ca
        self.ioa = ioa
    }

    /// Orders by CA, then IOA.
    public static func < (lhs: PointAddress, rhs: PointAddress) -> Bool { (lhs.ca, lhs.ioa) < (rhs.ca, rhs.ioa) }

    /// `CA/IOA`.
    public var description: String { "\(ca)/\(ioa)" }
}

/// Who a point belongs to.
public enum PointOwner: Hashable, Sendable {
    /// The site as a whole (aggregates, site limit).
    case site
    /// The charger with this index in `RuleGraph.chargers`.
    case charger(Int)
}

/// A resolved charger.
public struct Charger: Sendable {
    /// OCPP identity.
    public let id: String
    /// Versions it may use.
    public let versions: [OCPPVersion]
    /// EVSEs and connectors.
    public let evses: [EVSE]
    /// Electrical data.
    public let electrical: Electrical
    /// Sanitizer policy.
    public let sanitizer: SanitizerPolicy
    /// OCPP security profile 0–3.
    public let securityProfile: Int
    /// Zone for timestamps without one.
    public let timezone: String
    /// Reference to its secret (`env:` / `file:`), if any.
    public let credentials: String?
    /// Template it was made from.
    public let template: String?
    /// Common address of its points.
    public let commonAddress: Int
    /// Its points, as indexes into `RuleGraph.points`.
    public let points: [Int]
    /// Where it was defined.
    public let location: SourceLocation
}

/// A resolved point.
public struct Point: Sendable {
    /// CA and IOA.
    public let address: PointAddress
    /// IEC type.
    public let type: IECType
    /// Stable signal name.
    public let signal: String
    /// Site or charger.
    public let owner: PointOwner
    /// EVSE it belongs to, if any.
    public let evse: Int?
    /// Engineering unit SCADA sees.
    public let unit: Unit?
    /// Description with placeholders filled in.
    public let description: String
    /// Answers general interrogation.
    public let generalInterrogation: Bool
    /// Interrogation groups 1–16.
    public let groups: [Int]
    /// Counter-interrogation group 1–4 of an integrated total.
    public let counterGroup: Int?
    /// Flag NT after this many seconds without an update.
    public let staleAfter: Double?
    /// Quality while the charger is away.
    public let onDisconnect: DisconnectQuality
    /// Where the point was written (in a template: the template's entry).
    public let location: SourceLocation

    /// Monitor or control.
    public var direction: Direction { type.direction }
}

/// The selector of a monitor rule: which parts of a message it takes.
public struct Selector: Sendable, Hashable {
    /// Measurand of meter-value sources.
    public var measurand: String?
    /// Phase; `"none"` means only samples without a phase.
    public var phase: String?
    /// Measurement location.
    public var location: String?
    /// Reading contexts accepted; empty means any.
    public var contexts: [String] = []
    /// EVSE filter.
    public var evse: Int?
    /// Connector filter.
    public var connector: Int?
    /// Status values accepted; empty means any.
    public var statuses: [String] = []
    /// NotifyEvent component.
    public var component: String?
    /// NotifyEvent variable.
    public var variable: String?
    /// DataTransfer vendor.
    public var vendorID: String?
    /// DataTransfer message.
    public var messageID: String?
}

/// A transform step with everything resolved at load time.
public enum ResolvedStep: Sendable, Hashable {
    /// value × scale + offset (unit conversions, scale, offset steps).
    case affine(scale: Double, offset: Double)
    /// P = ΔE/Δt from successive register readings; `scale` turns units per second into the rate unit (×3600).
    case derivePower(scale: Double)
    /// Limit to a range.
    case clamp(Double, Double)
    /// Absolute deadband.
    case deadband(Double)
    /// Relative deadband, percent.
    case deadbandPercent(Double)
    /// Minimum seconds between reports.
    case minInterval(Double)
    /// Enum → value table.
    case map([String: MapValue], fallback: MapValue?)
}

/// A monitor rule: OCPP message → point.
public struct MonitorRule: Sendable {
    /// Charger index.
    public let charger: Int
    /// OCPP action listened to.
    public let action: String
    /// Versions it applies to.
    public let versions: [OCPPVersion]
    /// What it yields before transforms.
    public let kind: SourceKind
    /// Which parts of the message.
    public let selector: Selector
    /// Unit of the source value before transforms, if any.
    public let sourceUnit: Unit?
    /// The resolved transform chain.
    public let steps: [ResolvedStep]
    /// Target point index.
    public let target: Int
    /// Where it was written.
    public let location: SourceLocation
}

/// What a control rule does with a command.
public enum ControlAction: Sendable, Hashable {
    /// SetChargingProfile with a limit converted from the point's unit: `limit = value × factor`.
    case setChargingProfile(purpose: [OCPPVersion: String], stackLevel: Int, rateUnit: String, evse: Int, factor: Double)
    /// ClearChargingProfile.
    case clearChargingProfile
    /// ChangeAvailability (on → Operative, off → Inoperative).
    case changeAvailability
    /// Reset of this type per version.
    case reset([OCPPVersion: String])
    /// TriggerMessage for this message.
    case triggerMessage(String)
    /// Share the site limit over these chargers' control rules (indexes into `controlRules`), equally, capped at their maximum.
    case distribute(signal: String, rules: [Int])
}

/// A control rule: IEC command at a point → preconditions → OCPP call.
public struct ControlRule: Sendable {
    /// The command point's index.
    public let point: Int
    /// Site or charger.
    public let owner: PointOwner
    /// The OCPP side.
    public let action: ControlAction
    /// Versions it applies to.
    public let versions: [OCPPVersion]
    /// Accepted values in the point's unit.
    public let range: ClosedRange<Double>?
    /// Normalized set-points: the value 1.0 means this many point units.
    public let fullScale: Double?
    /// Refuse while the charger is offline.
    public let requireOnline: Bool
    /// Select-before-operate requirement.
    public let selectBeforeOperate: SelectBeforeOperate
    /// Command rate limit.
    public let rateLimit: RateLimit?
    /// Read-back point index.
    public let readback: Int?
    /// Where it was written.
    public let location: SourceLocation
}

/// A site total: the sum of one signal over chargers.
public struct Aggregate: Sendable {
    /// Site point index.
    public let point: Int
    /// Summed signal.
    public let signal: String
    /// Point indexes summed, each scaled by its factor into the site point's unit.
    public let members: [(point: Int, factor: Double)]
}

/// Key of the monitor index: charger, action and measurand (nil for actions without one).
public struct MonitorKey: Hashable, Sendable {
    /// Charger index.
    public var charger: Int
    /// OCPP action.
    public var action: String
    /// Measurand, or nil.
    public var measurand: String?

    /// Creates a key.
    public init(charger: Int, action: String, measurand: String?) {
        self.charger = charger
        self.action = action
        self.measurand = measurand
    }
}

/// The immutable, fully resolved rule set the runtime executes, with its lookup indexes.
public struct RuleGraph: Sendable {
    /// Site name.
    public let siteName: String
    /// Files it was loaded from.
    public let files: [String]
    /// The IEC 104 station.
    public let station: Station
    /// The OCPP central system.
    public let centralSystem: CentralSystem
    /// Chargers in definition order.
    public let chargers: [Charger]
    /// Points in definition order.
    public let points: [Point]
    /// Monitor rules.
    public let monitorRules: [MonitorRule]
    /// Control rules.
    public let controlRules: [ControlRule]
    /// Site totals.
    public let aggregates: [Aggregate]

    /// Charger index by OCPP identity.
    public let chargerIndex: [String: Int]
    /// Point index by address.
    public let pointIndex: [PointAddress: Int]
    /// Monitor rule indexes by charger + action + measurand.
    public let monitorIndex: [MonitorKey: [Int]]
    /// Control rule index by command point address.
    public let controlIndex: [PointAddress: Int]
    /// Points answering station interrogation.
    public let generalInterrogation: [Int]
    /// Points per interrogation group (index 0 = group 1).
    public let interrogationGroups: [[Int]]
    /// Integrated totals answering counter interrogation.
    public let counters: [Int]
    /// Integrated totals per counter group (index 0 = group 1).
    public let counterGroups: [[Int]]

    /// The monitor rules that may take a message: charger + action (+ measurand for meter values).
    public func monitorRules(charger: Int, action: String, measurand: String?) -> [Int] {
        monitorIndex[MonitorKey(charger: charger, action: action, measurand: measurand)] ?? []
    }

    /// The control rule for a command at an address, if the address is a command point.
    public func controlRule(at address: PointAddress) -> ControlRule? {
        controlIndex[address].map { controlRules[$0] }
    }

    /// What a command of type `typeID` at `address` finds: the rule, or why there is none (the IEC negative cause to answer).
    public func lookupCommand(typeID: Int, at address: PointAddress) -> CommandLookup {
        guard let index = pointIndex[address] else { return .unknownAddress }
        let point = points[index]
        guard point.direction == .control, let rule = controlIndex[address] else { return .notACommandPoint(point.type) }
        guard let type = IECType.withID(typeID), type.withoutTimeTag == point.type.withoutTimeTag else {
            return .wrongType(expected: point.type)
        }
        return .rule(controlRules[rule])
    }
}

/// The outcome of looking up a command by IEC type and address.
public enum CommandLookup: Sendable {
    /// A command point whose type matches (with or without time tag).
    case rule(ControlRule)
    /// No point at this CA/IOA (IEC cause 47, unknown IOA).
    case unknownAddress
    /// A monitor point lives at this address.
    case notACommandPoint(IECType)
    /// A command point of another type (IEC cause 44, unknown type).
    case wrongType(expected: IECType)
}
