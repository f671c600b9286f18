/// What the sanitizer did to one value a charger sent, named so the runtime can count each kind.
///
/// Repairs keep the charger's meaning (`"14,4"` is 14.4); notes mark a value it could not read, which is then
/// nil and never invented. In strict mode every one of them rejects the message instead.
public enum ValueRepair: Hashable, Sendable {
    /// 1.6 `value` sent as a JSON number instead of a string; the number was taken.
    case numberWhereStringBelongs
    /// A number sent as a string (2.0.1 `value`, 1.6 ids and meter registers); the string was read as a decimal.
    case stringWhereNumberBelongs
    /// The value carried its unit (`"14.4kW"`); the number and this (normalized) unit were taken from it.
    case unitInsideValue(String)
    /// A decimal comma (`"14,4"`) was read as a decimal point.
    case decimalComma
    /// Whitespace around a number was ignored.
    case surroundingWhitespace
    /// A unit in another spelling or case, replaced by the standard one (`Celcius` → `Celsius`, `kw` → `kW`).
    case unitSpelling(from: String, to: String)
    /// A measurand in the wrong case, replaced by the standard one.
    case measurandCase(from: String, to: String)
    /// Another enumerated value (status, context, location, phase, event type) in the wrong case.
    case enumCase(field: String, from: String, to: String)
    /// `meterValue` sent as one object instead of an array; read as a one-element array.
    case objectWhereArrayBelongs
    /// An optional member sent as `null`; treated as absent.
    case nullWhereValueBelongs
    /// `transactionId: null`; the transaction is unknown (the event's `transactionId` is nil).
    case nullTransactionId
    /// A CALL sent again with the id of one already answered (a retransmission): answered again, not redone.
    case duplicateMessageId(String)
    /// Note: the value is not a number (empty, `NaN`, `inf`, garbage, unknown unit inside); it is nil.
    case unreadableValue(String)
    /// Note: the unit inside the value disagrees with the declared unit; the value is nil, never guessed.
    case unitConflict(inValue: String, declared: String)
    /// Note: a unit outside the version's list, kept as sent.
    case unknownUnit(String)
    /// Note: a measurand outside the known lists, kept as sent.
    case unknownMeasurand(String)
    /// Note: an enumerated value outside the version's list (e.g. a status), kept as sent.
    case unknownEnumValue(field: String, value: String)
    /// Note: a timestamp without a zone; it is nil because the zone is never guessed.
    case timestampWithoutZone(String)
    /// A timestamp without a zone, read in the charger's configured zone.
    case zoneAssumed(String, zone: String)
    /// Note: a timestamp that is no real date or time; it is nil.
    case impossibleTimestamp(String)
    /// Note: a timestamp that is not RFC 3339 at all; it is nil.
    case unreadableTimestamp(String)

    /// A stable name for counters and logs, without the associated values.
    public var name: String {
        switch self {
        case .numberWhereStringBelongs: "numberWhereStringBelongs"
        case .stringWhereNumberBelongs: "stringWhereNumberBelongs"
        case .unitInsideValue: "unitInsideValue"
        case .decimalComma: "decimalComma"
        case .surroundingWhitespace: "surroundingWhitespace"
        case .unitSpelling: "unitSpelling"
        case .measurandCase: "measurandCase"
        case .enumCase: "enumCase"
        case .objectWhereArrayBelongs: "objectWhereArrayBelongs"
        case .nullWhereValueBelongs: "nullWhereValueBelongs"
        case .nullTransactionId: "nullTransactionId"
        case .duplicateMessageId: "duplicateMessageId"
        case .unreadableValue: "unreadableValue"
        case .unitConflict: "unitConflict"
        case .unknownUnit: "unknownUnit"
        case .unknownMeasurand: "unknownMeasurand"
        case .unknownEnumValue: "unknownEnumValue"
        case .timestampWithoutZone: "timestampWithoutZone"
        case .zoneAssumed: "zoneAssumed"
        case .impossibleTimestamp: "impossibleTimestamp"
        case .unreadableTimestamp: "unreadableTimestamp"
        }
    }

    /// Whether the value was dropped (nil) rather than repaired.
    public var dropsValue: Bool {
        switch self {
        case .unreadableValue, .unitConflict, .timestampWithoutZone, .impossibleTimestamp, .unreadableTimestamp,
            .nullTransactionId:
            true
        default: false
        }
    }

    /// The note for a timestamp problem.
    static func timestamp(_ problem: TimestampProblem, _ text: String) -> ValueRepair {
        switch problem {
        case .withoutZone: .timestampWithoutZone(text)
        case .impossible: .impossibleTimestamp(text)
        case .unreadable: .unreadableTimestamp(text)
        }
    }
}

/// How much the normalizer forgives.
public enum SanitizerPolicy: Hashable, Sendable {
    /// Any value that needs a repair (or cannot be read) rejects the message with its JSON path.
    case strict
    /// Known charger mistakes are repaired and recorded; unreadable values become nil and are recorded.
    case lenient
}

/// The events one CALL carried and what was repaired to read them.
public struct NormalizedCall: Hashable, Sendable {
    /// One repair and where it was made.
    public struct Repair: Hashable, Sendable {
        /// The JSON path of the repaired value, e.g. `$.meterValue[0].sampledValue[0].value`.
        public var path: String
        /// What was done.
        public var repair: ValueRepair

        /// Creates a record.
        public init(path: String, repair: ValueRepair) {
            self.path = path
            self.repair = repair
        }
    }

    /// The events, usually one; empty for actions that carry none.
    public var events: [ChargerEvent]
    /// Every repair and note, in payload order.
    public var repairs: [Repair]

    /// Creates a result.
    public init(events: [ChargerEvent], repairs: [Repair] = []) {
        self.events = events
        self.repairs = repairs
    }
}

/// Why a payload could not be normalized: a wrong type or missing member, or (strict) a value needing repair.
public struct NormalizationError: Error, Hashable, Sendable {
    /// The JSON path of the offending value.
    public var path: String
    /// What is wrong, for the CALLERROR description and logs.
    public var message: String
    /// In strict mode, the repair that was refused.
    public var refusedRepair: ValueRepair?

    /// Creates an error.
    public init(path: String, message: String, refusedRepair: ValueRepair? = nil) {
        self.path = path
        self.message = message
        self.refusedRepair = refusedRepair
    }
}
