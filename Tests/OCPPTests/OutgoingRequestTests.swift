import Testing
@testable import OCPP

@Suite("Outgoing requests")
struct OutgoingRequestTests {
    static let requests: [OutgoingRequest] = [
        .setChargingProfile(ChargingLimit(evseId: 0, limit: 11_000.04, unit: .watts, purpose: "ChargePointMaxProfile")),
        .setChargingProfile(ChargingLimit(evseId: 1, limit: 16, unit: .amperes, numberPhases: 3,
                                          purpose: "TxDefaultProfile", stackLevel: 2, profileId: 7)),
        .clearChargingProfile(profileId: 7, evseId: nil, purpose: nil, stackLevel: nil),
        .clearChargingProfile(profileId: nil, evseId: 1, purpose: "TxDefaultProfile", stackLevel: 2),
        .getCompositeSchedule(evseId: 1, duration: 600, unit: .watts),
        .triggerMessage("StatusNotification", evseId: 1),
        .triggerMessage("BootNotification", evseId: nil),
    ]

    @Test("Every request is valid against the official schema of both versions")
    func schemaValid() throws {
        for request in Self.requests {
            for version in OCPPVersion.allCases {
                let payload = try #require(request.payload(for: version))
                let schema = try #require(OfficialSchemas.bundled.schema(for: request.action, .request, version: version))
                let violations = schema.validate(.object(payload))
                #expect(violations.isEmpty, "\(request.action) \(version): \(violations)")
            }
        }
        let variables = OutgoingRequest.getVariables([("EVSE", "Power")])
        #expect(variables.payload(for: .v16) == nil)
        let payload = try #require(variables.payload(for: .v201))
        #expect(OfficialSchemas.bundled.schema(for: "GetVariables", .request, version: .v201)?.validate(.object(payload)).isEmpty == true)
    }

    @Test("SetChargingProfile: 1.6 shape with one schedule object, 2.0.1 with a schedule array with an id; limit to 0.1; max-profile purpose named per version")
    func profileShapes() throws {
        let limit = ChargingLimit(evseId: 0, limit: 11_000.04, unit: .watts, purpose: "ChargePointMaxProfile")
        #expect(OutgoingRequest.setChargingProfile(limit).payload(for: .v16)?.serializedText
            == #"{"connectorId":0,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":1,"chargingProfilePurpose":"ChargePointMaxProfile","chargingProfileKind":"Relative","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}}}"#)
        #expect(OutgoingRequest.setChargingProfile(limit).payload(for: .v201)?.serializedText
            == #"{"evseId":0,"chargingProfile":{"id":1,"stackLevel":1,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Relative","chargingSchedule":[{"id":1,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}]}}"#)
    }
}

extension JSONObject {
    /// The object as compact JSON text.
    var serializedText: String { JSONValue.object(self).serialized() }
}
