import Testing
@testable import OCPP

/// Every action of both versions normalized to one event model, statuses, transactions and timestamps.
@Suite struct NormalizerTests {
    typealias F = NormalizerFixture

    // MARK: Simple messages

    @Test func bootOfBothVersions() throws {
        let v16 = try F.normalized(.v16, "BootNotification",
            #"{"chargePointVendor":"ACME","chargePointModel":"Wallbox 22","chargeBoxSerialNumber":"SN1","firmwareVersion":"1.2"}"#,
            policy: .strict)
        #expect(v16.events
            == [.booted(vendor: "ACME", model: "Wallbox 22", serialNumber: "SN1", firmwareVersion: "1.2")])
        let v201 = try F.normalized(.v201, "BootNotification",
            #"{"reason":"PowerUp","chargingStation":{"vendorName":"ACME","model":"DC 150","serialNumber":"SN2"}}"#,
            policy: .strict)
        #expect(v201.events == [.booted(vendor: "ACME", model: "DC 150", serialNumber: "SN2", firmwareVersion: nil)])
    }

    @Test func heartbeatAuthorizeDataTransferSecurity() throws {
        #expect(try F.normalized(.v16, "Heartbeat", "{}").events == [.heartbeat])
        #expect(try F.normalized(.v16, "Authorize", #"{"idTag":"TAG1"}"#).events == [.authorize(idToken: "TAG1")])
        #expect(try F.normalized(.v201, "Authorize", #"{"idToken":{"idToken":"TAG2","type":"ISO14443"}}"#).events
            == [.authorize(idToken: "TAG2")])
        let transfer = try F.normalized(.v16, "DataTransfer",
            #"{"vendorId":"com.acme","messageId":"status","data":"{\"state\":\"hot\"}"}"#)
        #expect(transfer.events == [.dataTransfer(vendorId: "com.acme", messageId: "status",
            data: .string(#"{"state":"hot"}"#))])
        let bare = try F.normalized(.v16, "DataTransfer", #"{"vendorId":"com.acme"}"#)
        #expect(bare.events == [.dataTransfer(vendorId: "com.acme", messageId: nil, data: nil)])
        let security = try F.normalized(.v201, "SecurityEventNotification",
            #"{"type":"TamperDetectionActivated","timestamp":"2026-11-24T10:00:00Z","techInfo":"lid"}"#)
        #expect(security.events == [.securityEvent(type: "TamperDetectionActivated",
            timestamp: UTCInstant(millisecondsSince1970: F.tenOClock, original: "2026-11-24T10:00:00Z"), info: "lid")])
    }

    @Test func actionsWithoutEventsGiveNone() throws {
        #expect(try F.normalized(.v16, "FirmwareStatusNotification", #"{"status":"Idle"}"#).events.isEmpty)
        #expect(try F.normalized(.v16, "TransactionEvent", "{}").events.isEmpty, "2.0.1 only")
        #expect(try F.normalized(.v201, "StartTransaction", "{}").events.isEmpty, "1.6 only")
    }

    @Test func notifyEventGivesOneDeviceEventPerEntry() throws {
        let result = try F.normalized(.v201, "NotifyEvent", #"""
            {"generatedAt":"2026-11-24T10:00:00Z","seqNo":0,"eventData":[
              {"eventId":1,"timestamp":"2026-11-24T10:00:00Z","trigger":"Alerting","actualValue":"true",
               "eventNotificationType":"HardWiredNotification","component":{"name":"EVSE","evse":{"id":2,"connectorId":1}},
               "variable":{"name":"Problem"}},
              {"eventId":2,"timestamp":"2026-11-24T10:00:00Z","trigger":"Delta","actualValue":"false","cleared":true,
               "eventNotificationType":"HardWiredNotification","component":{"name":"ChargingStation"},
               "variable":{"name":"Problem","instance":"x"},"techInfo":"ok"}]}
            """#, policy: .strict)
        let at = UTCInstant(millisecondsSince1970: F.tenOClock, original: "2026-11-24T10:00:00Z")
        #expect(result.events == [.notifyEvent([
            DeviceEvent(eventId: 1, component: "EVSE", evseId: 2, connectorId: 1, variable: "Problem",
                actualValue: "true", trigger: "Alerting", cleared: false, timestamp: at),
            DeviceEvent(eventId: 2, component: "ChargingStation", variable: "Problem", variableInstance: "x",
                actualValue: "false", trigger: "Delta", cleared: true, timestamp: at, techInfo: "ok"),
        ])])
    }

    // MARK: Status

    @Test func statusOf16() throws {
        let whole = try F.normalized(.v16, "StatusNotification",
            #"{"connectorId":0,"errorCode":"NoError","status":"Available"}"#, policy: .strict)
        #expect(whole.events == [.status(ConnectorStatusReport(evseId: 0, connectorId: 0, status: .available,
            original: "Available", errorCode: "NoError"))])
        let two = try F.normalized(.v16, "StatusNotification",
            #"{"connectorId":2,"errorCode":"GroundFailure","status":"SuspendedEVSE","info":"rcd","timestamp":"2026-11-24T10:00:00Z"}"#)
        guard case .status(let report) = try #require(two.events.first) else { throw NormalizerUnexpected() }
        #expect(report.evseId == 2)
        #expect(report.connectorId == 1)
        #expect(report.status == .suspendedEVSE)
        #expect(report.errorCode == "GroundFailure")
        #expect(report.info == "rcd")
        #expect(report.timestamp?.millisecondsSince1970 == F.tenOClock)
    }

    @Test(arguments: [
        ("Available", ConnectorStatus.available), ("Preparing", .preparing), ("Charging", .charging),
        ("SuspendedEVSE", .suspendedEVSE), ("SuspendedEV", .suspendedEV), ("Finishing", .finishing),
        ("Reserved", .reserved), ("Unavailable", .unavailable), ("Faulted", .faulted),
    ])
    func everyStatusOf16(text: String, expected: ConnectorStatus) throws {
        let result = try F.normalized(.v16, "StatusNotification",
            #"{"connectorId":1,"errorCode":"NoError","status":"\#(text)"}"#, policy: .strict)
        guard case .status(let report) = try #require(result.events.first) else { throw NormalizerUnexpected() }
        #expect(report.status == expected)
    }

    @Test func statusOf201() throws {
        let result = try F.normalized(.v201, "StatusNotification",
            #"{"timestamp":"2026-11-24T10:00:00Z","connectorStatus":"Occupied","evseId":1,"connectorId":2}"#,
            policy: .strict)
        #expect(result.events == [.status(ConnectorStatusReport(evseId: 1, connectorId: 2, status: .occupied,
            original: "Occupied",
            timestamp: UTCInstant(millisecondsSince1970: F.tenOClock, original: "2026-11-24T10:00:00Z")))])
    }

    @Test func statusInTheWrongCaseIsRepaired() throws {
        let json = #"{"connectorId":1,"errorCode":"NoError","status":"CHARGING"}"#
        let result = try F.normalized(.v16, "StatusNotification", json)
        guard case .status(let report) = try #require(result.events.first) else { throw NormalizerUnexpected() }
        #expect(report.status == .charging)
        #expect(report.original == "CHARGING")
        #expect(result.repairs == [.init(path: "$.status", repair: .enumCase(field: "status", from: "CHARGING",
            to: "Charging"))])
        #expect(try F.failure(.v16, "StatusNotification", json, policy: .strict).path == "$.status")
    }

    @Test(arguments: [
        (OCPPVersion.v16, "Occupied"), (.v16, "Broken"), (.v16, ""), (.v201, "Charging"), (.v201, "SuspendedEV"),
        (.v201, "Kaputt"),
    ])
    func statusOutsideTheVersionsListIsUnknown(version: OCPPVersion, text: String) throws {
        let json = version == .v16
            ? #"{"connectorId":1,"errorCode":"NoError","status":"\#(text)"}"#
            : #"{"timestamp":"2026-11-24T10:00:00Z","connectorStatus":"\#(text)","evseId":1,"connectorId":1}"#
        let result = try F.normalized(version, "StatusNotification", json)
        guard case .status(let report) = try #require(result.events.first) else { throw NormalizerUnexpected() }
        #expect(report.status == .unknown)
        #expect(report.original == text)
        #expect(result.repairs.map(\.repair) == [.unknownEnumValue(field: "status", value: text)])
    }

    // MARK: Transactions

    @Test func startTransactionOf16() throws {
        let result = try F.normalized(.v16, "StartTransaction",
            #"{"connectorId":2,"idTag":"TAG1","meterStart":12345,"timestamp":"2026-11-24T10:00:00Z"}"#,
            policy: .strict, assignedTransactionId: "17")
        #expect(result.events == [.transaction(TransactionEvent(kind: .started, transactionId: "17", evseId: 2,
            connectorId: 1, idToken: "TAG1", meterWh: 12345,
            timestamp: UTCInstant(millisecondsSince1970: F.tenOClock, original: "2026-11-24T10:00:00Z")))])
    }

    @Test func stopTransactionOf16() throws {
        let result = try F.normalized(.v16, "StopTransaction", #"""
            {"transactionId":17,"meterStop":23456,"timestamp":"2026-11-24T10:00:00Z",
             "transactionData":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"23456","context":"Transaction.End"}]}]}
            """#, policy: .strict)
        guard case .transaction(let event) = try #require(result.events.first) else { throw NormalizerUnexpected() }
        #expect(event.kind == .ended)
        #expect(event.transactionId == "17")
        #expect(event.evseId == nil, "1.6 StopTransaction names no connector")
        #expect(event.meterWh == 23456)
        #expect(event.stopReason == "Local", "1.6 default")
        #expect(event.idToken == nil)
        #expect(event.samples.first?.values.first?.value == 23456)
        #expect(event.samples.first?.values.first?.context == "Transaction.End")
        let remote = try F.normalized(.v16, "StopTransaction",
            #"{"transactionId":18,"meterStop":1,"timestamp":"2026-11-24T10:00:00Z","reason":"Remote","idTag":"T"}"#)
        guard case .transaction(let stopped) = try #require(remote.events.first) else { throw NormalizerUnexpected() }
        #expect(stopped.stopReason == "Remote")
        #expect(stopped.idToken == "T")
    }

    @Test func nullTransactionIdLeavesTheTransactionUnknown() throws {
        let json = #"{"transactionId":null,"meterStop":5,"timestamp":"2026-11-24T10:00:00Z"}"#
        let result = try F.normalized(.v16, "StopTransaction", json)
        guard case .transaction(let event) = try #require(result.events.first) else { throw NormalizerUnexpected() }
        #expect(event.transactionId == nil)
        #expect(event.meterWh == 5)
        #expect(result.repairs == [.init(path: "$.transactionId", repair: .nullTransactionId)])
        let strict = try F.failure(.v16, "StopTransaction", json, policy: .strict)
        #expect(strict.path == "$.transactionId")
        #expect(strict.refusedRepair == .nullTransactionId)
        let missing = try F.failure(.v16, "StopTransaction", #"{"meterStop":5,"timestamp":"2026-11-24T10:00:00Z"}"#)
        #expect(missing.path == "$.transactionId")
        let quoted = try F.normalized(.v16, "StopTransaction",
            #"{"transactionId":"19","meterStop":"5","timestamp":"2026-11-24T10:00:00Z"}"#)
        #expect(quoted.repairs.map(\.repair) == [.stringWhereNumberBelongs, .stringWhereNumberBelongs])
    }

    @Test func transactionEventOf201() throws {
        let result = try F.normalized(.v201, "TransactionEvent", #"""
            {"eventType":"Started","timestamp":"2026-11-24T10:00:00Z","triggerReason":"CablePluggedIn","seqNo":0,
             "transactionInfo":{"transactionId":"tx-1","chargingState":"EVConnected"},
             "evse":{"id":1,"connectorId":2},"idToken":{"idToken":"TAG","type":"ISO14443"},
             "meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":1.5,"unitOfMeasure":{"unit":"kWh","multiplier":0}}]}]}
            """#, policy: .strict)
        let at = UTCInstant(millisecondsSince1970: F.tenOClock, original: "2026-11-24T10:00:00Z")
        let sample = MeterSample(timestamp: at, values: [SampledValue(value: 1.5, raw: "1.5", unit: "kWh")])
        #expect(result.events == [.transaction(TransactionEvent(kind: .started, transactionId: "tx-1", evseId: 1,
            connectorId: 2, idToken: "TAG", triggerReason: "CablePluggedIn", chargingState: "EVConnected", seqNo: 0,
            samples: [sample], timestamp: at))])
    }

    @Test func transactionEventKindsAndStopReasons() throws {
        func event(_ type: String, _ info: String, extra: String = "") throws -> TransactionEvent {
            let result = try F.normalized(.v201, "TransactionEvent",
                #"{"eventType":"\#(type)","timestamp":"2026-11-24T10:00:00Z","triggerReason":"RemoteStop","seqNo":3,"transactionInfo":\#(info)\#(extra)}"#)
            guard case .transaction(let event) = try #require(result.events.first) else { throw NormalizerUnexpected() }
            return event
        }
        let updated = try event("Updated", #"{"transactionId":"t"}"#)
        #expect(updated.kind == .updated)
        #expect(updated.stopReason == nil)
        #expect(updated.seqNo == 3)
        #expect(updated.evseId == nil)
        #expect(try event("Ended", #"{"transactionId":"t"}"#).stopReason == "Local", "omitted only when Local")
        let ended = try event(
            "Ended", #"{"transactionId":"t","stoppedReason":"EVDisconnected"}"#, extra: #","offline":true"#)
        #expect(ended.kind == .ended)
        #expect(ended.stopReason == "EVDisconnected")
        #expect(ended.offline)
        #expect(try event("ended", #"{"transactionId":"t"}"#).kind == .ended, "wrong case repaired")
        let unknown = try F.failure(.v201, "TransactionEvent",
            #"{"eventType":"Paused","timestamp":"2026-11-24T10:00:00Z","triggerReason":"Trigger","seqNo":1,"transactionInfo":{"transactionId":"t"}}"#)
        #expect(unknown.path == "$.eventType")
    }

    // MARK: Timestamps

    @Test(arguments: [
        ("2026-11-24T10:00:00Z", 1_795_514_400_000 as Int64), ("2026-11-24T11:30:00+01:30", 1_795_514_400_000),
        ("2026-11-24t10:00:00z", 1_795_514_400_000), ("2026-11-24 10:00:00Z", 1_795_514_400_000),
        ("2024-02-29T23:59:59.123456789Z", 1_709_251_199_123), ("2024-02-29T23:59:59.1Z", 1_709_251_199_100),
        ("2000-03-01T00:00:00-05:00", 951_886_800_000), ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.5Z", -500), ("2016-12-31T23:59:60Z", 1_483_228_800_000),
    ])
    func timestampsParse(text: String, milliseconds: Int64) {
        #expect(UTCInstant.parse(text) == .success(UTCInstant(millisecondsSince1970: milliseconds, original: text)))
    }

    @Test(arguments: [
        ("2026-11-24T10:00:00", TimestampProblem.withoutZone), ("2026-11-24T10:00:00.250", .withoutZone),
        ("2023-02-29T10:00:00Z", .impossible), ("2024-13-01T10:00:00Z", .impossible),
        ("2024-04-31T10:00:00Z", .impossible), ("2024-01-01T24:00:00Z", .impossible),
        ("2024-01-01T10:60:00Z", .impossible), ("2024-01-01T10:00:00+25:00", .impossible),
        ("2024-00-10T10:00:00Z", .impossible), ("", .unreadable), ("2024-01-01", .unreadable),
        ("garbage", .unreadable), ("2024-01-01T10:00:00.Z", .unreadable), ("2024-01-01T10:00:00+0100", .unreadable),
        ("2024-01-01T10:00:00Z ", .unreadable), ("24-01-01T10:00:00Z", .unreadable),
    ])
    func timestampsRefused(text: String, problem: TimestampProblem) {
        #expect(UTCInstant.parse(text) == .failure(problem))
        #expect(UTCInstant(rfc3339: text) == nil)
    }

    @Test func timestampWithoutZoneIsNilAndReported() throws {
        let json = #"{"timestamp":"2026-11-24T10:00:00","connectorStatus":"Available","evseId":1,"connectorId":1}"#
        let result = try F.normalized(.v201, "StatusNotification", json)
        guard case .status(let report) = try #require(result.events.first) else { throw NormalizerUnexpected() }
        #expect(report.timestamp == nil, "the zone is never guessed")
        #expect(result.repairs == [.init(path: "$.timestamp", repair: .timestampWithoutZone("2026-11-24T10:00:00"))])
        let strict = try F.failure(.v201, "StatusNotification", json, policy: .strict)
        #expect(strict.path == "$.timestamp")
        let impossible = try F.normalized(.v16, "MeterValues",
            #"{"connectorId":1,"meterValue":[{"timestamp":"2026-02-30T10:00:00Z","sampledValue":[{"value":"1"}]}]}"#)
        #expect(impossible.repairs.map(\.repair) == [.impossibleTimestamp("2026-02-30T10:00:00Z")])
    }

    @Test func instantsOrderByTime() throws {
        let early = try #require(UTCInstant(rfc3339: "2026-11-24T11:00:00+02:00"))
        let late = try #require(UTCInstant(rfc3339: "2026-11-24T10:00:00Z"))
        #expect(early < late)
        let same = try #require(UTCInstant(rfc3339: "2026-11-24T11:00:00+01:00"))
        #expect(same.millisecondsSince1970 == late.millisecondsSince1970)
        #expect(same != late, "equal instants with different text stay distinguishable")
        #expect((same < late) != (late < same))
    }

    // MARK: Errors

    @Test func missingMembersAndWrongTypesAreErrorsNotTraps() throws {
        #expect(try F.failure(.v16, "StatusNotification", #"{"errorCode":"NoError","status":"Available"}"#).path
            == "$.connectorId")
        // A quoted whole number is repaired (NormalizerCoercionTests); other text stays an error.
        #expect(try F.failure(.v16, "StatusNotification", #"{"connectorId":"one","errorCode":"NoError","status":"Available"}"#)
            .path == "$.connectorId")
        #expect(try F.failure(.v201, "BootNotification", #"{"reason":"PowerUp","chargingStation":[]}"#).path
            == "$.chargingStation")
        #expect(try F.failure(.v201, "NotifyEvent", #"{"generatedAt":"2026-11-24T10:00:00Z","seqNo":0,"eventData":[{}]}"#)
            .path == "$.eventData[0].component")
        #expect(try F.failure(.v16, "StartTransaction", #"{"connectorId":1,"idTag":"T","meterStart":true,"timestamp":"2026-11-24T10:00:00Z"}"#)
            .path == "$.meterStart")
    }
}
