/// A connector's state, the union of the 1.6 and 2.0.1 lists (raw values are the wire spellings).
public enum ConnectorStatus: String, Hashable, Sendable, CaseIterable {
    /// Free to use.
    case available = "Available"
    /// 1.6: plugged in or authorized, not yet charging.
    case preparing = "Preparing"
    /// 1.6: energy flows.
    case charging = "Charging"
    /// 1.6: the EV paused charging.
    case suspendedEV = "SuspendedEV"
    /// 1.6: the charger paused charging (e.g. a grid limit of 0).
    case suspendedEVSE = "SuspendedEVSE"
    /// 1.6: the transaction ended, the connector is not free yet.
    case finishing = "Finishing"
    /// Reserved.
    case reserved = "Reserved"
    /// Out of service by command or configuration.
    case unavailable = "Unavailable"
    /// Broken.
    case faulted = "Faulted"
    /// 2.0.1: a cable or vehicle is present.
    case occupied = "Occupied"
    /// A value outside the version's list; the report keeps what was sent in `original`.
    case unknown = "Unknown"

    /// The values OCPP 1.6 defines.
    static let v16: [ConnectorStatus] = [
        .available, .preparing, .charging, .suspendedEVSE, .suspendedEV, .finishing, .reserved, .unavailable, .faulted,
    ]
    /// The values OCPP 2.0.1 defines.
    static let v201: [ConnectorStatus] = [.available, .occupied, .reserved, .unavailable, .faulted]

    /// The values `version` defines.
    static func defined(in version: OCPPVersion) -> [ConnectorStatus] {
        switch version {
        case .v16: v16
        case .v201: v201
        }
    }

    /// The wire spellings of the values 1.6 defines, in the same order.
    private static let spellings16 = StringVocabulary(v16.map(\.rawValue))
    /// The 1.6 `ChargePointErrorCode` values, for StatusNotification's `errorCode`.
    static let errorCodes16 = StringVocabulary([
        "ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature", "InternalError",
        "LocalListConflict", "NoError", "OtherError", "OverCurrentFailure", "PowerMeterFailure", "PowerSwitchFailure",
        "ReaderFailure", "ResetFailure", "UnderVoltage", "OverVoltage", "WeakSignal",
    ])
    /// The wire spellings of the values 2.0.1 defines, in the same order.
    private static let spellings201 = StringVocabulary(v201.map(\.rawValue))

    /// The wire spellings of the values `version` defines, in the order of `defined(in:)`.
    static func vocabulary(in version: OCPPVersion) -> StringVocabulary {
        switch version {
        case .v16: spellings16
        case .v201: spellings201
        }
    }
}

/// One StatusNotification, both versions.
public struct ConnectorStatusReport: Hashable, Sendable {
    /// The EVSE; 0 is the whole charger (1.6 connector 0).
    public var evseId: Int
    /// The connector on the EVSE (1.6 has one connector per EVSE: 1, or 0 for the whole charger).
    public var connectorId: Int
    /// The status, `.unknown` when outside the version's list.
    public var status: ConnectorStatus
    /// The status as sent, so an unknown one can still be shown and logged.
    public var original: String
    /// The 1.6 error code as sent (`NoError`, `GroundFailure`, …); nil in 2.0.1.
    public var errorCode: String?
    /// 1.6 free-text info, if any.
    public var info: String?
    /// 1.6 vendor-specific error code, if any.
    public var vendorErrorCode: String?
    /// When the status changed; nil when absent (optional in 1.6) or unusable.
    public var timestamp: UTCInstant?

    /// Creates a report.
    public init(
        evseId: Int, connectorId: Int, status: ConnectorStatus, original: String, errorCode: String? = nil,
        info: String? = nil, vendorErrorCode: String? = nil, timestamp: UTCInstant? = nil
    ) {
        self.evseId = evseId
        self.connectorId = connectorId
        self.status = status
        self.original = original
        self.errorCode = errorCode
        self.info = info
        self.vendorErrorCode = vendorErrorCode
        self.timestamp = timestamp
    }
}
