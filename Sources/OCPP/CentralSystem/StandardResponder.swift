import Foundation
import NIOConcurrencyHelpers

/// Schema-valid default answers to the CALLs chargers send, for a central system that only needs to keep
/// chargers happy: boot accepted with a heartbeat interval, every id tag accepted, fresh transaction ids.
public final class StandardResponder: Sendable {
    /// The heartbeat interval sent in BootNotification answers, seconds.
    public let heartbeatInterval: Int
    private let nextTransactionID: NIOLockedValueBox<Int>

    /// Creates a responder; transaction ids start from the current time so a restart does not reuse them.
    public init(heartbeatInterval: Int = 300) {
        self.heartbeatInterval = heartbeatInterval
        nextTransactionID = NIOLockedValueBox(Int(Date().timeIntervalSince1970) % 1_000_000_000)
    }

    /// The answer to `call`; actions the responder does not know get NotImplemented.
    public func answer(_ call: IncomingCall) -> IncomingCallAnswer {
        var payload = JSONObject()
        switch (call.version, call.action) {
        case (_, "BootNotification"):
            payload["status"] = .string("Accepted")
            payload["currentTime"] = .string(Self.now())
            payload["interval"] = .number(JSONNumber(heartbeatInterval))
        case (_, "Heartbeat"):
            payload["currentTime"] = .string(Self.now())
        case (_, "StatusNotification"), (_, "MeterValues"), (.v201, "TransactionEvent"), (.v201, "NotifyEvent"),
             (.v201, "SecurityEventNotification"):
            break
        case (.v16, "Authorize"), (.v16, "StopTransaction"):
            payload["idTagInfo"] = .object(JSONObject(["status": .string("Accepted")]))
        case (.v16, "StartTransaction"):
            let id = nextTransactionID.withLockedValue { id in
                defer { id = id >= Int(Int32.max) ? 1 : id + 1 }
                return id
            }
            payload["transactionId"] = .number(JSONNumber(id))
            payload["idTagInfo"] = .object(JSONObject(["status": .string("Accepted")]))
        case (.v16, "DataTransfer"):
            payload["status"] = .string("Accepted")
        case (.v201, "Authorize"):
            payload["idTokenInfo"] = .object(JSONObject(["status": .string("Accepted")]))
        default:
            return .error(.notImplemented, description: "\(call.action) is not implemented")
        }
        return .result(payload)
    }

    /// The current UTC time as OCPP writes it, with milliseconds.
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
