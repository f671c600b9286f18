import Foundation

/// Reads a payload member by member, turning every surprise into a `NormalizationError` or a recorded repair.
///
/// Every method that may name a place is `mutating`, even when it only reads: Swift evaluates the arguments of a
/// mutating call before it accesses the reader, so `reader.string(reader.required(…))` sees the place that
/// `required` has just added, where a non-mutating call would run on a copy taken before it.
struct PayloadReader {
    /// Whether repairs are allowed.
    let policy: SanitizerPolicy
    /// The charger's configured zone, for timestamps written without one (nil: such timestamps stay unknown).
    var zone: TimeZone?
    /// Repairs and notes so far, in payload order.
    private(set) var repairs: [NormalizedCall.Repair] = []
    /// Where every node read so far is.
    private var paths = PayloadPaths()

    /// A reader with the given policy and zone.
    init(policy: SanitizerPolicy, zone: TimeZone?) {
        self.policy = policy
        self.zone = zone
    }

    /// The payload itself as a node, at `$`.
    func root(_ payload: JSONObject) -> Node { Node(value: .object(payload), place: PayloadPaths.root) }

    /// The JSON path of `node`, e.g. `$.meterValue[0].sampledValue`.
    mutating func path(_ node: Node) -> String { paths.text(of: node.place) }

    /// Records a repair, or in strict mode refuses it with the path.
    mutating func record(_ repair: ValueRepair, at node: Node) throws(NormalizationError) {
        let path = path(node)
        guard policy == .lenient else {
            throw NormalizationError(path: path, message: "value needs repair: \(repair)", refusedRepair: repair)
        }
        repairs.append(NormalizedCall.Repair(path: path, repair: repair))
    }

    /// The repairs recorded since `start`, for a value's own list.
    func repairs(since start: Int) -> [ValueRepair] {
        repairs.count == start ? [] : repairs[start...].map(\.repair)
    }

    /// The member `key` when `parent` is an object that has it (a `null` member included).
    mutating func member(_ parent: Node, _ key: StaticString) -> Node? {
        guard case let .object(object) = parent.value, let value = object.value(named: key) else { return nil }
        return Node(value: value, place: paths.member(key, of: parent.place))
    }

    /// Element `index` of the array at `parent`, whose value is `value`.
    mutating func element(_ value: JSONValue, at index: Int, of parent: Node) -> Node {
        Node(value: value, place: paths.element(index, of: parent.place))
    }

    /// A required member; absent or `null` is an error (the schema would have caught it).
    mutating func required(_ parent: Node, _ key: StaticString) throws(NormalizationError) -> Node {
        guard let node = member(parent, key), !node.value.isNull else {
            throw NormalizationError(path: paths.text(ofMember: key, of: parent.place), message: "required member is missing")
        }
        return node
    }

    /// An optional member; `null` counts as absent, with a repair.
    mutating func optional(_ parent: Node, _ key: StaticString) throws(NormalizationError) -> Node? {
        guard let node = member(parent, key) else { return nil }
        if node.value.isNull {
            try record(.nullWhereValueBelongs, at: node)
            return nil
        }
        return node
    }

    /// The string at `node`.
    mutating func string(_ node: Node) throws(NormalizationError) -> String {
        if let string = node.value.stringValue { return string }
        // Chargers that write an id tag or a serial number as a JSON number mean its digits.
        if let number = node.value.numberValue {
            try record(.numberWhereStringBelongs, at: node)
            return number.text
        }
        throw wrongType(node, "a string")
    }

    /// The integer at `node`.
    mutating func int(_ node: Node) throws(NormalizationError) -> Int {
        if let int = node.value.numberValue?.int { return int }
        // A quoted whole number (`"connectorId": "1"`) is read as that number; anything else stays an error.
        if let text = node.value.stringValue, let int = Int(text) {
            try record(.stringWhereNumberBelongs, at: node)
            return int
        }
        throw wrongType(node, "an integer")
    }

    /// The Boolean at `node`.
    mutating func bool(_ node: Node) throws(NormalizationError) -> Bool {
        guard let bool = node.value.boolValue else { throw wrongType(node, "a Boolean") }
        return bool
    }

    /// `node` itself, checked to be an object.
    mutating func object(_ node: Node) throws(NormalizationError) -> Node {
        guard node.value.objectValue != nil else { throw wrongType(node, "an object") }
        return node
    }

    /// The elements of the array at `node`.
    mutating func array(_ node: Node, _ expected: String = "an array") throws(NormalizationError) -> [JSONValue] {
        guard let elements = node.value.arrayValue else { throw wrongType(node, expected) }
        return elements
    }

    /// An optional object member.
    mutating func optionalObject(_ parent: Node, _ key: StaticString) throws(NormalizationError) -> Node? {
        guard let node = try optional(parent, key) else { return nil }
        return try object(node)
    }

    /// An optional Boolean member.
    mutating func optionalBool(_ parent: Node, _ key: StaticString) throws(NormalizationError) -> Bool? {
        guard let node = try optional(parent, key) else { return nil }
        return try bool(node)
    }

    /// A required string member.
    mutating func requiredString(_ parent: Node, _ key: StaticString) throws(NormalizationError) -> String {
        try string(required(parent, key))
    }

    /// An optional string member.
    mutating func optionalString(_ parent: Node, _ key: StaticString) throws(NormalizationError) -> String? {
        guard let node = try optional(parent, key) else { return nil }
        return try string(node)
    }

    /// A required integer member.
    mutating func requiredInt(_ parent: Node, _ key: StaticString) throws(NormalizationError) -> Int {
        try int(required(parent, key))
    }

    /// An optional integer member.
    mutating func optionalInt(_ parent: Node, _ key: StaticString) throws(NormalizationError) -> Int? {
        guard let node = try optional(parent, key) else { return nil }
        return try int(node)
    }

    /// A number member; a decimal string is accepted with a repair (chargers quote ids and registers).
    mutating func number(_ node: Node) throws(NormalizationError) -> JSONNumber {
        if let number = node.value.numberValue { return number }
        if let text = node.value.stringValue, let number = LegacyValueSanitizer.decimal(Substring(text)) {
            try record(.stringWhereNumberBelongs, at: node)
            return JSONNumber(number)
        }
        throw wrongType(node, "a number")
    }

    /// An enumerated string: exact match, case-insensitive match (repaired), or kept as sent with a note.
    mutating func enumeration(_ node: Node, field: String, allowed: StringVocabulary) throws(NormalizationError) -> String {
        let text = try string(node)
        // The vocabulary's own string: consumers comparing against it then compare one storage, not the bytes.
        if let index = allowed.firstIndex(of: text) { return allowed.entries[index] }
        let folded = text.lowercased()
        if let match = allowed.entries.first(where: { $0.lowercased() == folded }) {
            try record(field == "measurand" ? .measurandCase(from: text, to: match)
                : .enumCase(field: field, from: text, to: match), at: node)
            return match
        }
        try record(field == "measurand" ? .unknownMeasurand(text)
            : .unknownEnumValue(field: field, value: text), at: node)
        return text
    }

    /// An error for a value of the wrong JSON type.
    mutating func wrongType(_ node: Node, _ expected: String) -> NormalizationError {
        NormalizationError(path: path(node), message: "expected \(expected)")
    }
}
