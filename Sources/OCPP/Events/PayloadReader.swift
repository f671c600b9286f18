import Foundation

/// A JSON value and its path, so every error and repair names the exact place in the payload.
struct Node {
    /// The value.
    let value: JSONValue
    /// Its JSON path, e.g. `$.meterValue[0].sampledValue`.
    let path: String

    /// The member `key` when this is an object that has it (a `null` member included).
    func member(_ key: String) -> Node? {
        value[key].map { Node(value: $0, path: "\(path).\(key)") }
    }

    /// The elements with their paths, when this is an array.
    var elements: [Node]? {
        value.arrayValue?.enumerated().map { Node(value: $1, path: "\(path)[\($0)]") }
    }
}

/// Reads a payload member by member, turning every surprise into a `NormalizationError` or a recorded repair.
struct PayloadReader {
    /// Whether repairs are allowed.
    let policy: SanitizerPolicy
    /// The charger's configured zone, for timestamps written without one (nil: such timestamps stay unknown).
    var zone: TimeZone?
    /// Repairs and notes so far, in payload order.
    private(set) var repairs: [NormalizedCall.Repair] = []

    /// Records a repair, or in strict mode refuses it with the path.
    mutating func record(_ repair: ValueRepair, at path: String) throws(NormalizationError) {
        guard policy == .lenient else {
            throw NormalizationError(path: path, message: "value needs repair: \(repair)", refusedRepair: repair)
        }
        repairs.append(NormalizedCall.Repair(path: path, repair: repair))
    }

    /// The repairs recorded since `start`, for a value's own list.
    func repairs(since start: Int) -> [ValueRepair] {
        repairs[start...].map(\.repair)
    }

    /// A required member; absent or `null` is an error (the schema would have caught it).
    func required(_ parent: Node, _ key: String) throws(NormalizationError) -> Node {
        guard let node = parent.member(key), !node.value.isNull else {
            throw NormalizationError(path: "\(parent.path).\(key)", message: "required member is missing")
        }
        return node
    }

    /// An optional member; `null` counts as absent, with a repair.
    mutating func optional(_ parent: Node, _ key: String) throws(NormalizationError) -> Node? {
        guard let node = parent.member(key) else { return nil }
        if node.value.isNull {
            try record(.nullWhereValueBelongs, at: node.path)
            return nil
        }
        return node
    }

    /// The string at `node`.
    func string(_ node: Node) throws(NormalizationError) -> String {
        guard let string = node.value.stringValue else { throw Self.wrongType(node, "a string") }
        return string
    }

    /// The integer at `node`.
    func int(_ node: Node) throws(NormalizationError) -> Int {
        guard let int = node.value.numberValue?.int else { throw Self.wrongType(node, "an integer") }
        return int
    }

    /// The Boolean at `node`.
    func bool(_ node: Node) throws(NormalizationError) -> Bool {
        guard let bool = node.value.boolValue else { throw Self.wrongType(node, "a Boolean") }
        return bool
    }

    /// `node` itself, checked to be an object.
    func object(_ node: Node) throws(NormalizationError) -> Node {
        guard node.value.objectValue != nil else { throw Self.wrongType(node, "an object") }
        return node
    }

    /// An optional object member.
    mutating func optionalObject(_ parent: Node, _ key: String) throws(NormalizationError) -> Node? {
        guard let node = try optional(parent, key) else { return nil }
        return try object(node)
    }

    /// An optional Boolean member.
    mutating func optionalBool(_ parent: Node, _ key: String) throws(NormalizationError) -> Bool? {
        guard let node = try optional(parent, key) else { return nil }
        return try bool(node)
    }

    /// A required string member.
    func requiredString(_ parent: Node, _ key: String) throws(NormalizationError) -> String {
        try string(required(parent, key))
    }

    /// An optional string member.
    mutating func optionalString(_ parent: Node, _ key: String) throws(NormalizationError) -> String? {
        guard let node = try optional(parent, key) else { return nil }
        return try string(node)
    }

    /// A required integer member.
    func requiredInt(_ parent: Node, _ key: String) throws(NormalizationError) -> Int {
        try int(required(parent, key))
    }

    /// An optional integer member.
    mutating func optionalInt(_ parent: Node, _ key: String) throws(NormalizationError) -> Int? {
        guard let node = try optional(parent, key) else { return nil }
        return try int(node)
    }

    /// A number member; a decimal string is accepted with a repair (chargers quote ids and registers).
    mutating func number(_ node: Node) throws(NormalizationError) -> JSONNumber {
        if let number = node.value.numberValue { return number }
        if let text = node.value.stringValue, let number = LegacyValueSanitizer.decimal(Substring(text)) {
            try record(.stringWhereNumberBelongs, at: node.path)
            return JSONNumber(number)
        }
        throw Self.wrongType(node, "a number")
    }

    /// A timestamp member; an unusable one is nil with a note (strict: an error), a missing required one an error.
    mutating func timestamp(_ parent: Node, _ key: String, required: Bool) throws(NormalizationError) -> UTCInstant? {
        let found = required ? try self.required(parent, key) : try optional(parent, key)
        guard let node = found else { return nil }
        let text = try string(node)
        switch UTCInstant.parse(text) {
        case .success(let instant): return instant
        case .failure(let problem):
            if problem == .withoutZone, let zone, let instant = Self.instant(text, in: zone) {
                try record(.zoneAssumed(text, zone: zone.identifier), at: node.path)
                return instant
            }
            try record(.timestamp(problem, text), at: node.path)
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

    /// An enumerated string: exact match, case-insensitive match (repaired), or kept as sent with a note.
    mutating func enumeration(_ node: Node, field: String, allowed: [String]) throws(NormalizationError) -> String {
        let text = try string(node)
        if allowed.contains(text) { return text }
        let folded = text.lowercased()
        if let match = allowed.first(where: { $0.lowercased() == folded }) {
            try record(field == "measurand" ? .measurandCase(from: text, to: match)
                : .enumCase(field: field, from: text, to: match), at: node.path)
            return match
        }
        try record(field == "measurand" ? .unknownMeasurand(text)
            : .unknownEnumValue(field: field, value: text), at: node.path)
        return text
    }

    /// An error for a value of the wrong JSON type.
    static func wrongType(_ node: Node, _ expected: String) -> NormalizationError {
        NormalizationError(path: node.path, message: "expected \(expected)")
    }
}
