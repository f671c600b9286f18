import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// Site totals: the sum of the chargers' points in the site point's unit, and its quality.
@Suite struct AggregateTests {
    let t0 = EngineClock.t0

    /// Chargers A (IOA 100…) and B (200…). Site: power in kW (10) and in W (11), energy as an integrated
    /// total (12), the sum of a scaled point that can overflow (13), and of a point behind a deadband (14).
    static let site = EngineFixture.site("""
    site:
      points:
        - {signal: site_power_kw, ioa: 10, type: M_ME_TF_1, unit: kW, aggregate: {sum: power_kw}}
        - {signal: site_power_w, ioa: 11, type: M_ME_NC_1, unit: W, aggregate: {sum: power_kw}}
        - {signal: site_energy_kwh, ioa: 12, type: M_IT_NA_1, unit: kWh, aggregate: {sum: energy_kwh}}
        - {signal: site_current_a, ioa: 13, type: M_ME_NC_1, unit: A, aggregate: {sum: current_a}}
        - {signal: site_offered_kw, ioa: 14, type: M_ME_NC_1, unit: kW, aggregate: {sum: offered_kw}}
    templates:
      wallbox:
        ocpp: ["1.6"]
        points:
          - {signal: power_kw, offset: 0, type: M_ME_TF_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}]}}
          - {signal: energy_kwh, offset: 1, type: M_IT_NA_1, unit: kWh, from: {action: MeterValues, transform: [{unit: kWh}]}}
          - {signal: current_a, offset: 2, type: M_ME_NB_1, unit: A, from: {action: MeterValues, measurand: Current.Import}}
          - {signal: offered_kw, offset: 3, type: M_ME_NC_1, unit: kW, from: {action: MeterValues, measurand: Power.Offered, transform: [{unit: kW}, {deadband: 0.5}]}}
    chargers:
      - {id: A, template: wallbox, ioa_base: 100}
      - {id: B, template: wallbox, ioa_base: 200}
    """)

    func running() throws -> EngineHarness {
        var h = EngineHarness(try EngineFixture.graph(Self.site))
        h.connect("A", .v16, at: t0)
        h.connect("B", .v16, at: t0)
        return h
    }

    @Test func totalIsInvalidUntilEveryMemberHasAValue() throws {
        var h = try running()
        let first = try h.receive("A", "MeterValues", EnginePayload.power16("7400", at: t0), at: t0)
        #expect(first == [
            engineUpdate(100, .float(7.4), at: t0),
            // B has never reported: a total that silently left it out would under-report the site.
            engineUpdate(10, .float(7.4), [.invalid, .notTopical], at: t0),
            engineUpdate(11, .float(7400), [.invalid, .notTopical], at: t0),
        ])
        let second = try h.receive("B", "MeterValues", EnginePayload.power16("3600", at: t0 + 1), at: t0 + 1)
        #expect(second == [
            engineUpdate(200, .float(3.6), at: t0 + 1),
            engineUpdate(10, .float(11), at: t0 + 1),
            engineUpdate(11, .float(11000), at: t0 + 1),
        ])
    }

    @Test func unchangedTotalIsNotPublishedAgain() throws {
        var h = try running()
        _ = try h.receive("A", "MeterValues", EnginePayload.power16("7400", at: t0), at: t0)
        _ = try h.receive("B", "MeterValues", EnginePayload.power16("3600", at: t0), at: t0)
        let again = try h.receive("A", "MeterValues", EnginePayload.power16("7400", at: t0 + 1), at: t0 + 1)
        #expect(again == [engineUpdate(100, .float(7.4), at: t0 + 1)])
    }

    @Test func invalidMemberMakesTheTotalInvalidWithItsLastValueCounted() throws {
        var h = try running()
        _ = try h.receive("A", "MeterValues", EnginePayload.power16("7400", at: t0), at: t0)
        _ = try h.receive("B", "MeterValues", EnginePayload.power16("3600", at: t0), at: t0)
        let bad = try h.receive("A", "MeterValues", EnginePayload.power16("oops", at: t0 + 1), at: t0 + 1)
        // The total does not drop towards zero; it keeps A's last 7.4 kW and is flagged IV.
        #expect(bad.publishes(at: 10) == [PointUpdate(address: 10, value: .float(11), quality: .invalid, time: EngineClock.tag(t0 + 1))])
        // B moving still moves the (flagged) total.
        let moved = try h.receive("B", "MeterValues", EnginePayload.power16("4600", at: t0 + 2), at: t0 + 2)
        #expect(moved.publishes(at: 10) == [PointUpdate(address: 10, value: .float(12), quality: .invalid, time: EngineClock.tag(t0 + 2))])
        // A readable again: valid again.
        let good = try h.receive("A", "MeterValues", EnginePayload.power16("7400", at: t0 + 3), at: t0 + 3)
        #expect(good.publishes(at: 10) == [PointUpdate(address: 10, value: .float(12), time: EngineClock.tag(t0 + 3))])
    }

    @Test func integratedTotalsSumToTheImageOnly() throws {
        var h = try running()
        _ = try h.receive("A", "MeterValues", EnginePayload.register16("12000", at: t0), at: t0)
        let outputs = try h.receive("B", "MeterValues", EnginePayload.register16("30500", at: t0 + 1), at: t0 + 1)
        #expect(outputs == [
            engineUpdate(201, .counter(BinaryCounterReading(31)), at: t0 + 1, .imageOnly),  // 30.5 kWh rounds to 31
            engineUpdate(12, .counter(BinaryCounterReading(43)), at: t0 + 1, .imageOnly),   // 12 + 30.5, rounded once
        ])
    }

    @Test func overflowingMemberMakesTheTotalOverflow() throws {
        var h = try running()
        _ = try h.receive("B", "MeterValues", EnginePayload.meter16(at: t0, [("\"16\"", "Current.Import", "A")]), at: t0)
        let outputs = try h.receive("A", "MeterValues", EnginePayload.meter16(at: t0, [("\"35000\"", "Current.Import", "A")]), at: t0)
        #expect(outputs == [
            // The scaled point holds at most 32767 and says so.
            engineUpdate(102, .scaled(32767), .overflow, at: t0),
            // The float total carries the real sum, flagged OV because a member overflowed.
            engineUpdate(13, .float(35016), .overflow, at: t0),
        ])
    }

    @Test func memberHeldByItsDeadbandMovesTheTotalInTheImageOnly() throws {
        var h = try running()
        func offered(_ charger: String, _ watts: String, at time: EngineTime) throws -> [EngineOutput] {
            try h.receive(charger, "MeterValues", EnginePayload.meter16(at: time, [("\"\(watts)\"", "Power.Offered", "W")]), at: time)
        }
        _ = try offered("A", "10000", at: t0)
        #expect(try offered("B", "5000", at: t0 + 1) == [engineUpdate(203, .float(5), at: t0 + 1), engineUpdate(14, .float(15), at: t0 + 1)])
        // 0.2 kW is within A's deadband: A and the total change in the image only.
        #expect(try offered("A", "10200", at: t0 + 2) == [
            engineUpdate(103, .float(10.2), at: t0 + 2, .imageOnly), engineUpdate(14, .float(15.2), at: t0 + 2, .imageOnly),
        ])
        // 0.8 kW from the last reported 10 kW: both reported.
        #expect(try offered("A", "10800", at: t0 + 3) == [
            engineUpdate(103, .float(10.8), at: t0 + 3), engineUpdate(14, .float(15.8), at: t0 + 3),
        ])
    }
}
