@testable import OCPP

/// libFuzzer entry: the first byte picks the version, the rest is one WebSocket text message. Whatever it is,
/// the frame parser answers with a frame or a typed problem, every frame (and every reply it proposes) is
/// written as text that reads back to a frame written the same way (1.6 has fewer error codes, so a code may
/// read back as its 1.6 equivalent), the RPC session with one call outstanding ends that call exactly once, and
/// a CALL's payload normalizes under both sanitizer policies to events whose values are finite or absent, never
/// invented, with strict mode making no repairs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRPC(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let version: OCPPVersion = data[0] & 1 == 0 ? .v16 : .v201
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let inbound = RPCFrameParser.parse(text, version: version)
    let written: RPCFrame? = switch inbound {
    case let .frame(frame): frame
    case let .invalid(_, _, reply): reply
    }
    if let written {
        let text = written.serialized(for: version)
        guard case let .frame(again) = RPCFrameParser.parse(text, version: version) else {
            preconditionFailure("a frame the parser accepted or proposed is written as a readable frame: \(text)")
        }
        precondition(again.serialized(for: version) == text, "reading and writing again changes nothing")
    }
    if case let .frame(.call(id, action, payload)) = inbound {
        let call = IncomingCall(identity: "fuzz", version: version, id: id, action: action, payload: payload)
        for policy in [SanitizerPolicy.lenient, .strict] {
            guard case let .success(normalized) = Normalizer.normalize(call, policy: policy) else { continue }
            precondition(policy == .lenient || normalized.repairs.isEmpty, "strict mode never repairs")
            for case let .meterValues(report) in normalized.events {
                for value in report.samples.flatMap(\.values) {
                    precondition(value.value?.isFinite ?? true, "a value is finite or absent")
                }
            }
        }
    }
    var session = RPCSession(callTimeout: .seconds(30), maximumQueuedCalls: 1)
    let (ticket, _) = session.call("TriggerMessage", payload: JSONObject(), now: .zero)
    var ended = session.receive(inbound, now: .seconds(1))
    ended += session.connectionLost()
    let completions = ended.filter { if case .completed(ticket, _) = $0 { true } else { false } }
    precondition(completions.count == 1, "the outstanding call ends exactly once")
    return 0
}
