/// A transaction's start, update or end, both versions, shaped like 2.0.1 TransactionEvent.
public struct TransactionEvent: Hashable, Sendable {
    /// Where in its life the transaction is.
    public enum Kind: String, Hashable, Sendable {
        /// 1.6 StartTransaction, 2.0.1 `Started`.
        case started = "Started"
        /// 2.0.1 `Updated`.
        case updated = "Updated"
        /// 1.6 StopTransaction, 2.0.1 `Ended`.
        case ended = "Ended"
    }

    /// Started, updated or ended.
    public var kind: Kind
    /// The transaction id as a string; for 1.6 StartTransaction the id the central system assigned; nil if unknown.
    public var transactionId: String?
    /// The EVSE, when the message names it (1.6 StopTransaction does not).
    public var evseId: Int?
    /// The connector on the EVSE, when known.
    public var connectorId: Int?
    /// The id token (1.6 `idTag`, 2.0.1 `idToken.idToken`), if sent.
    public var idToken: String?
    /// 1.6 `meterStart` / `meterStop` in Wh; nil in 2.0.1, whose registers ride in `samples`.
    public var meterWh: Double?
    /// Why the transaction stopped (1.6 `reason`, 2.0.1 `stoppedReason`; `Local` when an end omits it).
    public var stopReason: String?
    /// 2.0.1 `triggerReason`, as sent.
    public var triggerReason: String?
    /// 2.0.1 `chargingState`, as sent.
    public var chargingState: String?
    /// 2.0.1 sequence number.
    public var seqNo: Int?
    /// 2.0.1 `offline`: the event was stored while the charger was offline (a backlog replay).
    public var offline: Bool
    /// Meter samples (2.0.1 `meterValue`, 1.6 StopTransaction `transactionData`).
    public var samples: [MeterSample]
    /// When it happened; nil when the charger's timestamp was unusable.
    public var timestamp: UTCInstant?

    /// Creates an event.
    public init(
        kind: Kind, transactionId: String?, evseId: Int? = nil, connectorId: Int? = nil, idToken: String? = nil,
        meterWh: Double? = nil, stopReason: String? = nil, triggerReason: String? = nil, chargingState: String? = nil,
        seqNo: Int? = nil, offline: Bool = false, samples: [MeterSample] = [], timestamp: UTCInstant?
    ) {
        self.kind = kind
        self.transactionId = transactionId
        self.evseId = evseId
        self.connectorId = connectorId
        self.idToken = idToken
        self.meterWh = meterWh
        self.stopReason = stopReason
        self.triggerReason = triggerReason
        self.chargingState = chargingState
        self.seqNo = seqNo
        self.offline = offline
        self.samples = samples
        self.timestamp = timestamp
    }
}
