import Testing
@testable import OCPP

@Suite("OCPP-J RPC session")
struct RPCSessionTests {
    func sentCalls(_ actions: [RPCAction]) -> [(id: String, action: String)] {
        actions.compactMap { if case let .send(.call(id, action, _)) = $0 { (id, action) } else { nil } }
    }

    @Test("One CALL outstanding; the next goes when the answer arrives; results reach their tickets")
    func oneAtATime() {
        var session = RPCSession(callTimeout: .seconds(30))
        let first = session.call("SetChargingProfile", payload: JSONObject(), now: .zero)
        let second = session.call("GetCompositeSchedule", payload: JSONObject(), now: .seconds(1))
        let firstSent = sentCalls(first.actions)
        #expect(firstSent.map(\.action) == ["SetChargingProfile"])
        #expect(second.actions.isEmpty)
        #expect(session.queuedCount == 1)

        var accepted = JSONObject()
        accepted["status"] = .string("Accepted")
        let answered = session.receive(.frame(.callResult(id: firstSent[0].id, payload: accepted)), now: .seconds(2))
        #expect(answered.first == .completed(ticket: first.ticket, .result(accepted)))
        #expect(sentCalls(answered).map(\.action) == ["GetCompositeSchedule"])
        #expect(sentCalls(answered).first?.id != firstSent[0].id)
    }

    @Test("A response to another id is dropped and counted; the call still waits")
    func unmatched() {
        var session = RPCSession()
        _ = session.call("TriggerMessage", payload: JSONObject(), now: .zero)
        let actions = session.receive(.frame(.callResult(id: "not-ours", payload: JSONObject())), now: .seconds(1))
        #expect(actions.count == 1)
        if case .dropped = actions.first {} else { Issue.record("expected a drop, got \(actions)") }
        #expect(session.counters.unmatchedResponses == 1)
        #expect(session.isWaiting)
    }

    @Test("CALLERROR, timeout and a broken response end the call with their outcome")
    func outcomes() {
        var session = RPCSession(callTimeout: .seconds(10))
        let a = session.call("A", payload: JSONObject(), now: .zero)
        let b = session.call("B", payload: JSONObject(), now: .zero)
        let c = session.call("C", payload: JSONObject(), now: .zero)
        let idA = sentCalls(a.actions)[0].id
        let error = session.receive(.frame(.callError(id: idA, code: .notSupported, description: "no", details: JSONObject())),
                                    now: .seconds(1))
        #expect(error.first == .completed(ticket: a.ticket, .callError(.notSupported, description: "no", details: JSONObject())))
        let idB = sentCalls(error)[0].id
        #expect(session.nextDeadline == .seconds(11))
        #expect(session.tick(now: .seconds(10)).isEmpty)
        let timedOut = session.tick(now: .seconds(11))
        #expect(timedOut.first == .completed(ticket: b.ticket, .timeout))
        let idC = sentCalls(timedOut)[0].id
        #expect(idC != idB)
        let broken = session.receive(.invalid(.payloadNotAnObject, id: idC, reply: nil), now: .seconds(12))
        #expect(broken == [.completed(ticket: c.ticket, .malformedResponse(.payloadNotAnObject))])
        #expect(session.counters.timeouts == 1)
        #expect(session.counters.callErrors == 1)
    }

    @Test("The queue is bounded; losing the connection ends every call, later calls end at once")
    func boundsAndLoss() {
        var session = RPCSession(maximumQueuedCalls: 2)
        let tickets = (0..<4).map { session.call("X\($0)", payload: JSONObject(), now: .zero) }
        #expect(tickets[3].actions == [.completed(ticket: tickets[3].ticket, .queueFull)])
        #expect(session.counters.queueFull == 1)
        let lost = session.connectionLost()
        #expect(lost == (0..<3).map { .completed(ticket: tickets[$0].ticket, .disconnected) })
        let late = session.call("Y", payload: JSONObject(), now: .seconds(1))
        #expect(late.actions == [.completed(ticket: late.ticket, .disconnected)])
    }

    @Test("Incoming CALLs are handed on; invalid frames answered as the parser decided")
    func incoming() {
        var session = RPCSession()
        let call = session.receive(.frame(.call(id: "c1", action: "Heartbeat", payload: JSONObject())), now: .zero)
        #expect(call == [.incomingCall(id: "c1", action: "Heartbeat", payload: JSONObject())])
        let reply = RPCFrame.callError(id: "-1", code: .rpcFrameworkError, description: "x", details: JSONObject())
        #expect(session.receive(.invalid(.notAnArray, id: nil, reply: reply), now: .zero) == [.send(reply)])
        #expect(session.counters.callsReceived == 1)
        #expect(session.counters.invalidFrames == 1)
    }
}
