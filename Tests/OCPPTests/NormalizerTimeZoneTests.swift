import Foundation
import Testing
@testable import OCPP

@Suite("Normalizer: timestamps without a zone read in the charger's zone")
struct NormalizerTimeZoneTests {
    func sampleTime(_ timestamp: String, zone: TimeZone?, policy: SanitizerPolicy = .lenient) throws
        -> (instant: UTCInstant?, repairs: [String]) {
        let payload = try #require(JSONParser.parse(#"{"connectorId":1,"meterValue":[{"timestamp":"\#(timestamp)","sampledValue":[{"value":"1"}]}]}"#).objectValue)
        let call = IncomingCall(identity: "CP", version: .v16, id: "1", action: "MeterValues", payload: payload)
        let normalized = try Normalizer.normalize(call, policy: policy, timeZone: zone).get()
        guard case let .meterValues(report)? = normalized.events.first else {
            Issue.record("expected meter values")
            return (nil, [])
        }
        return (report.samples.first?.timestamp, normalized.repairs.map(\.repair.name))
    }

    @Test("Summer and winter local times in Europe/Berlin become the right UTC instants, with a repair")
    func berlin() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let summer = try sampleTime("2026-07-01T12:00:00", zone: berlin)
        #expect(summer.instant?.millisecondsSince1970 == UTCInstant(rfc3339: "2026-07-01T10:00:00Z")?.millisecondsSince1970)
        #expect(summer.repairs == ["zoneAssumed"])
        let winter = try sampleTime("2026-01-15T12:00:00.250", zone: berlin)
        #expect(winter.instant?.millisecondsSince1970 == UTCInstant(rfc3339: "2026-01-15T11:00:00.250Z")?.millisecondsSince1970)
    }

    @Test("Without a configured zone the timestamp stays unknown; strict mode refuses to assume one")
    func noZone() throws {
        let unknown = try sampleTime("2026-07-01T12:00:00", zone: nil)
        #expect(unknown.instant == nil)
        #expect(unknown.repairs == ["timestampWithoutZone"])
        let payload = try #require(JSONParser.parse(#"{"connectorId":1,"meterValue":[{"timestamp":"2026-07-01T12:00:00","sampledValue":[{"value":"1"}]}]}"#).objectValue)
        let call = IncomingCall(identity: "CP", version: .v16, id: "1", action: "MeterValues", payload: payload)
        guard case let .failure(error) = Normalizer.normalize(call, policy: .strict, timeZone: TimeZone(identifier: "UTC")) else {
            Issue.record("strict mode must refuse")
            return
        }
        #expect(error.path == "$.meterValue[0].timestamp")
    }
}
