import Foundation

extension PayloadReader {
    /// A timestamp member; an unusable one is nil with a note (strict: an error), a missing required one an error.
    mutating func timestamp(_ parent: Node, _ key: StaticString, required: Bool) throws(NormalizationError) -> UTCInstant? {
        let found = required ? try self.required(parent, key) : try optional(parent, key)
        guard let node = found else { return nil }
        let text = try string(node)
        switch UTCInstant.parse(text) {
        case .success(let instant): return instant
        case .failure(let problem):
            if problem == .withoutZone, let zone, let instant = Self.instant(text, in: zone) {
                try record(.zoneAssumed(text, zone: zone.identifier), at: node)
                return instant
            }
            try record(.timestamp(problem, text), at: node)
            return nil
        }
    }

    /// A local date-time read in `zone`: the wall-clock fields taken as UTC, then moved by the zone's offset at
    /// that instant (looked up twice, so a time next to a DST change uses the offset in force there).
    static func instant(_ text: String, in zone: TimeZone) -> UTCInstant? {
        guard case let .success(naive) = UTCInstant.parse(text + "Z") else { return nil }
        let wall = naive.millisecondsSince1970
        let first = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall) / 1000))) * 1000
        let second = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall - first) / 1000))) * 1000
        return UTCInstant(millisecondsSince1970: wall - second, original: text)
    }
}
