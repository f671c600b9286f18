import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// Meter values → measured-value points: values, time tags, causes, gates, and what happens to unreadable values.
@Suite struct MonitorPathTests {
    let t0 = EngineClock.t0

    /// One charger `CP1` (IOA 100: power_kw, M_ME_TF_1) fed by Power.Active.Import through `transform`.
    func powerSite(_ transform: String, ocpp: String = "\"1.6\"") throws -> RuleGraph {
        try EngineFixture.graph(EngineFixture.site("""
        chargers:
          - id: CP1
            ocpp: [\(ocpp)]
            ioa_base: 100
            points:
              - signal: power_kw
                offset: 0
                type: M_ME_TF_1
                unit: kW
                from: {action: MeterValues, measurand: Power.Active.Import, transform: \(transform)}
        """))
    }

    /// A harness with `CP1` of `powerSite` connected.
    func connected(_ transform: String, ocpp: Rules.OCPPVersion = .v16) throws -> EngineHarness {
        var harness = EngineHarness(try powerSite(transform, ocpp: "\"\(ocpp.rawValue)\""))
        harness.connect("CP1", ocpp, at: t0)
        return harness
    }

    // MARK: - Values and time tags

    @Test func meterValues16StringBecomesKilowattsWithTheSamplesTimeTag() throws {
        var harness = try connected("[{unit: kW}]")
        // Sampled at t0+0.25, arriving three seconds later: the time tag is the sample's own.
        let outputs = try harness.receive("CP1", "MeterValues", EnginePayload.power16("7400", at: t0 + 0.25), at: t0 + 3)
        #expect(outputs == [engineUpdate(100, .float(7.4), at: t0 + 0.25)])
        #expect(outputs.publishes.first?.transmission == .spontaneous)
    }

    @Test func meterValues201NumbersWithMultipliers() throws {
        var harness = try connected("[{unit: kW}]", ocpp: .v201)
        let kilo = EnginePayload.meter201(evse: 1, at: t0 + 1, [("7.4", "Power.Active.Import", "W", 3)])
        #expect(try harness.receive("CP1", "MeterValues", kilo, at: t0 + 2) == [engineUpdate(100, .float(7.4), at: t0 + 1)])
        let deci = EnginePayload.meter201(evse: 1, at: t0 + 2, [("115", "Power.Active.Import", "kW", -1)])
        #expect(try harness.receive("CP1", "MeterValues", deci, at: t0 + 3) == [engineUpdate(100, .float(11.5), at: t0 + 2)])
        let plain = EnginePayload.meter201(evse: 1, at: t0 + 3, [("3680", "Power.Active.Import", "W", nil)])
        #expect(try harness.receive("CP1", "MeterValues", plain, at: t0 + 4) == [engineUpdate(100, .float(3.68), at: t0 + 3)])
    }

    @Test func unusableTimestampFallsBackToArrival() throws {
        var harness = try connected("[{unit: kW}]")
        let payload = EnginePayload.meter16(at: nil, [("\"7400\"", "Power.Active.Import", "W")])
        #expect(try harness.receive("CP1", "MeterValues", payload, at: t0 + 9) == [engineUpdate(100, .float(7.4), at: t0 + 9)])
    }

    @Test func otherMeasurandsDoNotReachThePoint() throws {
        var harness = try connected("[{unit: kW}]")
        let payload = EnginePayload.meter16(at: t0, [("\"16\"", "Current.Import", "A"), ("\"1234\"", "Energy.Active.Import.Register", "Wh")])
        #expect(try harness.receive("CP1", "MeterValues", payload, at: t0).isEmpty)
    }

    // MARK: - Gates

