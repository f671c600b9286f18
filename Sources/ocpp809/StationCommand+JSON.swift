import Foundation
import IEC104

/// Reads the JSON lines `iec104 serve` accepts.
enum JSONInput {
    static func object(_ line: String) throws -> [String: Any] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
              let object = value as? [String: Any] else { throw InputError("not a JSON object") }
        return object
    }

    static func update(_ object: [String: Any], points: StationPoints) throws -> PointUpdate {
        guard let ioa = (object["ioa"] as? NSNumber)?.intValue, let address = UInt32(exactly: ioa) else {
            throw InputError("'ioa' must be an information object address")
        }
        guard let point = points.monitor[address] else { throw InputError("no monitor point at IOA \(ioa)") }
        guard let raw = object["value"] else { throw InputError("'value' is missing") }
        return PointUpdate(address: address, value: try value(raw, for: point.typeID),
                           quality: try quality(object["quality"]), time: try time(object["time"]),
                           transmission: try transmission(object["cot"]))
    }

    private static func value(_ raw: Any, for type: TypeID) throws -> PointValue {
        let number = raw as? NSNumber
        switch type.nonTimeTagged {
        case .M_SP_NA_1:
            guard let flag = raw as? Bool else { throw InputError("a single point takes true or false") }
            return .single(flag)
        case .M_DP_NA_1:
            let names: [String: DoublePointState] = ["intermediate": .intermediate, "off": .off, "on": .on,
                                                     "indeterminate": .indeterminate]
            guard let name = raw as? String, let state = names[name] else {
                throw InputError("a double point takes \"off\", \"on\", \"intermediate\" or \"indeterminate\"")
            }
            return .double(state)
        case .M_ME_NA_1:
            guard let number, (-1...1).contains(number.doubleValue) else { throw InputError("a normalized value is in -1...1") }
            return .normalized(NormalizedValue(number.doubleValue))
        case .M_ME_NB_1:
            guard let number, let scaled = Int16(exactly: number.doubleValue) else { throw InputError("a scaled value is an integer in -32768...32767") }
            return .scaled(scaled)
        case .M_IT_NA_1:
            guard let number, let total = Int32(exactly: number.doubleValue) else { throw InputError("a counter is a 32-bit integer") }
            return .counter(BinaryCounterReading(total))
        default:
            guard let number, number.doubleValue.isFinite else { throw InputError("a float value must be a finite number") }
            return .float(Float(number.doubleValue))
        }
    }

    private static func quality(_ raw: Any?) throws -> QualityDescriptor {
        guard let raw else { return .good }
        guard let names = raw as? [String] else { throw InputError("'quality' is a list such as [\"IV\", \"NT\"]") }
        let bits: [String: QualityDescriptor] = ["IV": .invalid, "NT": .notTopical, "SB": .substituted, "BL": .blocked,
                                                 "OV": .overflow]
        return try names.reduce(into: QualityDescriptor.good) { quality, name in
            guard let bit = bits[name] else { throw InputError("unknown quality bit '\(name)' (IV, NT, SB, BL, OV)") }
            quality.insert(bit)
        }
    }

    private static func time(_ raw: Any?) throws -> UTCDateTime? {
        guard let raw else { return nil }
        if let text = raw as? String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
            guard let date else { throw InputError("'time' must be ISO 8601 UTC, e.g. 2026-11-24T10:00:00.250Z") }
            return UTCDateTime(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded()))
        }
        throw InputError("'time' must be an ISO 8601 string")
    }

    private static func transmission(_ raw: Any?) throws -> Transmission {
        switch raw as? String {
        case nil where raw == nil, "spontaneous": .spontaneous
        case "periodic": .periodic
        case "background": .background
        case "image": .imageOnly
        default: throw InputError("'cot' is spontaneous, periodic, background or image")
        }
    }
}

extension Command {
    /// The command's value for the JSON event line.
    var jsonValue: Any {
        switch self {
        case let .single(state, _): state
        case let .double(state, _): "\(state)"
        case let .setpointNormalized(value): value.doubleValue
        case let .setpointScaled(value): Int(value)
        case let .setpointFloat(value): Double(value)
        }
    }
}

/// The station's status as a JSON object.
enum StatusJSON {
    static func object(_ status: StationStatus) -> [String: Any] {
        [
            "event": "status",
            "active_master": status.hasActiveMaster,
            "connections": status.connections.map { ["id": $0.id, "remote": $0.remote, "active": $0.isActive] },
            "queued_events": status.queuedEvents,
            "events_enqueued": status.queue.enqueued,
            "events_dropped": status.queue.dropped,
            "events_sent": status.queue.sent,
            "asdus_requeued": status.queue.requeuedASDUs,
            "commands_refused": status.application.commandsRefused,
            "commands_accepted": status.application.commandsAccepted,
            "unknown_ioa": status.application.unknownObjectAddress,
            "t3_test_frames": status.links.t3TestFrames,
            "test_frames_confirmed": status.links.testFramesConfirmed,
            "switchovers": status.server.switchovers,
            "refused_not_allowed": status.server.refusedNotAllowed,
            "refused_limit": status.server.refusedLimit,
            "framing_errors": status.server.framingErrors,
            "publish_rejected": status.server.publishRejected,
        ]
    }
}
