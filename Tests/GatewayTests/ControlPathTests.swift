import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// SCADA commands → preconditions → OCPP requests → answers. The demo site: CP001 limit_kw at 1050 (1.6, in A),
/// CP004 limit_kw at 1350 (C_SE_NB_1, in W), CP008 limit_kw at 1750 and `available` at 1751; all with
/// `range: [0, MAX]` and `select_before_operate: {above_change: 20%}`.
@Suite struct ControlPathTests {
    let t0 = EngineClock.t0

    func demo(_ chargers: [(String, Rules.OCPPVersion)]) throws -> EngineHarness {
        var harness = EngineHarness(try EngineFixture.defaultGraph())
        for (charger, version) in chargers { harness.connect(charger, version, at: t0) }
        return harness
    }

    // MARK: - Preconditions

    @Test func valueOutsideTheRangeIsRefused() throws {
        var h = try demo([("CP004", .v201)])
        let outputs = h.engine.command(EngineCommand.scaled(1350, 30, selected: true), ticket: 1, at: t0)
        #expect(outputs == [.answer(1, .rejected(reason: "limit_kw at 1/1350: value 30 outside the range 0…22"))])
        let negative = h.engine.command(EngineCommand.scaled(1350, -1, selected: true), ticket: 2, at: t0)
        #expect(negative.answers.first?.answer.reason?.contains("outside the range") == true)
    }

    @Test func offlineChargerIsRefused() throws {
        var h = try demo([])
        let outputs = h.engine.command(EngineCommand.scaled(1350, 20), ticket: 1, at: t0)
        #expect(outputs == [.answer(1, .rejected(reason: "limit_kw at 1/1350: charger CP004 is offline"))])
    }

    @Test func commandsAtUnknownOrWrongPointsAreRefused() throws {
        var h = try demo([("CP004", .v201)])
        let nowhere = h.engine.command(EngineCommand.scaled(4242, 1), ticket: 1, at: t0)
        #expect(nowhere == [.answer(1, .rejected(reason: "no point at 1/4242"))])
        let monitor = h.engine.command(EngineCommand.scaled(1300, 1), ticket: 2, at: t0)
        #expect(monitor.answers.first?.answer.reason?.contains("is not a command point") == true)
        let wrongType = h.engine.command(EngineCommand.float(1350, 20), ticket: 3, at: t0)
        #expect(wrongType.answers.first?.answer.reason?.contains("takes C_SE_NB_1") == true)
        #expect(nowhere.sends.isEmpty && monitor.sends.isEmpty && wrongType.sends.isEmpty)
    }

    @Test func largeChangeNeedsASelectionFirst() throws {
        var h = try demo([("CP004", .v201)])
        // Before any limit the reference is the range's maximum, 22 kW; 20 % of it is 4.4 kW.
        let direct = h.engine.command(EngineCommand.scaled(1350, 10), ticket: 1, at: t0)
        #expect(direct == [.answer(1, .rejected(reason: "limit_kw at 1/1350: a change from 22 to 10 exceeds 20%: select before operate"))])
        let select = h.engine.command(EngineCommand.scaled(1350, 10, .select), ticket: 2, at: t0)
        #expect(select == [.answer(2, .accepted)], "a select is answered at once and sends nothing")
        let execute = h.engine.command(EngineCommand.scaled(1350, 10, selected: true), ticket: 3, at: t0 + 1)
        #expect(execute.answers.isEmpty, "the answer waits for the charger")
        #expect(execute.sends.map(\.charger) == ["CP004"])
        #expect(execute.sends.first?.request.chargingLimit?.limit == 10_000)
    }

    @Test func smallChangeGoesStraightThrough() throws {
        var h = try demo([("CP004", .v201)])
        let outputs = h.engine.command(EngineCommand.scaled(1350, 18), ticket: 1, at: t0)
        #expect(outputs.sends.count == 1)
        #expect(outputs.answers.isEmpty)
    }

