import Testing
@testable import OCPP

@Suite("OCPP-J frames")
struct RPCFrameTests {
    @Test("CALL, CALLRESULT and CALLERROR are read; payload key order and number text survive")
    func wellFormed() throws {
        let call = RPCFrameParser.parse(#"[2,"19223201","MeterValues",{"connectorId":1,"value":14.40}]"#, version: .v16)
        guard case let .frame(.call(id, action, payload)) = call else {
            Issue.record("expected a CALL, got \(call)")
            return
        }
        #expect(id == "19223201")
        #expect(action == "MeterValues")
        #expect(payload.keys == ["connectorId", "value"])
        #expect(payload["value"] == .number(try #require(JSONNumber(text: "14.40"))))

        #expect(RPCFrameParser.parse(#"[3,"a",{}]"#, version: .v201) == .frame(.callResult(id: "a", payload: JSONObject())))
        #expect(RPCFrameParser.parse(#"[4,"a","OccurenceConstraintViolation","x",{}]"#, version: .v201)
            == .frame(.callError(id: "a", code: .occurrenceConstraintViolation, description: "x", details: JSONObject())))
        // Details left out, as some chargers do.
        #expect(RPCFrameParser.parse(#"[4,"a","FormationViolation","x"]"#, version: .v16)
            == .frame(.callError(id: "a", code: .formatViolation, description: "x", details: JSONObject())))
    }

    @Test("Error codes: both spellings in, the version's own out")
    func spellings() {
        #expect(RPCErrorCode("FormationViolation") == RPCErrorCode("FormatViolation"))
        #expect(RPCErrorCode.formatViolation.spelling(for: .v16) == "FormationViolation")
        #expect(RPCErrorCode.formatViolation.spelling(for: .v201) == "FormatViolation")
        #expect(RPCErrorCode.occurrenceConstraintViolation.spelling(for: .v16) == "OccurenceConstraintViolation")
        #expect(RPCErrorCode.occurrenceConstraintViolation.spelling(for: .v201) == "OccurrenceConstraintViolation")
        #expect(RPCErrorCode("VendorSpecific") == .other("VendorSpecific"))
        #expect(RPCErrorCode.other("VendorSpecific").spelling(for: .v16) == "VendorSpecific")
    }

    @Test("Unreadable id: RpcFrameworkError to id -1 on 2.0.1, silence on 1.6")
    func unreadableID() {
        for text in ["not json", "{}", "[]", #"["2","a","Heartbeat",{}]"#, #"[2,17,"Heartbeat",{}]"#, #"[2]"#] {
            guard case let .invalid(_, id, reply) = RPCFrameParser.parse(text, version: .v201) else {
                Issue.record("\(text) must be invalid")
                continue
            }
            #expect(id == nil)
            guard case let .callError(replyID, code, _, _)? = reply else {
                Issue.record("\(text) must be answered on 2.0.1")
                continue
            }
            #expect(replyID == "-1")
            #expect(code == .rpcFrameworkError)
            guard case let .invalid(_, _, silent) = RPCFrameParser.parse(text, version: .v16) else { continue }
            #expect(silent == nil)
        }
    }

    @Test("Unknown message type: MessageTypeNotSupported with the id on 2.0.1, ignored on 1.6")
    func unknownMessageType() {
        let text = #"[6,"m1","Heartbeat",{}]"#
        guard case let .invalid(problem, id, reply) = RPCFrameParser.parse(text, version: .v201) else {
            Issue.record("must be invalid")
            return
        }
        #expect(problem == .unknownMessageType("6"))
        #expect(id == "m1")
        #expect(reply?.id == "m1")
        if case let .callError(_, code, _, _)? = reply { #expect(code == .messageTypeNotSupported) } else {
            Issue.record("expected a CALLERROR")
        }
        guard case let .invalid(_, _, silent) = RPCFrameParser.parse(text, version: .v16) else { return }
        #expect(silent == nil)
    }

    @Test("A CALL with a readable id but a broken shape is answered to its id; broken responses never are")
    func malformed() {
        guard case let .invalid(_, _, reply) = RPCFrameParser.parse(#"[2,"c1","MeterValues","oops"]"#, version: .v16),
              case let .callError(id, code, _, _)? = reply else {
            Issue.record("a CALL with a string payload must be answered")
            return
        }
        #expect(id == "c1")
        #expect(code == .formatViolation)
        #expect(reply?.serialized(for: .v16).contains("FormationViolation") == true)
        guard case let .invalid(_, _, extra) = RPCFrameParser.parse(#"[2,"c2","Heartbeat",{},1]"#, version: .v201) else {
            Issue.record("a CALL with five elements must be invalid")
            return
        }
        #expect(extra?.id == "c2")
        for response in [#"[3,"r1"]"#, #"[3,"r1",null]"#, #"[4,"r1",5,"x",{}]"#] {
            guard case let .invalid(_, id, reply) = RPCFrameParser.parse(response, version: .v201) else {
                Issue.record("\(response) must be invalid")
                continue
            }
            #expect(id == "r1")
            #expect(reply == nil)
        }
    }

    @Test("Found by FuzzRPC: a 1.6 reply to a broken CALL reads back as FormationViolation, written identically")
    func brokenCallReply16() {
        guard case let .invalid(_, _, reply?) = RPCFrameParser.parse(#"[2,"1","Heartbeat","",{}]"#, version: .v16) else {
            Issue.record("a five-element CALL must be answered")
            return
        }
        let text = reply.serialized(for: .v16)
        #expect(text.contains(#""FormationViolation""#))
        guard case let .frame(again) = RPCFrameParser.parse(text, version: .v16) else {
            Issue.record("the reply must be a readable frame")
            return
        }
        #expect(again.serialized(for: .v16) == text)
    }

    @Test("Serialized frames read back to themselves")
    func roundTrip() {
        var payload = JSONObject()
        payload["status"] = .string("Accepted")
        payload["interval"] = .number(JSONNumber(300))
        let frames: [RPCFrame] = [
            .call(id: "csms-1", action: "SetChargingProfile", payload: payload),
            .callResult(id: "x", payload: payload),
            .callError(id: "y", code: .notImplemented, description: "Unknown action \"Foo\"", details: JSONObject()),
        ]
        for frame in frames {
            for version in OCPPVersion.allCases {
                #expect(RPCFrameParser.parse(frame.serialized(for: version), version: version) == .frame(frame))
            }
        }
        #expect(frames[0].serialized(for: .v16) == #"[2,"csms-1","SetChargingProfile",{"status":"Accepted","interval":300}]"#)
    }
}
