/// The unit of a charging limit.
public enum ChargingRateUnit: String, Hashable, Sendable {
    /// Watts, the whole charger.
    case watts = "W"
    /// Amperes per phase.
    case amperes = "A"
}

/// A power or current limit for one EVSE (0 = the whole charger), sent as a charging profile.
public struct ChargingLimit: Hashable, Sendable {
    /// The EVSE (1.6: connector); 0 addresses the whole charger.
    public var evseId: Int
    /// The limit in `unit`; 1.6 takes multiples of 0.1, so it is rounded to one decimal.
    public var limit: Double
    /// W or A.
    public var unit: ChargingRateUnit
    /// Phases the limit assumes (for A), or nil.
    public var numberPhases: Int?
    /// The profile purpose; ChargePointMaxProfile (1.6) and ChargingStationMaxProfile (2.0.1) are translated.
    public var purpose: String
    /// The stack level.
    public var stackLevel: Int
    /// The profile id (a later profile with the same id replaces it).
    public var profileId: Int

    /// Creates a limit.
    public init(evseId: Int, limit: Double, unit: ChargingRateUnit, numberPhases: Int? = nil, purpose: String,
                stackLevel: Int = 1, profileId: Int = 1) {
        self.evseId = evseId
        self.limit = limit
        self.unit = unit
        self.numberPhases = numberPhases
        self.purpose = purpose
        self.stackLevel = stackLevel
        self.profileId = profileId
    }
}

/// A request the central system sends, written in each version's own shape.
public enum OutgoingRequest: Hashable, Sendable {
    /// SetChargingProfile with one relative schedule period holding the limit.
    case setChargingProfile(ChargingLimit)
    /// ClearChargingProfile by id, or by EVSE, purpose and stack level (nil = any).
    case clearChargingProfile(profileId: Int?, evseId: Int?, purpose: String?, stackLevel: Int?)
    /// GetCompositeSchedule of one EVSE for `duration` seconds.
    case getCompositeSchedule(evseId: Int, duration: Int, unit: ChargingRateUnit?)
    /// TriggerMessage for a message (e.g. StatusNotification, MeterValues), optionally for one EVSE.
    case triggerMessage(String, evseId: Int?)
    /// GetVariables (2.0.1 only): component and variable names.
    case getVariables([(component: String, variable: String)])
    /// ChangeAvailability of the whole charger (evse nil or 0) or one EVSE: Operative or Inoperative.
    case changeAvailability(operative: Bool, evseId: Int?)
    /// Reset of the given type (1.6 `Soft`/`Hard`, 2.0.1 `Immediate`/`OnIdle`).
    case reset(type: String)

    /// The OCPP action.
    public var action: String {
        switch self {
        case .setChargingProfile: "SetChargingProfile"
        case .clearChargingProfile: "ClearChargingProfile"
        case .getCompositeSchedule: "GetCompositeSchedule"
        case .triggerMessage: "TriggerMessage"
        case .getVariables: "GetVariables"
        case .changeAvailability: "ChangeAvailability"
        case .reset: "Reset"
        }
    }