    @Test func absoluteDeadbandHoldsSmallChangesForTheImage() throws {
        var harness = try connected("[{unit: kW}, {deadband: 0.1}]")
        let steps: [(String, Float, Transmission)] = [
            ("7400", 7.4, .spontaneous),
            ("7450", 7.45, .imageOnly),   // 0.05 from the last reported 7.4
            ("7520", 7.52, .spontaneous), // 0.12: reported, the band moves to 7.52
            ("7600", 7.6, .imageOnly),    // 0.08 from 7.52
            ("7300", 7.3, .spontaneous),
        ]
        for (index, (watts, kilowatts, transmission)) in steps.enumerated() {
            let time = t0 + Double(index)
            let outputs = try harness.receive("CP1", "MeterValues", EnginePayload.power16(watts, at: time), at: time)
            #expect(outputs == [engineUpdate(100, .float(kilowatts), at: time, transmission)], "reading \(watts) W")
        }
    }

    @Test func percentDeadbandIsRelativeToTheLastReportedValue() throws {
        var harness = try connected("[{unit: kW}, {deadband: 1%}]")
        let steps: [(String, Float, Transmission)] = [
            ("100000", 100, .spontaneous),
            ("100900", 100.9, .imageOnly),  // 0.9 ≤ 1 % of 100
            ("101200", 101.2, .spontaneous), // 1.2 > 1 % of 100
            ("102000", 102, .imageOnly),    // 0.8 ≤ 1 % of 101.2
            ("100000", 100, .spontaneous),  // 1.2 > 1.012
        ]
        for (index, (watts, kilowatts, transmission)) in steps.enumerated() {
            let time = t0 + Double(index)
            let outputs = try harness.receive("CP1", "MeterValues", EnginePayload.power16(watts, at: time), at: time)
            #expect(outputs == [engineUpdate(100, .float(kilowatts), at: time, transmission)], "reading \(watts) W")
        }
    }

    @Test func minIntervalHoldsValuesBetweenReports() throws {
        var harness = try connected("[{unit: kW}, {min_interval: 5s}]")
        let steps: [(Double, String, Float, Transmission)] = [
            (0, "1000", 1, .spontaneous),
            (2, "2000", 2, .imageOnly),
            (4.9, "3000", 3, .imageOnly),
            (5, "4000", 4, .spontaneous),  // exactly 5 s after the last report
            (6, "5000", 5, .imageOnly),
        ]
        for (offset, watts, kilowatts, transmission) in steps {
            let time = t0 + offset
            let outputs = try harness.receive("CP1", "MeterValues", EnginePayload.power16(watts, at: time), at: time + 0.5)
            #expect(outputs == [engineUpdate(100, .float(kilowatts), at: time, transmission)], "reading at +\(offset) s")
        }
    }

    @Test(arguments: ["[{unit: kW}, {deadband: 0.1}]", "[{unit: kW}, {min_interval: 5s}]", "[{unit: kW}, {deadband: 5%}]"])
    func valueAfterABadQualityPeriodIsAlwaysReported(transform: String) throws {
        var harness = try connected(transform)
        _ = try harness.receive("CP1", "MeterValues", EnginePayload.power16("7400", at: t0), at: t0)
        let bad = try harness.receive("CP1", "MeterValues", EnginePayload.power16("abc", at: t0 + 1), at: t0 + 1)
        #expect(bad == [engineUpdate(100, .float(7.4), .invalid, at: t0 + 1)])
        // The same value again, inside every gate: reported anyway, with good quality.
        let good = try harness.receive("CP1", "MeterValues", EnginePayload.power16("7400", at: t0 + 2), at: t0 + 2)
        #expect(good == [engineUpdate(100, .float(7.4), at: t0 + 2)])
        // And the gate works again afterwards.
        let held = try harness.receive("CP1", "MeterValues", EnginePayload.power16("7410", at: t0 + 3), at: t0 + 3)
        #expect(held.publishes.map(\.transmission) == [.imageOnly])
    }

    // MARK: - Units and legacy values

