import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// A charger going away and coming back: quality flags on every monitor point and the site total, refresh
/// requests on reconnect, fresh values clearing the flags; and `stale_after`.
@Suite struct DisconnectTests {
    let t0 = EngineClock.t0

    /// Chargers A (IOA 100…) and B (200…): power (IV+NT on disconnect), status, voltage (IV only),
    /// temperature (NT only); the site total of power at IOA 10.
    static let site = EngineFixture.site("""
    site:
      points:
        - {signal: site_power_kw, ioa: 10, type: M_ME_TF_1, unit: kW, aggregate: {sum: power_kw}}
    templates:
      wallbox:
        ocpp: ["1.6"]
        points:
          - signal: power_kw
            offset: 0
            type: M_ME_TF_1
            unit: kW
            quality: {stale_after: 60s}
            from: {action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}]}
          - {signal: charging, offset: 1, type: M_SP_TB_1, from: {action: StatusNotification, transform: [{map: {Charging: true, "*": false}}]}}
          - {signal: voltage_v, offset: 2, type: M_ME_NC_1, unit: V, quality: {on_disconnect: invalid}, from: {action: MeterValues, measurand: Voltage}}
          - {signal: temperature_c, offset: 3, type: M_ME_NC_1, unit: Celsius, quality: {on_disconnect: not_topical}, from: {action: MeterValues, measurand: Temperature}}
          - {signal: energy_kwh, offset: 4, type: M_IT_NA_1, unit: kWh, from: {action: MeterValues, transform: [{unit: kWh}]}}
    chargers:
      - {id: A, template: wallbox, ioa_base: 100}
      - {id: B, template: wallbox, ioa_base: 200}
    """)

    /// Both chargers connected; A has every point good (7.4 kW, charging, 230 V, 30 °C, 12 kWh); B has 3.6 kW.
    func running() throws -> EngineHarness {
        var h = EngineHarness(try EngineFixture.graph(Self.site))
        h.connect("A", .v16, at: t0)
        h.connect("B", .v16, at: t0)
        let meter = EnginePayload.meter16(at: t0, [
            ("\"7400\"", "Power.Active.Import", "W"), ("\"230\"", "Voltage", "V"), ("\"30\"", "Temperature", "Celsius"),
            ("\"12000\"", "Energy.Active.Import.Register", "Wh"),
        ])
        _ = try h.receive("A", "MeterValues", meter, at: t0)
        _ = try h.receive("A", "StatusNotification", EnginePayload.status16("Charging", at: t0), at: t0)
        _ = try h.receive("B", "MeterValues", EnginePayload.power16("3600", at: t0), at: t0)
        return h
    }

    @Test func disconnectFlagsEveryMonitorPointAtOnceAndTheSiteTotal() throws {
        var h = try running()
        #expect(h.state(10)?.quality == [])
        let t = t0 + 10
        let outputs = h.disconnect("A", at: t)
        #expect(outputs == [
            engineUpdate(100, .float(7.4), [.invalid, .notTopical], at: t),
            // The total keeps A's last value, the best figure there is, and says it is not valid (IV, and NT from A).
            engineUpdate(10, .float(11), [.invalid, .notTopical], at: t),
            engineUpdate(101, .single(true), [.invalid, .notTopical], at: t),
            engineUpdate(102, .float(230), .invalid, at: t),
            engineUpdate(103, .float(30), .notTopical, at: t),
            // Integrated totals go to the image: counter interrogation reads them.
            engineUpdate(104, .counter(BinaryCounterReading(12)), [.invalid, .notTopical], at: t, .imageOnly),
        ])
        #expect(!h.engine.isOnline("A"))
        // B's points are untouched.
        #expect(h.state(200)?.quality == [])
    }

    @Test func disconnectTwiceOrOfAStrangerDoesNothing() throws {
        var h = try running()
        _ = h.disconnect("A", at: t0 + 10)
        #expect(h.disconnect("A", at: t0 + 11).isEmpty)
        #expect(h.disconnect("ZZZ", at: t0 + 11).isEmpty)
        #expect(h.connect("ZZZ", .v16, at: t0 + 12).isEmpty)
    }

    @Test func reconnectAsksForFreshValuesAndFreshValuesClearTheFlags() throws {
        var h = try running()
        _ = h.disconnect("A", at: t0 + 10)
        let reconnect = h.connect("A", .v16, at: t0 + 20)
        #expect(reconnect.publishes.isEmpty, "points stay flagged until fresh values arrive")
        #expect(reconnect.sends.map(\.charger) == ["A", "A"])
        #expect(reconnect.sends.map(\.request) == [.triggerMessage("StatusNotification", evseId: nil),
                                                   .triggerMessage("MeterValues", evseId: nil)])
        #expect(h.state(100)?.quality == [.invalid, .notTopical])
        // The triggers' answers change nothing.
        for send in reconnect.sends {
            #expect(h.engine.completed(send.ticket, outcome: .accepted(engineStatus("Accepted")), at: t0 + 21).isEmpty)
        }
        // A fresh reading: good again, and so is the total.
        let fresh = try h.receive("A", "MeterValues", EnginePayload.power16("7400", at: t0 + 22), at: t0 + 22)
        #expect(fresh == [engineUpdate(100, .float(7.4), at: t0 + 22), engineUpdate(10, .float(11), at: t0 + 22)])
        let status = try h.receive("A", "StatusNotification", EnginePayload.status16("Charging", at: t0 + 23), at: t0 + 23)
        #expect(status == [engineUpdate(101, .single(true), at: t0 + 23)])
    }

    @Test func pointsWithoutAValueAreNotRepublishedOnDisconnect() throws {
        var h = EngineHarness(try EngineFixture.graph(Self.site))
        h.connect("A", .v16, at: t0)
        _ = try h.receive("A", "MeterValues", EnginePayload.power16("1000", at: t0), at: t0)
        // Only power had a value; the others are IV+NT already (the station reports them so from the start).
        // The total was IV+NT before (B never reported) and still counts A's last value: it does not change.
        let outputs = h.disconnect("A", at: t0 + 1)
        #expect(outputs == [engineUpdate(100, .float(1), [.invalid, .notTopical], at: t0 + 1)])
        #expect(h.state(10)?.value == .float(1))
    }

    @Test func staleAfterFlagsNotTopicalOnTick() throws {
        var h = try running()
        #expect(h.engine.tick(at: t0 + 60).isEmpty, "60 s is not more than stale_after")
        let stale = h.engine.tick(at: t0 + 61)
        #expect(stale == [
            engineUpdate(100, .float(7.4), .notTopical, at: t0 + 61),
            engineUpdate(10, .float(11), .notTopical, at: t0 + 61),
            engineUpdate(200, .float(3.6), .notTopical, at: t0 + 61),
        ])
        #expect(h.engine.tick(at: t0 + 62).isEmpty, "flagged once")
        // A fresh value clears NT.
        let fresh = try h.receive("B", "MeterValues", EnginePayload.power16("3600", at: t0 + 63), at: t0 + 63)
        #expect(fresh == [engineUpdate(200, .float(3.6), at: t0 + 63)])
        #expect(h.state(10)?.quality == .notTopical, "A is still stale")
    }
}
