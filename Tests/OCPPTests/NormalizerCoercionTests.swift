import Testing
@testable import OCPP

private typealias F = NormalizerFixture

/// Members of the wrong JSON type outside the sampled values: what legacy chargers quote or leave unquoted.
@Suite("Normalizer: values of the wrong JSON type")
struct NormalizerCoercionTests {
    @Test func quotedWholeNumbersAreReadWithARepair() throws {
        let result = try F.normalized(.v16, "StatusNotification",
                                      #"{"connectorId":"2","errorCode":"NoError","status":"Charging"}"#)
        guard case let .status(report) = try #require(result.events.first) else {
            Issue.record("expected a status event, got \(result.events)")
            return
        }
        #expect(report.evseId == 2)
        #expect(result.repairs == [.init(path: "$.connectorId", repair: .stringWhereNumberBelongs)])
    }

    @Test(arguments: [#""1.5""#, #""one""#, #""""#, #"" 1""#, #""1e3""#, "true"])
    func otherTextWhereAWholeNumberBelongsIsAnError(connector: String) throws {
        let error = try F.failure(.v16, "StatusNotification",
                                  #"{"connectorId":\#(connector),"errorCode":"NoError","status":"Charging"}"#)
        #expect(error.path == "$.connectorId")
    }

    @Test func aNumberWhereAStringBelongsKeepsItsDigits() throws {
        let result = try F.normalized(.v16, "Authorize", #"{"idTag":4711}"#)
        #expect(result.events == [.authorize(idToken: "4711")])
        #expect(result.repairs == [.init(path: "$.idTag", repair: .numberWhereStringBelongs)])
    }

    @Test func errorCodeInTheWrongCaseIsRepaired() throws {
        let result = try F.normalized(.v16, "StatusNotification",
                                      #"{"connectorId":1,"errorCode":"noError","status":"Available"}"#)
        guard case let .status(report) = try #require(result.events.first) else {
            Issue.record("expected a status event, got \(result.events)")
            return
        }
        #expect(report.errorCode == "NoError")
        #expect(result.repairs == [.init(path: "$.errorCode", repair: .enumCase(field: "errorCode", from: "noError", to: "NoError"))])
    }

    @Test func strictModeRefusesEachOfThem() throws {
        let payloads = [
            ("StatusNotification", #"{"connectorId":"2","errorCode":"NoError","status":"Charging"}"#, "$.connectorId"),
            ("Authorize", #"{"idTag":4711}"#, "$.idTag"),
            ("StatusNotification", #"{"connectorId":1,"errorCode":"noError","status":"Available"}"#, "$.errorCode"),
        ]
        for (action, json, path) in payloads {
            let error = try F.failure(.v16, action, json, policy: .strict)
            #expect(error.path == path)
            #expect(error.refusedRepair != nil)
        }
    }
}
