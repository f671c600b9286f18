/// A value a `map` step produces.
public enum MapValue: Sendable, Hashable, CustomStringConvertible {
    /// A number.
    case number(Double)
    /// A boolean (single points).
    case bool(Bool)
    /// A double-point state, 0 … 3 (1 off, 2 on, 0 intermediate, 3 indeterminate).
    case doublePoint(Int)

    /// As written.
    public var description: String {
        switch self {
        case .number(let n): return DecodeContext.format(n)
        case .bool(let b): return String(b)
        case .doublePoint(let s): return ["intermediate", "off", "on", "indeterminate"][s]
        }
    }
}

/// One step of a monitor rule's transform chain, as written.
public enum TransformStep: Sendable, Hashable {
    /// Convert to this unit.
    case unit(Unit)
    /// Energy register → power, P = ΔE/Δt.
    case derivePower
    /// Multiply.
    case scale(Double)
    /// Add.
    case offset(Double)
    /// Limit to a range.
    case clamp(Double, Double)
    /// Report only changes larger than this absolute amount.
    case deadband(Double)
    /// Report only changes larger than this percentage of the last reported value.
    case deadbandPercent(Double)
    /// Report at most once per this many seconds.
    case minInterval(Double)
    /// Enum → value table; the `"*"` entry is `fallback`.
    case map([String: MapValue], fallback: MapValue?)
}

/// How a point's quality follows the charger.
public enum DisconnectQuality: String, Sendable, Hashable, CaseIterable {
    /// IV.
    case invalid
    /// NT.
    case notTopical = "not_topical"
    /// IV and NT.
    case invalidNotTopical = "invalid_not_topical"
}

/// A monitor rule as written under a point's `from:`.
struct SourceSpec: Sendable {
    var location: SourceLocation
    var action: Located<String>
    var ocpp: Located<[OCPPVersion]>?
    var measurand: Located<String>?
    var phase: Located<String>?
    var meterLocation: Located<String>?
    var contexts: Located<[String]>?
    var evse: Located<Int>?
    var connector: Located<Int>?
    var statuses: Located<[String]>?
    var component: Located<String>?
    var variable: Located<String>?
    var vendorID: Located<String>?
    var messageID: Located<String>?
    var transform: [Located<TransformStep>] = []
    /// Where each `map` key was written, for precise messages about unknown statuses.
    var mapKeys: [String: SourceLocation] = [:]
    /// Selector keys written, for checking which apply to the action.
    var selectorKeys: [Located<String>] = []
}

/// Select-before-operate requirement of a control rule.
public enum SelectBeforeOperate: Sendable, Hashable {
    /// Direct execute is accepted.
    case never
    /// Every command needs a select first.
    case always
    /// A select is needed when the change exceeds this amount (in the point's unit) or percentage.
    case aboveChange(Double, percent: Bool)
}

/// A limit on how often commands are accepted.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// Commands allowed per period.
    public var count: Int
    /// The period, seconds.
    public var period: Double

    /// As rule files write it: `6/min`, `1/s`, `100/h`, or `10/30s` for other periods.
    public var description: String {
        switch period {
        case 1: "\(count)/s"
        case 60: "\(count)/min"
        case 3600: "\(count)/h"
        default: "\(count)/\(DecodeContext.format(period))s"
        }
    }
}

/// The charging-profile part of a SetChargingProfile rule as written.
struct ProfileSpec: Sendable {
    var purpose: Located<String>?
    var purposeByVersion: [OCPPVersion: Located<String>] = [:]
    var stackLevel = 0
    var rateUnit: Located<String>?
    var evse: Located<Int>?
}

/// A control rule as written under a point's `command:`.
struct CommandSpec: Sendable {
    var location: SourceLocation
    var action: Located<String>?
    var ocpp: Located<[OCPPVersion]>?
    var range: Located<ClosedRange<Double>>?
    var fullScale: Located<Double>?
    var requireOnline = true
    var sbo = SelectBeforeOperate.never
    var rateLimit: RateLimit?
    var profile: ProfileSpec?
    var profileLocation: SourceLocation?
    var message: Located<String>?
    var resetType: Located<String>?
    var readback: Located<String>?
    var distributeTo: Located<String>?
    var keys: [Located<String>] = []
}

/// A site total as written under `aggregate:`.
struct AggregateSpec: Sendable {
    var location: SourceLocation
    var sum: Located<String>
    var chargers: [Located<String>]?
}

/// A point as written, shared by reference: a template's points are placed once per charger without copying.
@dynamicMemberLookup
final class PointSpec: Sendable {
    let fields: PointFields

    init(_ fields: PointFields) {
        self.fields = fields
    }

    subscript<T>(dynamicMember path: KeyPath<PointFields, T>) -> T {
        fields[keyPath: path]
    }
}

/// The fields of a point as written in a template, charger or site.
struct PointFields: Sendable {
    /// Unique per written point within one load; identifies a template's point across its chargers.
    var serial = 0
    var location: SourceLocation
    var signal: Located<String>
    var offset: Located<Int>?
    var ioa: Located<Int>?
    var type: Located<IECType>
    var evse: Located<Int>?
    var unit: Located<Unit>?
    var description = ""
    var gi: Located<Bool>?
    var groups: [Int] = []
    var counterGroup: Located<Int>?
    var sources: [SourceSpec] = []
    var aggregate: AggregateSpec?
    var staleAfter: Double?
    var onDisconnect = DisconnectQuality.invalidNotTopical
    var command: CommandSpec?
}
