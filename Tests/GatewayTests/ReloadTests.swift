import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// `adopt`: a new graph's engine takes over what the running one knows.
@Suite struct ReloadTests {
    let t0 = EngineClock.t0

    static let before = EngineFixture.site("""
    chargers:
      - id: CP1
        ocpp: ["1.6"]
        ioa_base: 100
        points:
          - {signal: power_kw, offset: 0, type: M_ME_TF_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}, {deadband: 1}]}}
          - {signal: energy_kwh, offset: 1, type: M_ME_NC_1, unit: kWh, from: {action: MeterValues, transform: [{unit: kWh}]}}
          - {signal: charging, offset: 2, type: M_SP_TB_1, from: {action: StatusNotification, transform: [{map: {Charging: true, "*": false}}]}}
          - {signal: voltage_v, offset: 5, type: M_ME_NC_1, unit: V, from: {action: MeterValues, measurand: Voltage}}
          - {signal: limit_kw, offset: 50, type: C_SE_NC_1, unit: kW, command: {action: SetChargingProfile, range: [0, 22], select_before_operate: {above_change: 20%}}}
    """)

    /// power_kw and limit_kw as before; energy_kwh gains `stale_after`; IOA 102 becomes a double point;
    /// temperature_c is new; voltage_v is gone.
    static let after = EngineFixture.site("""
    chargers:
      - id: CP1
        ocpp: ["1.6"]
        ioa_base: 100
        points:
          - {signal: power_kw, offset: 0, type: M_ME_TF_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}, {deadband: 1}]}}
          - {signal: energy_kwh, offset: 1, type: M_ME_NC_1, unit: kWh, quality: {stale_after: 15min}, from: {action: MeterValues, transform: [{unit: kWh}]}}
          - {signal: status, offset: 2, type: M_DP_TB_1, from: {action: StatusNotification, transform: [{map: {Charging: on, "*": off}}]}}
          - {signal: temperature_c, offset: 3, type: M_ME_NC_1, unit: Celsius, from: {action: MeterValues, measurand: Temperature}}
          - {signal: limit_kw, offset: 50, type: C_SE_NC_1, unit: kW, command: {action: SetChargingProfile, range: [0, 22], select_before_operate: {above_change: 20%}}}
    """)

    /// The old engine with values on every point and an accepted limit of 18 kW.
    func running() throws -> EngineHarness {
        var h = EngineHarness(try EngineFixture.graph(Self.before))
        h.connect("CP1", .v16, at: t0)
        let meter = EnginePayload.meter16(at: t0, [
            ("\"7400\"", "Power.Active.Import", "W"), ("\"12000\"", "Energy.Active.Import.Register", "Wh"), ("\"231\"", "Voltage", "V"),
        ])
        _ = try h.receive("CP1", "MeterValues", meter, at: t0)
        _ = try h.receive("CP1", "StatusNotification", EnginePayload.status16("Charging", at: t0), at: t0)
        let command = h.engine.command(EngineCommand.float(150, 18), ticket: 1, at: t0)
        let ticket = try #require(command.sends.first?.ticket)
        #expect(h.engine.completed(ticket, outcome: .accepted(engineStatus("Accepted")), at: t0 + 1).answers.map(\.answer) == [.accepted])
        return h
    }

    @Test func adoptReportsAddedRemovedAndChangedPoints() throws {
        let old = try running()
        var new = GatewayEngine(graph: try EngineFixture.graph(Self.after))
        let changes = new.adopt(old.engine)
        #expect(changes.added == ["1/103 temperature_c"])
        #expect(changes.removed == ["1/105 voltage_v"])
        #expect(changes.changed == ["1/101 energy_kwh", "1/102 status"])
        #expect(changes.unchanged == 2)
    }

    @Test func adoptKeepsValuesOfPointsThatKeepTheirAddressAndType() throws {
        let old = try running()
        var h = EngineHarness(try EngineFixture.graph(Self.after))
        _ = h.engine.adopt(old.engine)
        #expect(h.state(100) == old.state(100))
        #expect(h.state(100)?.value == .float(7.4))
        #expect(h.state(101)?.value == .float(12), "changed, but the same type: the value stays")
        #expect(h.state(102) == PointState(), "another type at the address: unknown again")
        #expect(h.state(103) == PointState())
        #expect(h.engine.isOnline("CP1"))
    }

    @Test func adoptKeepsTheChainMemoryOfUnchangedRules() throws {
        let old = try running()
        var adopted = EngineHarness(try EngineFixture.graph(Self.after))
        _ = adopted.engine.adopt(old.engine)
        // 7.9 kW is within the deadband of 1 around the 7.4 reported before the reload: held.
        let reading = EnginePayload.power16("7900", at: t0 + 5)
        #expect(try adopted.receive("CP1", "MeterValues", reading, at: t0 + 5).publishes(at: 100).map(\.transmission) == [.imageOnly])
        // Without adoption the same reading would be the first one, reported.
        var fresh = EngineHarness(try EngineFixture.graph(Self.after))
        fresh.connect("CP1", .v16, at: t0)
        #expect(try fresh.receive("CP1", "MeterValues", reading, at: t0 + 5).publishes(at: 100).map(\.transmission) == [.spontaneous])
    }

    @Test func adoptKeepsCommandedLimitsAndRequestsInFlight() throws {
        var old = try running()
        // A command in flight when the reload happens (15 kW: 3 from the accepted 18, within 20 %).
        let pending = old.engine.command(EngineCommand.float(150, 15), ticket: 2, at: t0 + 2)
        let ticket = try #require(pending.sends.first?.ticket)
        var new = GatewayEngine(graph: try EngineFixture.graph(Self.after))
        _ = new.adopt(old.engine)
        // Its answer lands in the new engine.
        #expect(new.completed(ticket, outcome: .accepted(engineStatus("Accepted")), at: t0 + 3) == [.answer(2, .accepted)])
        // The reference for select-before-operate is the accepted 15 kW: 12 is within 3 of it.
        let next = new.command(EngineCommand.float(150, 12), ticket: 3, at: t0 + 4)
        #expect(next.answers.isEmpty)
        // Tickets keep counting up, so old and new requests never share one.
        #expect((next.sends.first?.ticket ?? 0) > ticket)
    }

    @Test func adoptingTheSameSiteChangesNothing() throws {
        let graph = try EngineFixture.defaultGraph()
        var old = EngineHarness(graph)
        old.connect("CP004", .v201, at: t0)
        _ = try old.receive("CP004", "MeterValues", EnginePayload.meter201(evse: 1, at: t0, [("7400", "Power.Active.Import", "W", nil)]), at: t0)
        var new = GatewayEngine(graph: graph)
        let changes = new.adopt(old.engine)
        #expect(changes.added.isEmpty && changes.removed.isEmpty && changes.changed.isEmpty)
        #expect(changes.unchanged == graph.points.count)
        #expect(new.pointStates == old.engine.pointStates)
    }
}
