import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// The demo site's limit (`site_limit_kw` at IOA 20) shared over the online chargers' `limit_kw`, and the
/// GetCompositeSchedule refresh before a general interrogation.
@Suite struct DistributionTests {
    let t0 = EngineClock.t0

    func demo(_ chargers: [(String, Rules.OCPPVersion)]) throws -> EngineHarness {
        var harness = EngineHarness(try EngineFixture.defaultGraph())
        for (charger, version) in chargers { harness.connect(charger, version, at: t0) }
        return harness
    }

    /// Each charger's limit in kW from its SetChargingProfile (A back to kW through 230 V × 3 phases).
    func shares(_ outputs: [EngineOutput]) -> [String: Double] {
        var shares: [String: Double] = [:]
        for send in outputs.sends {
            guard let limit = send.request.chargingLimit else { continue }
            shares[send.charger] = limit.unit == .amperes ? limit.limit * 690 / 1000 : limit.limit / 1000
        }
        return shares
    }

    func expectShares(_ outputs: [EngineOutput], _ expected: [String: Double], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let actual = shares(outputs)
        #expect(actual.keys.sorted() == expected.keys.sorted(), sourceLocation: sourceLocation)
        for (charger, share) in expected {
            #expect(abs((actual[charger] ?? -1) - share) < 1e-6, "\(charger)", sourceLocation: sourceLocation)
        }
    }

    @Test func siteLimitIsSharedEquallyCappedAtEachChargersMaximum() throws {
        var h = try demo([("CP001", .v16), ("CP004", .v201), ("CP008", .v201)])
        let outputs = h.engine.command(EngineCommand.float(20, 120, selected: true), ticket: 1, at: t0)
        #expect(outputs.answers.isEmpty)
        // 40 kW each is more than the AC chargers take: 22 + 22, and the DC charger gets the rest.
        expectShares(outputs, ["CP001": 22, "CP004": 22, "CP008": 76])
        let cp001 = try #require(outputs.sends.first { $0.charger == "CP001" }?.request.chargingLimit)
        #expect(cp001.unit == .amperes && cp001.purpose == "TxDefaultProfile")
        let cp008 = try #require(outputs.sends.first { $0.charger == "CP008" }?.request.chargingLimit)
        #expect(cp008.unit == .watts && cp008.purpose == "ChargingStationExternalConstraints")

        // The command is confirmed once every charger accepted; each accepted share moves its read-back.
        var answers: [CommandAnswer] = []
        for (position, send) in outputs.sends.enumerated() {
            let done = h.engine.completed(send.ticket, outcome: .accepted(engineStatus("Accepted")), at: t0 + 1)
            answers += done.answers.map(\.answer)
            #expect(done.answers.isEmpty == (position < outputs.sends.count - 1))
        }
        #expect(answers == [.accepted])
        #expect(h.state(1003)?.value == .float(22))
        #expect(h.state(1303)?.value == .float(22))
        #expect(h.state(1704)?.value == .float(76))
    }

    @Test func smallSiteLimitIsSharedEqually() throws {
        var h = try demo([("CP001", .v16), ("CP004", .v201), ("CP008", .v201)])
        let outputs = h.engine.command(EngineCommand.float(20, 45, selected: true), ticket: 1, at: t0)
        expectShares(outputs, ["CP001": 15, "CP004": 15, "CP008": 15])
    }

    @Test func oneChargerRefusingRefusesTheSiteCommand() throws {
        var h = try demo([("CP004", .v201), ("CP008", .v201)])
        let outputs = h.engine.command(EngineCommand.float(20, 40, selected: true), ticket: 3, at: t0)
        var last: [EngineOutput] = []
        for send in outputs.sends {
            let outcome: RequestOutcome = send.charger == "CP008" ? .rejected(status: "Rejected", engineStatus("Rejected")) : .accepted(engineStatus("Accepted"))
            last = h.engine.completed(send.ticket, outcome: outcome, at: t0 + 1)
        }
        #expect(last.answers.map(\.ticket) == [3])
        let reason = try #require(last.answers.first?.answer.reason)
        #expect(reason.hasPrefix("site_limit_kw 40: "))
        #expect(reason.contains("CP008: the charger answered Rejected"))
        #expect(!reason.contains("CP004"))
    }

    @Test func siteLimitWithNoChargerOnlineIsRefused() throws {
        var h = try demo([])
        let outputs = h.engine.command(EngineCommand.float(20, 40, selected: true), ticket: 1, at: t0)
        #expect(outputs == [.answer(1, .rejected(reason: "site_limit_kw: no online charger takes the limit"))])
    }

    @Test func siteLimitIsSharedAgainWhenChargersComeAndGo() throws {
        var h = try demo([("CP001", .v16), ("CP004", .v201), ("CP008", .v201)])
        let first = h.engine.command(EngineCommand.float(20, 40, selected: true), ticket: 1, at: t0)
        expectShares(first, ["CP001": 40.0 / 3, "CP004": 40.0 / 3, "CP008": 40.0 / 3])
        for send in first.sends { _ = h.engine.completed(send.ticket, outcome: .accepted(engineStatus("Accepted")), at: t0 + 1) }

        let gone = h.disconnect("CP008", at: t0 + 10)
        expectShares(gone, ["CP001": 20, "CP004": 20])
        #expect(gone.answers.isEmpty, "a re-share answers no command")
        // An accepted re-share moves the read-back.
        let cp004 = try #require(gone.sends.first { $0.charger == "CP004" })
        _ = h.engine.completed(cp004.ticket, outcome: .accepted(engineStatus("Accepted")), at: t0 + 11)
        #expect(h.state(1303)?.value == .float(20))

        let back = h.connect("CP008", .v201, at: t0 + 20)
        expectShares(back, ["CP001": 40.0 / 3, "CP004": 40.0 / 3, "CP008": 40.0 / 3])
        #expect(back.sends.filter { $0.request.action == "TriggerMessage" }.map(\.charger) == ["CP008", "CP008"])
    }