    @Test func thresholdFollowsTheLastAcceptedLimitOnly() throws {
        var h = try demo([("CP004", .v201)])
        // 18 kW is accepted by the rule (4 ≤ 4.4) but refused by the charger: the reference stays 22.
        let refused = h.engine.command(EngineCommand.scaled(1350, 18), ticket: 1, at: t0)
        let ticket = try #require(refused.sends.first?.ticket)
        _ = h.engine.completed(ticket, outcome: .rejected(status: "Rejected", engineStatus("Rejected")), at: t0 + 1)
        let afterRefusal = h.engine.command(EngineCommand.scaled(1350, 15), ticket: 2, at: t0 + 2)
        #expect(afterRefusal.answers.first?.answer.reason?.contains("a change from 22 to 15") == true)
        // Accepted: now 18 is the reference and 15 (3 ≤ 3.6) goes straight through.
        let accepted = h.engine.command(EngineCommand.scaled(1350, 18), ticket: 3, at: t0 + 3)
        _ = h.engine.completed(try #require(accepted.sends.first?.ticket), outcome: .accepted(engineStatus("Accepted")), at: t0 + 4)
        let afterAcceptance = h.engine.command(EngineCommand.scaled(1350, 15), ticket: 4, at: t0 + 5)
        #expect(afterAcceptance.answers.isEmpty)
        #expect(afterAcceptance.sends.first?.request.chargingLimit?.limit == 15_000)
    }

    // MARK: - Rate limit, always-select, binary commands

    static let smallSite = EngineFixture.site("""
    chargers:
      - id: CP1
        ocpp: ["2.0.1"]
        ioa_base: 100
        electrical: {phases: 3, nominal_voltage: 230, max_power_kw: 22}
        points:
          - {signal: limit_kw, offset: 50, type: C_SE_NC_1, unit: kW, command: {action: SetChargingProfile, range: [0, 22], rate_limit: 2/min}}
          - {signal: enable, offset: 51, type: C_SC_NA_1, command: {action: ChangeAvailability, select_before_operate: always}}
          - {signal: reboot, offset: 52, type: C_SC_NA_1, command: {action: Reset, require_online: false}}
    """)

    @Test func rateLimitRefusesCommandsAboveIt() throws {
        var h = EngineHarness(try EngineFixture.graph(Self.smallSite))
        h.connect("CP1", .v201, at: t0)
        #expect(h.engine.command(EngineCommand.float(150, 10), ticket: 1, at: t0).sends.count == 1)
        #expect(h.engine.command(EngineCommand.float(150, 11), ticket: 2, at: t0 + 1).sends.count == 1)
        let third = h.engine.command(EngineCommand.float(150, 12), ticket: 3, at: t0 + 2)
        #expect(third == [.answer(3, .rejected(reason: "limit_kw at 1/150: rate limit 2/min reached"))])
        // A select is not an execute: it is not counted and not refused.
        #expect(h.engine.command(EngineCommand.float(150, 12, .select), ticket: 4, at: t0 + 3) == [.answer(4, .accepted)])
        // Once the first execute is a minute old, one more fits.
        #expect(h.engine.command(EngineCommand.float(150, 12), ticket: 5, at: t0 + 60).sends.count == 1)
        #expect(h.engine.command(EngineCommand.float(150, 13), ticket: 6, at: t0 + 60.5).answers.first?.answer.reason != nil)
    }

    @Test func alwaysSelectRefusesADirectExecute() throws {
        var h = EngineHarness(try EngineFixture.graph(Self.smallSite))
        h.connect("CP1", .v201, at: t0)
        let direct = h.engine.command(EngineCommand.single(151, true), ticket: 1, at: t0)
        #expect(direct == [.answer(1, .rejected(reason: "enable at 1/151: select-before-operate required"))])
        let selected = h.engine.command(EngineCommand.single(151, false, selected: true), ticket: 2, at: t0)
        #expect(selected.sends.map(\.request) == [.changeAvailability(operative: false, evseId: nil)])
        #expect(selected.sends.first?.request.payload(for: .v201) == JSONObject(["operationalStatus": .string("Inoperative")]))
    }

    @Test func commandWithoutRequireOnlineGoesOutAndADisconnectedAnswerRefusesIt() throws {
        var h = EngineHarness(try EngineFixture.graph(Self.smallSite))
        let outputs = h.engine.command(EngineCommand.single(152, true), ticket: 9, at: t0)
        #expect(outputs.sends.map(\.request) == [.reset(type: "OnIdle")])
        let ticket = try #require(outputs.sends.first?.ticket)
        let answer = h.engine.completed(ticket, outcome: .disconnected, at: t0 + 1)
        #expect(answer == [.answer(9, .rejected(reason: "reboot 1: CP1: the charger is not connected"))])
        // "off" on a reset point has nothing to send.
        let off = h.engine.command(EngineCommand.single(152, false), ticket: 10, at: t0 + 2)
        #expect(off.answers.first?.answer.reason?.contains("nothing to send") == true)
    }

    @Test func changeAvailabilityOnTheDemoDCCharger() throws {
        var h = try demo([("CP008", .v201)])
        let outputs = h.engine.command(EngineCommand.single(1751, true), ticket: 4, at: t0)
        #expect(outputs.sends.map(\.request) == [.changeAvailability(operative: true, evseId: nil)])
        let ticket = try #require(outputs.sends.first?.ticket)
        // Scheduled counts as done: it takes effect after the running session.
        #expect(h.engine.completed(ticket, outcome: .rejected(status: "Scheduled", engineStatus("Scheduled")), at: t0 + 1)
            == [.answer(4, .accepted)])
    }

    // MARK: - SetChargingProfile payloads

