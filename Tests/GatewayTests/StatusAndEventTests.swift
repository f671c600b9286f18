import IEC104
import OCPP
import Rules
import Testing
@testable import Gateway

/// StatusNotification → single and double points through maps; NotifyEvent and vendor DataTransfer alarms.
/// Runs on the demo site: CP001 legacy 1.6 (IOA 1000…), CP004 1.6/2.0.1 (1300…), CP008 2.0.1 DC (1700…).
@Suite struct StatusAndEventTests {
    let t0 = EngineClock.t0

    func demo(_ charger: String, _ version: Rules.OCPPVersion) throws -> EngineHarness {
        var harness = EngineHarness(try EngineFixture.defaultGraph())
        harness.connect(charger, version, at: t0)
        return harness
    }

    @Test(arguments: [
        ("Charging", DoublePointState.on), ("SuspendedEV", .on), ("Preparing", .intermediate), ("Finishing", .intermediate),
        ("Available", .off), ("Faulted", .indeterminate), ("Reserved", .indeterminate),
    ])
    func statusMapsToADoublePoint(status: String, state: DoublePointState) throws {
        var h = try demo("CP004", .v16)
        let outputs = try h.receive("CP004", "StatusNotification", EnginePayload.status16(status, at: t0 + 1), at: t0 + 2)
        #expect(outputs == [engineUpdate(1302, .double(state), at: t0 + 1)])
    }

    @Test func statusMapsToASinglePointAndRepeatsAreReported() throws {
        var h = try demo("CP001", .v16)
        let charging = try h.receive("CP001", "StatusNotification", EnginePayload.status16("SuspendedEVSE", at: t0), at: t0)
        #expect(charging == [engineUpdate(1002, .single(true), at: t0)])
        let finishing = try h.receive("CP001", "StatusNotification", EnginePayload.status16("Finishing", at: t0 + 5), at: t0 + 5)
        #expect(finishing == [engineUpdate(1002, .single(false), at: t0 + 5)])
    }

    @Test func statusWithoutTimestampIsTaggedWithItsArrival() throws {
        var h = try demo("CP001", .v16)
        let outputs = try h.receive("CP001", "StatusNotification", EnginePayload.status16("Charging", at: nil), at: t0 + 7)
        #expect(outputs == [engineUpdate(1002, .single(true), at: t0 + 7)])
    }

    @Test func status201GoesToTheEVSEsOwnPoint() throws {
        var h = try demo("CP008", .v201)
        let occupied = try h.receive("CP008", "StatusNotification", EnginePayload.status201("Occupied", evse: 2, at: t0), at: t0)
        #expect(occupied == [engineUpdate(1703, .single(true), at: t0)])
        let available = try h.receive("CP008", "StatusNotification", EnginePayload.status201("Available", evse: 1, at: t0 + 1), at: t0 + 1)
        #expect(available == [engineUpdate(1702, .single(false), at: t0 + 1)])
        #expect(h.state(1703)?.value == .single(true))
    }

    @Test func notifyEventRaisedAndClearedThroughAMap() throws {
        var h = try demo("CP008", .v201)
        let raised = EnginePayload.notifyEvent(component: "ChargingStation", variable: "Overload", cleared: false, at: t0)
        #expect(try h.receive("CP008", "NotifyEvent", raised, at: t0 + 1) == [engineUpdate(1705, .single(true), at: t0)])
        let cleared = EnginePayload.notifyEvent(component: "ChargingStation", variable: "Overload", cleared: true, at: t0 + 30)
        #expect(try h.receive("CP008", "NotifyEvent", cleared, at: t0 + 31) == [engineUpdate(1705, .single(false), at: t0 + 30)])
        let other = EnginePayload.notifyEvent(component: "EVSE", variable: "Problem", cleared: false, at: t0 + 40)
        #expect(try h.receive("CP008", "NotifyEvent", other, at: t0 + 41).isEmpty)
    }

    @Test func notifyEventWithoutAMapSetsAndResetsTheAlarm() throws {
        var h = try demo("CP004", .v201)
        let raised = EnginePayload.notifyEvent(component: "ChargingStation", variable: "Overload", cleared: false, at: t0)
        #expect(try h.receive("CP004", "NotifyEvent", raised, at: t0) == [engineUpdate(1304, .single(true), at: t0)])
        let cleared = EnginePayload.notifyEvent(component: "ChargingStation", variable: "Overload", cleared: true, at: t0 + 9)
        #expect(try h.receive("CP004", "NotifyEvent", cleared, at: t0 + 9) == [engineUpdate(1304, .single(false), at: t0 + 9)])
    }

    @Test func dataTransferAlarm16SetAndClearedByItsStringData() throws {
        var h = try demo("CP001", .v16)
        let raised = EnginePayload.dataTransfer(vendor: "com.example.wallbox", message: "OverloadAlarm", data: #""{\"phase\": \"L2\"}""#)
        #expect(try h.receive("CP001", "DataTransfer", raised, at: t0) == [engineUpdate(1004, .single(true), at: t0)])
        let cleared = EnginePayload.dataTransfer(vendor: "com.example.wallbox", message: "OverloadAlarm", data: #""{\"cleared\": true}""#)
        #expect(try h.receive("CP001", "DataTransfer", cleared, at: t0 + 5) == [engineUpdate(1004, .single(false), at: t0 + 5)])
        let text = EnginePayload.dataTransfer(vendor: "com.example.wallbox", message: "OverloadAlarm", data: #""raised""#)
        #expect(try h.receive("CP001", "DataTransfer", text, at: t0 + 6) == [engineUpdate(1004, .single(true), at: t0 + 6)])
        let object = EnginePayload.dataTransfer(vendor: "com.example.wallbox", message: "OverloadAlarm", data: #"{"state": "Cleared"}"#)
        #expect(try h.receive("CP001", "DataTransfer", object, at: t0 + 7) == [engineUpdate(1004, .single(false), at: t0 + 7)])
    }

    @Test func dataTransferOfAnotherVendorOrMessageIsIgnored() throws {
        var h = try demo("CP001", .v16)
        let vendor = EnginePayload.dataTransfer(vendor: "com.other", message: "OverloadAlarm", data: #""x""#)
        #expect(try h.receive("CP001", "DataTransfer", vendor, at: t0).isEmpty)
        let message = EnginePayload.dataTransfer(vendor: "com.example.wallbox", message: "Temperature", data: #""x""#)
        #expect(try h.receive("CP001", "DataTransfer", message, at: t0).isEmpty)
    }

    @Test func dataTransferRuleForVersion16IgnoresThe201Connection() throws {
        // CP004's DataTransfer alarm source is written for OCPP 1.6 only; on 2.0.1 it takes NotifyEvent.
        var h = try demo("CP004", .v201)
        let raised = EnginePayload.dataTransfer(vendor: "com.example.wallbox", message: "OverloadAlarm", data: #""x""#)
        #expect(try h.receive("CP004", "DataTransfer", raised, at: t0).isEmpty)
        _ = h.disconnect("CP004", at: t0 + 1)
        h.connect("CP004", .v16, at: t0 + 2)
        #expect(try h.receive("CP004", "DataTransfer", raised, at: t0 + 3) == [engineUpdate(1304, .single(true), at: t0 + 3)])
    }
}
