/// One EVSE of a charger.
public struct EVSE: Sendable, Hashable {
    /// EVSE id, from 1.
    public var id: Int
    /// Number of connectors.
    public var connectors: Int
}

/// Electrical data of a charger; every field may be left to the template.
public struct Electrical: Sendable, Hashable {
    /// 1 or 3.
    public var phases: Int?
    /// Phase-to-neutral voltage, V.
    public var nominalVoltage: Double?
    /// Maximum current per phase, A.
    public var maxCurrentA: Double?
    /// Maximum power, kW.
    public var maxPowerKW: Double?

    /// Fields of `override` win, the rest come from `self`.
    func overridden(by override: Electrical) -> Electrical {
        Electrical(
            phases: override.phases ?? phases,
            nominalVoltage: override.nominalVoltage ?? nominalVoltage,
            maxCurrentA: override.maxCurrentA ?? maxCurrentA,
            maxPowerKW: override.maxPowerKW ?? maxPowerKW
        )
    }
}

/// What templates and chargers share.
struct ChargerBody: Sendable {
    var description: String?
    var ocpp: Located<[OCPPVersion]>?
    var evses: Located<[EVSE]>?
    var electrical: Electrical?
    var electricalLocation: SourceLocation?
    var sanitizer: SanitizerPolicy?
    var securityProfile: Int?
    var timezone: String?
    var points: [PointSpec] = []
}

/// A template as written.
struct TemplateSpec: Sendable {
    var name: Located<String>
    var body: ChargerBody
}

/// A charger, or a numbered range of chargers, as written.
struct ChargerSpec: Sendable {
    var location: SourceLocation
    var id: Located<String>
    var count: Located<Int>?
    var first = 1
    var template: Located<String>?
    var ioaBase: Located<Int>?
    var ioaStride: Located<Int>?
    var commonAddress: Located<Int>?
    var credentials: Located<String>?
    var body: ChargerBody
}

/// What one file contributes to a site.
struct Fragment: Sendable {
    var file: String
    var includes: [Located<String>] = []
    var station: Station?
    var ocpp: CentralSystem?
    var siteName: String?
    var rootOnlyKeys: [Located<String>] = []
    var templates: [TemplateSpec] = []
    var chargers: [ChargerSpec] = []
    var sitePoints: [PointSpec] = []
    /// False when YAML itself could not be read.
    var readable = true
}
