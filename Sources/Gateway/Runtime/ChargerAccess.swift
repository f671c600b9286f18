import Foundation
import OCPP

/// What the OCPP side asks about chargers, per identity; replaced as a whole when the rules reload.
public struct ChargerAccess: Sendable {
    /// Admits or refuses a WebSocket handshake.
    public var admission: @Sendable (ChargerHandshake) -> AdmissionDecision
    /// The sanitizer policy of a charger.
    public var sanitizer: @Sendable (String) -> OCPP.SanitizerPolicy
    /// The zone a charger's timestamps without one are read in.
    public var timeZone: @Sendable (String) -> TimeZone?

    /// Creates the answers.
    public init(admission: @escaping @Sendable (ChargerHandshake) -> AdmissionDecision,
                sanitizer: @escaping @Sendable (String) -> OCPP.SanitizerPolicy,
                timeZone: @escaping @Sendable (String) -> TimeZone?) {
        self.admission = admission
        self.sanitizer = sanitizer
        self.timeZone = timeZone
    }
}