    @Test func setChargingProfile16InAmperesPerPhase() throws {
        var h = try demo([("CP001", .v16)])
        let outputs = h.engine.command(EngineCommand.float(1050, 11, selected: true), ticket: 1, at: t0)
        let send = try #require(outputs.sends.first)
        #expect(send.charger == "CP001")
        let limit = try #require(send.request.chargingLimit)
        // 11 kW over 230 V × 3 phases = 15.94 A per phase.
        #expect(abs(limit.limit - 11_000.0 / 690) < 1e-9)
        #expect(limit.unit == .amperes)
        #expect(limit.numberPhases == 3)
        #expect(limit.purpose == "TxDefaultProfile")
        #expect(limit.stackLevel == 1)
        #expect(limit.evseId == 0)
        let payload = send.request.payload(for: .v16)
        #expect(engineJSON(payload, "connectorId") == engineNumber(0))
        #expect(engineJSON(payload, "csChargingProfiles", "chargingProfilePurpose") == .string("TxDefaultProfile"))
        #expect(engineJSON(payload, "csChargingProfiles", "stackLevel") == engineNumber(1))
        #expect(engineJSON(payload, "csChargingProfiles", "chargingSchedule", "chargingRateUnit") == .string("A"))
        #expect(engineJSON(payload, "csChargingProfiles", "chargingSchedule", "chargingSchedulePeriod", "0", "limit") == engineNumber(15.9))
        #expect(engineJSON(payload, "csChargingProfiles", "chargingSchedule", "chargingSchedulePeriod", "0", "numberPhases") == engineNumber(3))
    }

    @Test(arguments: [(Rules.OCPPVersion.v201, "ChargingStationExternalConstraints"), (.v16, "TxDefaultProfile")])
    func setChargingProfileInWattsWithThePurposeOfTheVersion(version: Rules.OCPPVersion, purpose: String) throws {
        var h = try demo([("CP004", version)])
        let outputs = h.engine.command(EngineCommand.scaled(1350, 20), ticket: 1, at: t0)
        let limit = try #require(outputs.sends.first?.request.chargingLimit)
        #expect(limit == ChargingLimit(evseId: 0, limit: 20_000, unit: .watts, numberPhases: nil, purpose: purpose,
                                       stackLevel: 0, profileId: 8090))
        if version == .v201 {
            let payload = outputs.sends.first?.request.payload(for: .v201)
            #expect(engineJSON(payload, "evseId") == engineNumber(0))
            #expect(engineJSON(payload, "chargingProfile", "chargingProfilePurpose") == .string(purpose))
            #expect(engineJSON(payload, "chargingProfile", "chargingSchedule", "0", "chargingRateUnit") == .string("W"))
            #expect(engineJSON(payload, "chargingProfile", "chargingSchedule", "0", "chargingSchedulePeriod", "0", "limit") == engineNumber(20_000))
        }
    }

    // MARK: - Answers

    @Test func acceptedAnswerConfirmsTheCommandAndMovesTheReadback() throws {
        var h = try demo([("CP004", .v201)])
        let outputs = h.engine.command(EngineCommand.scaled(1350, 20), ticket: 5, at: t0)
        let ticket = try #require(outputs.sends.first?.ticket)
        let answer = h.engine.completed(ticket, outcome: .accepted(engineStatus("Accepted")), at: t0 + 1)
        #expect(answer == [
            engineUpdate(1303, .float(20), at: t0 + 1),
            // The site's read-back total follows; the other chargers have reported no limit yet.
            engineUpdate(11, .float(20), [.invalid, .notTopical], at: t0 + 1),
            .answer(5, .accepted),
        ])
        // An answer that arrives twice is ignored.
        #expect(h.engine.completed(ticket, outcome: .accepted(engineStatus("Accepted")), at: t0 + 2).isEmpty)
    }

    @Test(arguments: [
        (RequestOutcome.rejected(status: "Rejected", engineStatus("Rejected")), "limit_kw 20: CP004: the charger answered Rejected"),
        (.callError(.internalError, description: "boom"), "limit_kw 20: CP004: the charger answered CALLERROR InternalError: boom"),
        (.timeout, "limit_kw 20: CP004: the charger did not answer in time"),
    ])
    func failedRequestRefusesTheCommandWithTheReason(outcome: RequestOutcome, reason: String) throws {
        var h = try demo([("CP004", .v201)])
        let outputs = h.engine.command(EngineCommand.scaled(1350, 20), ticket: 5, at: t0)
        let ticket = try #require(outputs.sends.first?.ticket)
        let answer = h.engine.completed(ticket, outcome: outcome, at: t0 + 1)
        #expect(answer == [.answer(5, .rejected(reason: reason))])
        #expect(h.state(1303)?.value == nil, "the read-back does not move")
    }
}
