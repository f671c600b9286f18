import IEC104
import OCPP

/// Identifies a request the engine asked the runtime to send to a charger.
public typealias CallTicket = UInt64

/// Identifies a command the station handed to the engine; the runtime chooses it.
public typealias CommandTicket = UInt64

/// What the engine asks the runtime to do after an input.
public enum EngineOutput: Hashable, Sendable {
    /// Publish a point update to the IEC 104 station.
    case publish(PointUpdate)
    /// Send a request to a charger and report its outcome with `GatewayEngine.completed(_:outcome:at:)`.
    indirect case send(CallTicket, charger: String, OutgoingRequest)
    /// Answer a command the station is waiting on.
    case answer(CommandTicket, CommandAnswer)
}

/// Seconds since 1970-01-01 UTC: the engine's clock, given with every input so replays are deterministic.
public typealias EngineTime = Double

extension EngineTime {
    /// The IEC 104 time tag of this instant.
    var dateTime: UTCDateTime { UTCDateTime(millisecondsSince1970: Int64((self * 1000).rounded())) }
}
