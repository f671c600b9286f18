import Foundation
import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// Source selectors (connector, phase) and the units chargers declare, against what the rule expects.
@Suite struct SelectorAndUnitTests {
    let t0 = EngineClock.t0

    /// A 1.6 charger with two connectors, and a 2.0.1 charger; points at IOA 100… and 200….
    static let site = EngineFixture.site("""
    chargers:
      - id: L
        ocpp: ["1.6"]
        evses: 2
        ioa_base: 100
        electrical: {phases: 3, nominal_voltage: 230, max_power_kw: 22}
        points:
          - {signal: c2_power_kw, offset: 0, type: M_ME_NC_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import, connector: 2, transform: [{unit: kW}]}}
          - {signal: c2_charging, offset: 1, type: M_SP_TB_1, from: {action: StatusNotification, connector: 2, transform: [{map: {Charging: true, "*": false}}]}}
          - {signal: e2_charging, offset: 2, type: M_SP_TB_1, from: {action: StatusNotification, evse: 2, transform: [{map: {Charging: true, "*": false}}]}}
          - {signal: l2_current_a, offset: 3, type: M_ME_NC_1, unit: A, from: {action: MeterValues, measurand: Current.Import, phase: L2}}
          - {signal: voltage_v, offset: 4, type: M_ME_NC_1, unit: V, from: {action: MeterValues, measurand: Voltage}}
      - id: N
        ocpp: ["2.0.1"]
        ioa_base: 200
        points:
          - {signal: frequency_hz, offset: 0, type: M_ME_NC_1, unit: Hz, from: {action: MeterValues, measurand: Frequency}}
          - {signal: soc, offset: 1, type: M_ME_NC_1, unit: "%", from: {action: MeterValues, measurand: SoC}}
          - {signal: power_kw, offset: 2, type: M_ME_NC_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}]}}
    """)

    func running() throws -> EngineHarness {
        var h = EngineHarness(try EngineFixture.graph(Self.site))
        h.connect("L", .v16, at: t0)
        h.connect("N", .v201, at: t0)
        return h
    }

    @Test func evseSelectorTakesOnlyItsConnectorsStatus() throws {
        var h = try running()
        let first = try h.receive("L", "StatusNotification", EnginePayload.status16("Charging", connector: 1, at: t0), at: t0)
        #expect(first.publishes(at: 102).isEmpty)
        let second = try h.receive("L", "StatusNotification", EnginePayload.status16("Charging", connector: 2, at: t0), at: t0)
        #expect(second.publishes(at: 102) == [PointUpdate(address: 102, value: .single(true), time: EngineClock.tag(t0))])
    }

    @Test func phaseSelectorTakesOnlyItsPhase() throws {
        var h = try running()
        let l1 = EnginePayload.meter16(at: t0, [("\"16\"", "Current.Import", "A")])
        #expect(try h.receive("L", "MeterValues", l1.replacingOccurrences(of: "\"unit\": \"A\"", with: "\"unit\": \"A\", \"phase\": \"L1\""), at: t0).isEmpty)
        let l2 = l1.replacingOccurrences(of: "\"unit\": \"A\"", with: "\"unit\": \"A\", \"phase\": \"L2\"")
        #expect(try h.receive("L", "MeterValues", l2, at: t0) == [engineUpdate(103, .float(16), at: t0)])
    }

    @Test func percentSpelledPercentIsTheRulesPercent() throws {
        var h = try running()
        let payload = EnginePayload.meter201(evse: 1, at: t0, [("81", "SoC", "Percent", nil)])
        #expect(try h.receive("N", "MeterValues", payload, at: t0) == [engineUpdate(201, .float(81), at: t0)])
    }

    @Test func unitOfAnotherDimensionIsNeverGuessed() throws {
        var h = try running()
        // A power value declared in V is not a power: IV, not a number.
        let payload = EnginePayload.meter201(evse: 1, at: t0, [("7400", "Power.Active.Import", "V", nil)])
        #expect(try h.receive("N", "MeterValues", payload, at: t0) == [engineUpdate(202, .float(0), .invalid, at: t0, .imageOnly)])
    }

    // MARK: - Connectors, frequency, samples without a unit

    @Test func connectorSelectorOf16IsTheEVSE() throws {
        var h = try running()
        let meter = EnginePayload.meter16(connector: 2, at: t0, [("\"7400\"", "Power.Active.Import", "W")])
        let meterOutputs = try h.receive("L", "MeterValues", meter, at: t0)
        let status = try h.receive("L", "StatusNotification", EnginePayload.status16("Charging", connector: 2, at: t0), at: t0)
        // 1.6 connector n is EVSE n (docs/rule-format.md): connector 2's readings reach the connector-2 points.
        #expect(meterOutputs == [engineUpdate(100, .float(7.4), at: t0)])
        #expect(status.publishes(at: 101) == [PointUpdate(address: 101, value: .single(true), time: EngineClock.tag(t0))])
        // Connector 1's readings do not.
        let other = EnginePayload.meter16(connector: 1, at: t0 + 1, [("\"5000\"", "Power.Active.Import", "W")])
        #expect(try h.receive("L", "MeterValues", other, at: t0 + 1).publishes(at: 100).isEmpty)
    }

    @Test func frequencyInHertzReachesAPointInHz() throws {
        var h = try running()
        // 2.0.1 spells it "Hz"; the normalizer calls it "Hertz", the rules "Hz".
        let payload = EnginePayload.meter201(evse: 0, at: t0, [("50.02", "Frequency", "Hz", nil)])
        let outputs = try h.receive("N", "MeterValues", payload, at: t0)
        #expect(outputs == [engineUpdate(200, .float(50.02), at: t0)])
    }

    @Test func sampleWithoutAUnitIsInTheMeasurandsUnit() throws {
        var h = try running()
        // OCPP's default unit Wh applies to energy measurands only; 230 without a unit on Voltage is 230 V.
        let payload = EnginePayload.meter16(at: t0, [("\"230\"", "Voltage", nil)])
        let outputs = try h.receive("L", "MeterValues", payload, at: t0)
        #expect(outputs == [engineUpdate(104, .float(230), at: t0)])
    }
}