    /// The payload in `version`'s shape, or nil when the version has no such request.
    public func payload(for version: OCPPVersion) -> JSONObject? {
        switch (self, version) {
        case let (.setChargingProfile(limit), _):
            return Self.chargingProfile(limit, version: version)
        case let (.clearChargingProfile(id, evse, purpose, stackLevel), .v16):
            return JSONObject.compact(["id": id.map(Self.number), "connectorId": evse.map(Self.number),
                                       "chargingProfilePurpose": purpose.map { .string(Self.purpose($0, for: version)) },
                                       "stackLevel": stackLevel.map(Self.number)])
        case let (.clearChargingProfile(id, evse, purpose, stackLevel), .v201):
            let criteria = JSONObject.compact(["evseId": evse.map(Self.number),
                                               "chargingProfilePurpose": purpose.map { .string(Self.purpose($0, for: version)) },
                                               "stackLevel": stackLevel.map(Self.number)])
            return JSONObject.compact(["chargingProfileId": id.map(Self.number),
                                       "chargingProfileCriteria": criteria.count > 0 ? .object(criteria) : nil])
        case let (.getCompositeSchedule(evse, duration, unit), _):
            return JSONObject.compact([version == .v16 ? "connectorId" : "evseId": Self.number(evse),
                                       "duration": Self.number(duration),
                                       "chargingRateUnit": unit.map { .string($0.rawValue) }])
        case let (.triggerMessage(message, evse), .v16):
            return JSONObject.compact(["requestedMessage": .string(message), "connectorId": evse.map(Self.number)])
        case let (.triggerMessage(message, evse), .v201):
            return JSONObject.compact(["requestedMessage": .string(message),
                                       "evse": evse.map { .object(JSONObject(["id": Self.number($0)])) }])
        case (.getVariables, .v16):
            return nil
        case let (.changeAvailability(operative, evse), .v16):
            return JSONObject(["connectorId": Self.number(evse ?? 0),
                               "type": .string(operative ? "Operative" : "Inoperative")])
        case let (.changeAvailability(operative, evse), .v201):
            return JSONObject.compact(["operationalStatus": .string(operative ? "Operative" : "Inoperative"),
                                       "evse": evse.flatMap { $0 == 0 ? nil : .object(JSONObject(["id": Self.number($0)])) }])
        case let (.reset(type), _):
            return JSONObject(["type": .string(type)])
        case let (.getVariables(pairs), .v201):
            let data: [JSONValue] = pairs.map { pair in
                .object(JSONObject(["component": .object(JSONObject(["name": .string(pair.component)])),
                                    "variable": .object(JSONObject(["name": .string(pair.variable)]))]))
            }
            return JSONObject(["getVariableData": .array(data)])
        }
    }

    private static func chargingProfile(_ limit: ChargingLimit, version: OCPPVersion) -> JSONObject {
        // One decimal: 1.6 requires multiples of 0.1, and no charger resolves a finer limit.
        let rounded = (limit.limit * 10).rounded() / 10
        let period = JSONObject.compact(["startPeriod": number(0), "limit": .number(JSONNumber(rounded)),
                                         "numberPhases": limit.numberPhases.map(number)])
        var schedule = JSONObject.compact(["chargingRateUnit": .string(limit.unit.rawValue),
                                           "chargingSchedulePeriod": .array([.object(period)])])
        var profile = JSONObject()
        switch version {
        case .v16:
            profile["chargingProfileId"] = number(limit.profileId)
        case .v201:
            profile["id"] = number(limit.profileId)
            schedule = JSONObject.compact(["id": number(limit.profileId)]).merging(schedule)
        }
        profile["stackLevel"] = number(limit.stackLevel)
        profile["chargingProfilePurpose"] = .string(Self.purpose(limit.purpose, for: version))
        profile["chargingProfileKind"] = .string("Relative")
        switch version {
        case .v16:
            profile["chargingSchedule"] = .object(schedule)
            return JSONObject(["connectorId": number(limit.evseId), "csChargingProfiles": .object(profile)])
        case .v201:
            profile["chargingSchedule"] = .array([.object(schedule)])
            return JSONObject(["evseId": number(limit.evseId), "chargingProfile": .object(profile)])
        }
    }

    private static func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// The charger-wide maximum profile is named per version; every other purpose is spelled alike.
    static func purpose(_ purpose: String, for version: OCPPVersion) -> String {
        switch (purpose, version) {
        case ("ChargingStationMaxProfile", .v16): "ChargePointMaxProfile"
        case ("ChargePointMaxProfile", .v201): "ChargingStationMaxProfile"
        default: purpose
        }
    }
}

extension OutgoingRequest {
    /// Equality by action and payload shape, since tuples in `getVariables` are not Hashable by themselves.
    public static func == (lhs: OutgoingRequest, rhs: OutgoingRequest) -> Bool {
        lhs.payload(for: .v201) == rhs.payload(for: .v201) && lhs.payload(for: .v16) == rhs.payload(for: .v16)
            && lhs.action == rhs.action
    }

    /// Hashes the action and the 2.0.1 payload.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(action)
        hasher.combine(payload(for: .v201))
    }
}

extension JSONObject {
    /// An object of the members that are not nil, in the order given.
    static func compact(_ members: KeyValuePairs<String, JSONValue?>) -> JSONObject {
        var object = JSONObject()
        for (key, value) in members { if let value { object[key] = value } }
        return object
    }

    /// This object followed by `other`'s members.
    func merging(_ other: JSONObject) -> JSONObject {
        var merged = self
        for (key, value) in other.members { merged[key] = value }
        return merged
    }
}
