/// What a charger told the central system, the same for OCPP 1.6 and 2.0.1 and shaped like 2.0.1.
public enum ChargerEvent: Hashable, Sendable {
    /// BootNotification.
    case booted(vendor: String, model: String, serialNumber: String?, firmwareVersion: String?)
    /// Heartbeat.
    case heartbeat
    /// StatusNotification.
    case status(ConnectorStatusReport)
    /// MeterValues.
    case meterValues(MeterValuesReport)
    /// StartTransaction, StopTransaction (1.6) or TransactionEvent (2.0.1).
    case transaction(TransactionEvent)
    /// NotifyEvent (2.0.1): one entry per `eventData` element.
    case notifyEvent([DeviceEvent])
    /// DataTransfer, with `data` exactly as sent (1.6 sends a string that may itself hold JSON).
    case dataTransfer(vendorId: String, messageId: String?, data: JSONValue?)
    /// Authorize.
    case authorize(idToken: String)
    /// SecurityEventNotification.
    case securityEvent(type: String, timestamp: UTCInstant?, info: String?)
}

/// A meter report outside (1.6) or beside (2.0.1) transaction events.
public struct MeterValuesReport: Hashable, Sendable {
    /// The EVSE (1.6: the connector id; 0 is the main meter of the whole charger).
    public var evseId: Int
    /// The transaction the samples belong to, as a string for both versions.
    public var transactionId: String?
    /// The samples in the order sent.
    public var samples: [MeterSample]

    /// Creates a report.
    public init(evseId: Int, transactionId: String? = nil, samples: [MeterSample]) {
        self.evseId = evseId
        self.transactionId = transactionId
        self.samples = samples
    }
}

/// One alert or monitored value from 2.0.1 NotifyEvent.
public struct DeviceEvent: Hashable, Sendable {
    /// The charger's event id.
    public var eventId: Int
    /// The component's name, e.g. `EVSE` or `ChargingStation`.
    public var component: String
    /// The component's instance, if any.
    public var componentInstance: String?
    /// The EVSE the component belongs to, if any.
    public var evseId: Int?
    /// The connector on that EVSE, if any.
    public var connectorId: Int?
    /// The variable's name, e.g. `Problem`.
    public var variable: String
    /// The variable's instance, if any.
    public var variableInstance: String?
    /// The variable's actual value, as sent.
    public var actualValue: String
    /// What triggered the event (`Alerting`, `Delta`, `Periodic`), as sent.
    public var trigger: String
    /// Whether the monitored situation returned to normal (absent means false).
    public var cleared: Bool
    /// When it happened; nil when the charger's timestamp was unusable.
    public var timestamp: UTCInstant?
    /// Technical detail from the component, if any.
    public var techInfo: String?

    /// Creates an event.
    public init(
        eventId: Int, component: String, componentInstance: String? = nil, evseId: Int? = nil,
        connectorId: Int? = nil, variable: String, variableInstance: String? = nil, actualValue: String,
        trigger: String, cleared: Bool = false, timestamp: UTCInstant?, techInfo: String? = nil
    ) {
        self.eventId = eventId
        self.component = component
        self.componentInstance = componentInstance
        self.evseId = evseId
        self.connectorId = connectorId
        self.variable = variable
        self.variableInstance = variableInstance
        self.actualValue = actualValue
        self.trigger = trigger
        self.cleared = cleared
        self.timestamp = timestamp
        self.techInfo = techInfo
    }
}
