import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// `derive: power`: P = ΔE/Δt from successive register readings, and every way a register misbehaves.
@Suite struct DerivationTests {
    let t0 = EngineClock.t0

    /// `CP1` (1.6) with derived power at IOA 100, in kW, without gates so every derivation shows.
    func harness(_ extra: String = "") throws -> EngineHarness {
        let graph = try EngineFixture.graph(EngineFixture.site("""
        chargers:
          - id: CP1
            ocpp: ["1.6"]
            ioa_base: 100
            points:
              - signal: power_kw
                offset: 0
                type: M_ME_TF_1
                unit: kW
                from: {action: MeterValues, transform: [{derive: power}, {unit: kW}\(extra)]}
        """))
        var harness = EngineHarness(graph)
        harness.connect("CP1", .v16, at: t0)
        return harness
    }

    /// Feeds one register reading taken at `time` (arriving a second later).
    func reading(_ harness: inout EngineHarness, _ value: String, unit: String = "Wh", at time: EngineTime) throws -> [EngineOutput] {
        try harness.receive("CP1", "MeterValues", EnginePayload.register16(value, unit: unit, at: time), at: time + 1)
    }

    @Test func powerIsTheRegistersSlope() throws {
        var h = try harness()
        #expect(try reading(&h, "10000", at: t0).isEmpty, "the first reading has nothing to derive from")
        // 200 Wh in 60 s = 12 kW, time-tagged with the later reading.
        #expect(try reading(&h, "10200", at: t0 + 60) == [engineUpdate(100, .float(12), at: t0 + 60)])
        // 55 Wh in 30 s = 6.6 kW.
        #expect(try reading(&h, "10255", at: t0 + 90) == [engineUpdate(100, .float(6.6), at: t0 + 90)])
        // A standing register is 0 kW, a real value.
        #expect(try reading(&h, "10255", at: t0 + 150) == [engineUpdate(100, .float(0), at: t0 + 150)])
    }

    @Test func counterResetGivesNoOutputAndTheNextReadingStartsAfresh() throws {
        var h = try harness()
        _ = try reading(&h, "10000", at: t0)
        _ = try reading(&h, "10200", at: t0 + 60)
        // The meter was replaced: the register went down. No negative power, no output.
        #expect(try reading(&h, "50", at: t0 + 120).isEmpty)
        // The next reading derives from the new register only: 200 Wh in 60 s.
        #expect(try reading(&h, "250", at: t0 + 180) == [engineUpdate(100, .float(12), at: t0 + 180)])
        #expect(engineClose(h.state(100)?.number, 12))
    }

    @Test func repeatedTimestampGivesNoOutputAndNoSpike() throws {
        var h = try harness()
        _ = try reading(&h, "10000", at: t0)
        _ = try reading(&h, "10200", at: t0 + 60)
        // Same timestamp again (a replay, or a charger with a stuck clock): Δt = 0 must not divide.
        #expect(try reading(&h, "10300", at: t0 + 60).isEmpty)
        #expect(try reading(&h, "10200", at: t0 + 60).isEmpty)
        // The next reading derives from the last accepted one (10200 at +60), not from the repeated one.
        #expect(try reading(&h, "10400", at: t0 + 120) == [engineUpdate(100, .float(12), at: t0 + 120)])
        #expect(h.state(100)?.number.map { $0.isFinite } == true)
    }

    @Test func outOfOrderTimestampGivesNoOutput() throws {
        var h = try harness()
        _ = try reading(&h, "10000", at: t0)
        _ = try reading(&h, "10200", at: t0 + 60)
        // A stored reading from before the last one arrives late.
        #expect(try reading(&h, "10100", at: t0 + 30).isEmpty)
        // It did not become the base either: 200 Wh since +60 over 60 s.
        #expect(try reading(&h, "10400", at: t0 + 120) == [engineUpdate(100, .float(12), at: t0 + 120)])
    }