    // MARK: - Interrogation refresh

    @Test func interrogationRefreshAsksEveryOnlineChargerInItsRulesUnit() throws {
        var h = try demo([("CP001", .v16), ("CP004", .v201), ("CP005", .v16), ("CP008", .v201)])
        let outputs = h.engine.interrogationRefresh(at: t0 + 5)
        #expect(outputs.sends.map(\.charger) == ["CP001", "CP004", "CP005", "CP008"])
        // CP001's rule sends amperes, the others watts; EVSE 0 is the whole charger.
        #expect(outputs.sends.map(\.request) == [
            .getCompositeSchedule(evseId: 0, duration: 60, unit: .amperes),
            .getCompositeSchedule(evseId: 0, duration: 60, unit: .watts),
            .getCompositeSchedule(evseId: 0, duration: 60, unit: .watts),
            .getCompositeSchedule(evseId: 0, duration: 60, unit: .watts),
        ])
        #expect(outputs.publishes.isEmpty && outputs.answers.isEmpty)
    }

    @Test func acceptedSchedule201MovesTheReadback() throws {
        var h = try demo([("CP004", .v201), ("CP008", .v201)])
        let outputs = h.engine.interrogationRefresh(at: t0 + 5)
        #expect(outputs.sends.map(\.charger) == ["CP004", "CP008"])
        let schedule = try #require(try JSONParser.parse("""
        {"status": "Accepted", "schedule": {"evseId": 0, "duration": 60, "scheduleStart": "2026-11-24T10:00:05Z",
         "chargingRateUnit": "W", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}]}}
        """).objectValue)
        let cp004 = h.engine.completed(outputs.sends[0].ticket, outcome: .accepted(schedule), at: t0 + 6)
        #expect(cp004.publishes(at: 1303) == [PointUpdate(address: 1303, value: .float(11), time: EngineClock.tag(t0 + 6))])
        #expect(cp004.answers.isEmpty)

        // A schedule in another unit than the rule's is not guessed at.
        let amperes = try #require(try JSONParser.parse("""
        {"status": "Accepted", "schedule": {"evseId": 0, "duration": 60, "scheduleStart": "2026-11-24T10:00:05Z",
         "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 32}]}}
        """).objectValue)
        #expect(h.engine.completed(outputs.sends[1].ticket, outcome: .accepted(amperes), at: t0 + 6).isEmpty)
        #expect(h.state(1704)?.value == nil)
    }

    @Test func acceptedSchedule16InAmperesMovesTheReadbackInKilowatts() throws {
        var h = try demo([("CP001", .v16)])
        let outputs = h.engine.interrogationRefresh(at: t0)
        let ticket = try #require(outputs.sends.first?.ticket)
        let schedule = try #require(try JSONParser.parse("""
        {"status": "Accepted", "connectorId": 0, "scheduleStart": "2026-11-24T10:00:00Z",
         "chargingSchedule": {"duration": 60, "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 15.9}]}}
        """).objectValue)
        let answer = h.engine.completed(ticket, outcome: .accepted(schedule), at: t0 + 1)
        // 15.9 A per phase × 230 V × 3 phases = 10.971 kW.
        #expect(answer.publishes(at: 1003).count == 1)
        #expect(engineClose(h.state(1003)?.number, 10.971))
    }

    @Test func refusedScheduleChangesNothing() throws {
        var h = try demo([("CP004", .v201)])
        let outputs = h.engine.interrogationRefresh(at: t0)
        let ticket = try #require(outputs.sends.first?.ticket)
        #expect(h.engine.completed(ticket, outcome: .rejected(status: "Rejected", engineStatus("Rejected")), at: t0 + 1).isEmpty)
        #expect(h.engine.completed(ticket, outcome: .timeout, at: t0 + 1).isEmpty)
    }

    @Test func noRefreshWhenTheSiteDoesNotAskForIt() throws {
        let graph = try EngineFixture.graph(EngineFixture.site("""
        chargers:
          - id: CP1
            ocpp: ["2.0.1"]
            ioa_base: 100
            points:
              - {signal: limit_readback_kw, offset: 0, type: M_ME_NC_1, unit: kW, from: {action: MeterValues, measurand: Power.Offered, transform: [{unit: kW}]}}
              - {signal: limit_kw, offset: 50, type: C_SE_NC_1, unit: kW, command: {action: SetChargingProfile, range: [0, 22], readback: limit_readback_kw}}
        """, refresh: false))
        var h = EngineHarness(graph)
        h.connect("CP1", .v201, at: t0)
        #expect(h.engine.interrogationRefresh(at: t0).isEmpty)
    }
}