    @Test func energyInKilowattHoursIsConvertedWhereWattHoursAreExpected() throws {
        let graph = try EngineFixture.graph(EngineFixture.site("""
        chargers:
          - id: CP1
            ocpp: ["1.6"]
            ioa_base: 100
            points:
              - {signal: energy_kwh, offset: 0, type: M_ME_NC_1, unit: kWh, from: {action: MeterValues, transform: [{unit: kWh}]}}
        """))
        var harness = EngineHarness(graph)
        harness.connect("CP1", .v16, at: t0)
        let inWh = try harness.receive("CP1", "MeterValues", EnginePayload.register16("10200", at: t0), at: t0)
        #expect(inWh == [engineUpdate(100, .float(10.2), at: t0)])
        let inKWh = try harness.receive("CP1", "MeterValues", EnginePayload.register16("10.5", unit: "kWh", at: t0 + 1), at: t0 + 1)
        #expect(inKWh == [engineUpdate(100, .float(10.5), at: t0 + 1)])
    }

    @Test func legacyUnitInsideTheValueIsReadInLenientMode() throws {
        var harness = try connected("[{unit: kW}]")
        // "14.4kW" with no declared unit: 14.4 kW, not 14.4 W and not 0.
        let payload = EnginePayload.meter16(at: t0, [("\"14.4kW\"", "Power.Active.Import", nil)])
        #expect(try harness.receive("CP1", "MeterValues", payload, at: t0) == [engineUpdate(100, .float(14.4), at: t0)])
        // A decimal comma is read too.
        let comma = EnginePayload.meter16(at: t0 + 1, [("\"7,4\"", "Power.Active.Import", "kW")])
        #expect(try harness.receive("CP1", "MeterValues", comma, at: t0 + 1) == [engineUpdate(100, .float(7.4), at: t0 + 1)])
        // Strict mode refuses the message instead of guessing.
        #expect(throws: EngineFeedError.self) {
            try harness.normalize("CP1", "MeterValues", payload, policy: .strict)
        }
    }

    @Test func unitInsideTheValueConflictingWithTheDeclaredOneIsInvalid() throws {
        var harness = try connected("[{unit: kW}]")
        _ = try harness.receive("CP1", "MeterValues", EnginePayload.power16("7400", at: t0), at: t0)
        // "14.4kW" declared as W: 14.4 W and 14 400 W are both guesses.
        let payload = EnginePayload.meter16(at: t0 + 1, [("\"14.4kW\"", "Power.Active.Import", "W")])
        #expect(try harness.receive("CP1", "MeterValues", payload, at: t0 + 1) == [engineUpdate(100, .float(7.4), .invalid, at: t0 + 1)])
    }

    @Test func unreadableValueKeepsTheLastValueFlaggedInvalid() throws {
        var harness = try connected("[{unit: kW}]")
        _ = try harness.receive("CP1", "MeterValues", EnginePayload.power16("7400", at: t0), at: t0)
        let first = try harness.receive("CP1", "MeterValues", EnginePayload.power16("abc", at: t0 + 1), at: t0 + 1)
        #expect(first == [engineUpdate(100, .float(7.4), .invalid, at: t0 + 1)])
        // Still unreadable: SCADA already knows, so only the image changes.
        let second = try harness.receive("CP1", "MeterValues", EnginePayload.power16("", at: t0 + 2), at: t0 + 2)
        #expect(second == [engineUpdate(100, .float(7.4), .invalid, at: t0 + 2, .imageOnly)])
        #expect(engineClose(harness.state(100)?.number, 7.4))
    }

    @Test func firstEverValueUnreadableIsAPlaceholderFlaggedInvalid() throws {
        var harness = try connected("[{unit: kW}]")
        let outputs = try harness.receive("CP1", "MeterValues", EnginePayload.power16("abc", at: t0), at: t0)
        #expect(outputs == [engineUpdate(100, .float(0), .invalid, at: t0, .imageOnly)])
        #expect(harness.state(100)?.value == nil)
        #expect(harness.state(100)?.number == nil)
    }

    // MARK: - Selectors on the demo site

    @Test func evseSelectorsRouteSamplesOfTheDemoDCCharger() throws {
        var harness = EngineHarness(try EngineFixture.defaultGraph())
        harness.connect("CP008", .v201, at: t0)
        // EVSE 0 is the main meter: power_kw (IOA 1700) only.
        let main = EnginePayload.meter201(evse: 0, at: t0, [("90", "Power.Active.Import", "kW", nil)])
        #expect(try harness.receive("CP008", "MeterValues", main, at: t0).publishes.map(\.address) == [1700, 10])
        // EVSE 2: evse_power_kw of EVSE 2 (IOA 1707) only.
        let second = EnginePayload.meter201(evse: 2, at: t0 + 1, [("50000", "Power.Active.Import", "W", nil)])
        #expect(try harness.receive("CP008", "MeterValues", second, at: t0 + 1) == [engineUpdate(1707, .float(50), at: t0 + 1)])
    }

    @Test func transactionEventsWithoutEVSEUseTheirTransactionsEVSE() throws {
        var harness = EngineHarness(try EngineFixture.defaultGraph())
        harness.connect("CP008", .v201, at: t0)
        func event(_ kind: String, _ seqNo: Int, evse: Int?, kilowatts: Int, at time: EngineTime) -> String {
            let evsePart = evse.map { ", \"evse\": {\"id\": \($0), \"connectorId\": 1}" } ?? ""
            return """
            {"eventType": "\(kind)", "timestamp": "\(EngineClock.stamp(time))", "triggerReason": "MeterValuePeriodic", "seqNo": \(seqNo), \
            "transactionInfo": {"transactionId": "T-1"}\(evsePart), "meterValue": [{"timestamp": "\(EngineClock.stamp(time))", \
            "sampledValue": [{"value": \(kilowatts), "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "kW"}}]}]}
            """
        }
        // Started names EVSE 2: evse_power_kw of EVSE 2 (IOA 1707).
        #expect(try harness.receive("CP008", "TransactionEvent", event("Started", 0, evse: 2, kilowatts: 50, at: t0), at: t0)
            == [engineUpdate(1707, .float(50), at: t0)])
        // Updated and Ended leave the EVSE out; the engine remembers it from Started.
        #expect(try harness.receive("CP008", "TransactionEvent", event("Updated", 1, evse: nil, kilowatts: 60, at: t0 + 1), at: t0 + 1)
            == [engineUpdate(1707, .float(60), at: t0 + 1)])
        #expect(try harness.receive("CP008", "TransactionEvent", event("Ended", 2, evse: nil, kilowatts: 0, at: t0 + 2), at: t0 + 2)
            == [engineUpdate(1707, .float(0), at: t0 + 2)])
        // After the end the transaction is forgotten: an EVSE-less event of it reaches no EVSE's point.
        #expect(try harness.receive("CP008", "TransactionEvent", event("Updated", 3, evse: nil, kilowatts: 9, at: t0 + 3), at: t0 + 3).isEmpty)
    }

    @Test func legacyDerivedPowerOnlyTakesPeriodicAndClockSamples() throws {
        var harness = EngineHarness(try EngineFixture.defaultGraph())
        harness.connect("CP001", .v16, at: t0)
        let begin = EnginePayload.meter16(at: t0, [("\"1000\"", "Energy.Active.Import.Register", "Wh")], context: "Transaction.Begin")
        _ = try harness.receive("CP001", "MeterValues", begin, at: t0)
        let periodic = EnginePayload.meter16(at: t0 + 60, [("\"1200\"", "Energy.Active.Import.Register", "Wh")], context: "Sample.Periodic")
        // The Transaction.Begin reading was not a derivation base: this is the first register reading, no power yet.
        #expect(try harness.receive("CP001", "MeterValues", periodic, at: t0 + 60).publishes(at: 1000).isEmpty)
        let next = EnginePayload.meter16(at: t0 + 120, [("\"1400\"", "Energy.Active.Import.Register", "Wh")], context: "Sample.Clock")
        #expect(try harness.receive("CP001", "MeterValues", next, at: t0 + 120).publishes(at: 1000)
            == [PointUpdate(address: 1000, value: .float(12), time: EngineClock.tag(t0 + 120))])
    }
}