    @Test func registerInKilowattHoursIsConvertedBeforeDerivation() throws {
        var h = try harness()
        _ = try reading(&h, "10.0", unit: "kWh", at: t0)
        // 0.2 kWh in 60 s = 12 kW (not 0.012 kW).
        #expect(try reading(&h, "10.2", unit: "kWh", at: t0 + 60) == [engineUpdate(100, .float(12), at: t0 + 60)])
        // Mixed units between readings still derive correctly: 10.2 kWh → 10 500 Wh.
        #expect(try reading(&h, "10500", unit: "Wh", at: t0 + 120) == [engineUpdate(100, .float(18), at: t0 + 120)])
    }

    @Test func unreadableRegisterFlagsThePointAndKeepsTheBase() throws {
        var h = try harness()
        _ = try reading(&h, "10000", at: t0)
        _ = try reading(&h, "10200", at: t0 + 60)
        #expect(try reading(&h, "n/a", at: t0 + 90) == [engineUpdate(100, .float(12), .invalid, at: t0 + 90)])
        // The next readable reading derives from the last readable one, reported with good quality.
        #expect(try reading(&h, "10500", at: t0 + 120) == [engineUpdate(100, .float(18), at: t0 + 120)])
    }

    @Test func derivationWithClampAndGates() throws {
        var h = try harness(", {clamp: [0, 22]}, {deadband: 0.5}")
        _ = try reading(&h, "0", at: t0)
        // 1000 Wh in 60 s = 60 kW, clamped to the charger's 22 kW.
        #expect(try reading(&h, "1000", at: t0 + 60) == [engineUpdate(100, .float(22), at: t0 + 60)])
        // 360 Wh in 60 s = 21.6 kW: within 0.5 of 22, held for the image.
        #expect(try reading(&h, "1360", at: t0 + 120) == [engineUpdate(100, .float(21.6), at: t0 + 120, .imageOnly)])
    }

    @Test func stopTransactionEndsOnMeterStopAfterItsTransactionData() throws {
        let graph = try EngineFixture.graph(EngineFixture.site("""
        chargers:
          - id: CP1
            ocpp: ["1.6"]
            ioa_base: 100
            points:
              - {signal: power_kw, offset: 0, type: M_ME_TF_1, unit: kW, from: {action: StopTransaction, transform: [{derive: power}, {unit: kW}]}}
              - {signal: energy_kwh, offset: 1, type: M_ME_NC_1, unit: kWh, from: {action: StopTransaction, transform: [{unit: kWh}]}}
              - {signal: start_kwh, offset: 2, type: M_ME_NC_1, unit: kWh, from: {action: StartTransaction, transform: [{unit: kWh}]}}
        """))
        var h = EngineHarness(graph)
        h.connect("CP1", .v16, at: t0)
        let start = #"{"connectorId": 1, "idTag": "TAG1", "meterStart": 5000, "timestamp": "\#(EngineClock.stamp(t0))"}"#
        let started = try h.receive("CP1", "StartTransaction", start, at: t0, assignedTransactionId: "42")
        #expect(started == [engineUpdate(102, .float(5), at: t0)])
        // transactionData sampled at +60 (5300 Wh), meterStop at +120 (5600 Wh).
        let stop = #"""
        {"transactionId": 42, "meterStop": 5600, "timestamp": "\#(EngineClock.stamp(t0 + 120))", "reason": "EVDisconnected",
         "transactionData": [{"timestamp": "\#(EngineClock.stamp(t0 + 60))", "sampledValue": [{"value": "5300", "unit": "Wh"}]}]}
        """#
        let stopped = try h.receive("CP1", "StopTransaction", stop, at: t0 + 121)
        #expect(!stopped.publishes(at: 101).isEmpty)
        // The register ends at meterStop, the latest reading, and the derivation sees the readings in order:
        // 300 Wh from +60 to +120 = 18 kW.
        #expect(engineClose(h.state(101)?.number, 5.6))
        #expect(stopped.publishes(at: 100) == [PointUpdate(address: 100, value: .float(18), time: EngineClock.tag(t0 + 120))])
    }
}
