import IEC104
import OCPP

/// An IEC output a test saw: an ASDU the station sent, or its confirmation of a command.
struct IECObservation: Sendable {
    /// What was sent.
    enum Kind: Sendable {
        /// A monitored point's information object; `time` is nil for untimed types.
        case point(PointValue, quality: QualityDescriptor, time: UTCDateTime?)
        /// ACT_CON of a command (with ACT_TERM after a positive execute); `reason` says why it was refused.
        case confirmation(positive: Bool, select: Bool, reason: String?)
    }

    /// The ASDU type.
    var type: TypeID
    /// The information object address.
    var ioa: Int
    /// The cause of transmission (3 spontaneous, 7 ACT_CON, 20 interrogated by station, …).
    var cot: Int
    /// What was sent.
    var kind: Kind
    /// The step whose input produced it.
    var step: Int
}

/// A call the gateway sent to a charger during a test.
struct CallObservation: Sendable {
    /// 1-based, in the order the gateway sent calls in this test.
    var number: Int
    /// The engine's ticket, for its answer.
    var ticket: CallTicket
    /// The charger it went to.
    var charger: String
    /// The request.
    var request: OutgoingRequest
    /// The payload in the charger's version; nil when that version has no such request.
    var payload: JSONObject?
    /// The charger's version when it was sent.
    var version: OCPP.OCPPVersion
    /// When it was sent.
    var sentAt: EngineTime
    /// The step whose input produced it.
    var step: Int
    /// Whether it has been answered (or timed out).
    var answered = false
}
