import Testing
@testable import IEC104

@Suite("Station application: commands and select-before-operate")
struct StationCommandTests {
    /// Sends a command and, when it reaches the handler, answers it; returns the replies.
    func command(_ station: inout StationFixture, _ asdu: ASDU, from connection: ConnectionID = 1,
                 at now: Duration = .zero, answer: CommandAnswer = .accepted) throws -> (replies: [ASDU], handled: CommandRequest?) {
        let outputs = try station.send(asdu, from: connection, at: now)
        var replies = StationFixture.replies(outputs)
        for case let .dispatch(id, request) in outputs {
            let completion = station.application.completeCommand(id: id, answer: answer, now: now)
            replies += completion?.replies ?? []
            return (replies, request)
        }
        return (replies, nil)
    }

    @Test("Direct execute on a point without SBO: handler, ACT_CON, ACT_TERM")
    func directExecute() throws {
        var station = StationFixture()
        let asdu = StationFixture.setpoint(7.5, at: 21, select: false)
        let (replies, request) = try command(&station, asdu)
        #expect(request?.command == .setpointFloat(7.5))
        #expect(request?.phase == .execute)
        #expect(request?.originatorAddress == 3)
        #expect(replies == [asdu.answer(.activationConfirmation), asdu.answer(.activationTermination)])
    }

    @Test("Handler rejection: negative ACT_CON and no ACT_TERM")
    func rejected() throws {
        var station = StationFixture()
        let asdu = StationFixture.setpoint(7.5, at: 21, select: false)
        let (replies, _) = try command(&station, asdu, answer: .rejected(reason: "charger offline"))
        #expect(replies == [asdu.answer(.activationConfirmation, negative: true)])
        #expect(station.application.counters.commandsRejected == 1)
    }

    @Test("SBO: execute without select refused before the handler; select then execute succeeds")
    func selectBeforeOperate() throws {
        var station = StationFixture()
        let execute = StationFixture.setpoint(100, at: 20, select: false)
        let direct = try command(&station, execute)
        #expect(direct.handled == nil)
        #expect(direct.replies == [execute.answer(.activationConfirmation, negative: true)])
        #expect(station.application.counters.refusedWithoutSelect == 1)

        let select = StationFixture.setpoint(100, at: 20, select: true)
        let selected = try command(&station, select, at: .seconds(1))
        #expect(selected.handled?.phase == .select)
        #expect(selected.replies == [select.answer(.activationConfirmation)])
        let executed = try command(&station, execute, at: .seconds(2))
        #expect(executed.handled?.phase == .execute)
        #expect(executed.replies == [execute.answer(.activationConfirmation), execute.answer(.activationTermination)])
        // The selection is used up.
        #expect(try command(&station, execute, at: .seconds(3)).handled == nil)
    }

    @Test("SBO: an expired selection, a different value, or another master's select are refused")
    func selectionRefusals() throws {
        var station = StationFixture()
        let select = StationFixture.setpoint(100, at: 20, select: true)
        let execute = StationFixture.setpoint(100, at: 20, select: false)
        _ = try command(&station, select, at: .zero)
        let late = try command(&station, execute, at: .seconds(11))
        #expect(late.handled == nil)
        #expect(late.replies.first?.causeOfTransmission.isNegative == true)
        #expect(station.application.counters.selectionsExpired == 1)

        _ = try command(&station, select, at: .seconds(20))
        let other = try command(&station, StationFixture.setpoint(90, at: 20, select: false), at: .seconds(21))
        #expect(other.handled == nil)
        #expect(other.replies.first?.causeOfTransmission.isNegative == true)

        _ = try command(&station, select, at: .seconds(30))
        let second = try command(&station, select, from: 2, at: .seconds(31))
        #expect(second.handled == nil)
        #expect(second.replies == [select.answer(.activationConfirmation, negative: true)])
    }

    @Test("DEACT cancels the selection (DEACT_CON); without one it is refused; link loss drops selections")
    func deactivation() throws {
        var station = StationFixture()
        let select = StationFixture.setpoint(100, at: 20, select: true)
        _ = try command(&station, select)
        let deact = StationFixture.setpoint(100, at: 20, select: true, cause: .deactivation)
        #expect(try command(&station, deact).replies == [deact.answer(.deactivationConfirmation)])
        #expect(station.application.selections.isEmpty)
        #expect(try command(&station, deact).replies == [deact.answer(.deactivationConfirmation, negative: true)])

        _ = try command(&station, select)
        station.application.connectionClosed(1)
        #expect(station.application.selections.isEmpty)
        // Another master may now select.
        #expect(try command(&station, select, from: 2).handled?.phase == .select)
    }

    @Test("A command still with the handler makes the next one on the point busy; a closed master gets no answer")
    func busyAndOrphaned() throws {
        var station = StationFixture()
        let asdu = StationFixture.setpoint(5, at: 21, select: false)
        let first = try station.send(asdu)
        guard case let .dispatch(id, _)? = first.first else {
            Issue.record("expected a dispatch, got \(first)")
            return
        }
        let second = StationFixture.replies(try station.send(asdu))
        #expect(second == [asdu.answer(.activationConfirmation, negative: true)])
        station.application.connectionClosed(1)
        #expect(station.application.completeCommand(id: id, answer: .accepted, now: .zero) == nil)
        #expect(station.application.counters.commandsAccepted == 1)
    }

    @Test("Time-tagged set-point (C_SE_TC_1) is accepted at a C_SE_NC_1 point and carries the master's time")
    func timeTagged() throws {
        var station = StationFixture()
        let tag = try #require(CP56Time2a(station.wallClock))
        let asdu = ASDU(typeID: .C_SE_TC_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                        objects: [InformationObject(address: 21, .setpointFloatWithTime(3, SetpointQualifier(), tag))])
        let (replies, request) = try command(&station, asdu)
        #expect(request?.time == tag)
        #expect(request?.typeID == .C_SE_NC_1)
        #expect(replies.last == asdu.answer(.activationTermination))
    }

    @Test("A set-point at a single-command point is an unknown IOA for that type (47)")
    func wrongTypeAtPoint() throws {
        var station = StationFixture()
        let replies = try command(&station, StationFixture.setpoint(1, at: 22, select: false)).replies
        #expect(replies.first?.causeOfTransmission.cause == .unknownObjectAddress)
    }
}
