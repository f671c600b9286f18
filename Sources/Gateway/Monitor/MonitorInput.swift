import OCPP
import Rules

/// One reading a monitor rule may take: where it came from and what it says.
struct Reading: Sendable {
    /// The reading's value; nil when the charger's value could not be read (the point then reports IV).
    var input: ChainInput?
    /// When it was taken (the sample's own timestamp, else the time the message arrived).
    var time: EngineTime
    /// The EVSE it belongs to, if known.
    var evse: Int?
    /// The connector, if known.
    var connector: Int?
}

/// Turning charger readings into rule inputs, shared by both paths.
enum ReadingValue {
    /// A sampled value in `unit` (the rule's source unit): converted when the charger used another unit of the
    /// same dimension (kWh for Wh), nil when it is unreadable or of another dimension.
    static func number(_ sampled: SampledValue, in unit: Rules.Unit?) -> Double? {
        guard let value = sampled.value, value.isFinite else { return nil }
        guard let unit, sampled.unit != unit.symbol else { return value }
        guard let sent = Rules.Unit.named(ruleSymbol(sampled.unit)), let conversion = sent.conversion(to: unit) else {
            return nil
        }
        return value * conversion.scale + conversion.offset
    }

    /// The rules' symbol for a unit as the normalizer names it (only frequency is spelled differently).
    private static func ruleSymbol(_ normalized: String) -> String {
        normalized == "Hertz" ? "Hz" : normalized
    }

    /// Whether a sampled value passes the selector's phase, location and context filters.
    static func passes(_ sampled: SampledValue, _ selector: Selector) -> Bool {
        if let phase = selector.phase {
            if phase == "none" { if sampled.phase != nil { return false } } else if sampled.phase != phase { return false }
        }
        if let location = selector.location, sampled.location != location { return false }
        if !selector.contexts.isEmpty, !selector.contexts.contains(sampled.context) { return false }
        return true
    }

    /// Whether a message's EVSE and connector pass the selector. In 1.6, connector n is EVSE n: callers pass the
    /// EVSE as the connector for 1.6 messages.
    static func passes(evse: Int?, connector: Int?, _ selector: Selector) -> Bool {
        if let wanted = selector.evse, wanted != evse { return false }
        if let wanted = selector.connector, wanted != connector { return false }
        return true
    }

    /// The seconds of an OCPP timestamp, or `fallback` when the charger's was unusable.
    static func time(_ instant: UTCInstant?, fallback: EngineTime) -> EngineTime {
        instant.map { Double($0.millisecondsSince1970) / 1000 } ?? fallback
    }

    /// A vendor DataTransfer alarm is cleared when its data says so (`{"cleared": true}`, `{"state": "cleared"}` or
    /// the text `cleared`, the JSON possibly inside a string as 1.6 sends it); anything else raises it.
    static func eventKey(_ data: JSONValue?) -> String {
        var value = data
        if case let .string(text)? = data, let parsed = try? JSONParser.parse(text) { value = parsed }
        switch value {
        case let .string(text)?: return text.lowercased() == "cleared" ? "cleared" : "raised"
        case let .object(object)?:
            if object["cleared"]?.boolValue == true { return "cleared" }
            if object["state"]?.stringValue?.lowercased() == "cleared" { return "cleared" }
            return "raised"
        default: return "raised"
        }
    }
}
