/// A compiled JSON Schema (the draft-04/06 subset the official OCPP 1.6 and 2.0.1 schemas use): type, enum,
/// properties, required, additionalProperties, items, additionalItems, minItems, maxItems, maxLength,
/// minimum, maximum, multipleOf, format date-time, and local `$ref`s into `definitions`.
///
/// Hand-written because no maintained Swift JSON Schema validator is in the package set, and the gateway
/// needs the exact JSON path of each violation to say what a charger got wrong.
public struct JSONSchema: Sendable {
    /// One compiled schema node.
    indirect enum Node: Sendable {
        case constraints(Constraints)
        case reference(String)
    }

    /// The checks of one schema object.
    struct Constraints: Sendable {
        var types: [String] = []
        var enumeration: [JSONValue]?
        var properties: [String: Node] = [:]
        var required: [String] = []
        var additionalPropertiesAllowed = true
        var items: Node?
        var additionalItemsAllowed = true
        var minItems: Int?
        var maxItems: Int?
        var maxLength: Int?
        var minimum: Double?
        var maximum: Double?
        var multipleOf: Double?
        var dateTime = false
    }

    private let root: Node
    private let definitions: [String: Node]

    /// Compiles a schema document.
    public init(_ document: JSONValue) throws(JSONSchemaError) {
        var definitions: [String: Node] = [:]
        var references: Set<String> = []
        if let entries = document["definitions"]?.objectValue {
            for (name, definition) in entries.members {
                definitions["#/definitions/\(name)"] = try Self.compile(definition, at: "definitions.\(name)",
                                                                        references: &references)
            }
        }
        root = try Self.compile(document, at: "$", references: &references)
        self.definitions = definitions
        if let missing = references.sorted().first(where: { definitions[$0] == nil }) {
            throw JSONSchemaError.unresolvedReference(missing)
        }
    }

    /// Every violation of `value`, each with the JSON path where it is; empty when the value conforms.
    public func validate(_ value: JSONValue, limit: Int = 20) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        var path = SchemaPath()
        check(value, against: root, path: &path, depth: 0, into: &violations, limit: limit)
        return violations
    }

    private static func compile(_ schema: JSONValue, at location: String,
                                references: inout Set<String>) throws(JSONSchemaError) -> Node {
        guard let object = schema.objectValue else { throw .notASchema(location) }
        if let target = object["$ref"] {
            guard let reference = target.stringValue, reference.hasPrefix("#/definitions/") else {
                throw .unsupportedReference(location)
            }
            references.insert(reference)
            return .reference(reference)
        }
        var c = Constraints()
        switch object["type"] {
        case let .string(type)?: c.types = [type]
        case let .array(types)?: c.types = types.compactMap(\.stringValue)
        default: break
        }
        c.enumeration = object["enum"]?.arrayValue
        if let properties = object["properties"]?.objectValue {
            for (name, property) in properties.members {
                c.properties[name] = try compile(property, at: "\(location).\(name)", references: &references)
            }
        }
        c.required = object["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        c.additionalPropertiesAllowed = object["additionalProperties"]?.boolValue ?? true
        if let items = object["items"] { c.items = try compile(items, at: "\(location)[]", references: &references) }
        c.additionalItemsAllowed = object["additionalItems"]?.boolValue ?? true
        c.minItems = object["minItems"]?.numberValue?.int
        c.maxItems = object["maxItems"]?.numberValue?.int
        c.maxLength = object["maxLength"]?.numberValue?.int
        c.minimum = object["minimum"]?.numberValue?.double
        c.maximum = object["maximum"]?.numberValue?.double
        c.multipleOf = object["multipleOf"]?.numberValue?.double
        c.dateTime = object["format"]?.stringValue == "date-time"
        return .constraints(c)
    }

    func check(_ value: JSONValue, against node: Node, path: inout SchemaPath, depth: Int,
                       into violations: inout [SchemaViolation], limit: Int) {
        guard violations.count < limit else { return }
        switch node {
        case let .reference(target):
            // Depth bounds recursive definitions (none of the OCPP schemas recurse, but a schema could).
            guard depth < 64, let resolved = definitions[target] else { return }
            check(value, against: resolved, path: &path, depth: depth + 1, into: &violations, limit: limit)
        case let .constraints(c):
            checkConstraints(value, c, path: &path, depth: depth, into: &violations, limit: limit)
        }
    }
}

/// Where the validator is, kept as components and rendered as text only when a violation needs it: valid
/// payloads (nearly all of them) then cost no string building.
struct SchemaPath {
    enum Component {
        case key(String)
        case index(Int)
    }

    private var components: [Component] = []

    mutating func push(_ component: Component) { components.append(component) }
    mutating func pop() { components.removeLast() }

    /// `$.meterValue[0].sampledValue[1].value`.
    var text: String {
        components.reduce(into: "$") { text, component in
            switch component {
            case let .key(key): text += ".\(key)"
            case let .index(index): text += "[\(index)]"
            }
        }
    }
}

/// One place where a value does not conform.
public struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    /// Where, as a JSON path (`$.meterValue[0].sampledValue[1].value`).
    public var path: String
    /// What is wrong.
    public var message: String

    /// "path: message".
    public var description: String { "\(path): \(message)" }
}

/// Why a schema document could not be compiled.
public enum JSONSchemaError: Error, Hashable, Sendable {
    /// A schema (or sub-schema) at this location is not an object.
    case notASchema(String)
    /// A `$ref` that is not a local `#/definitions/…` reference.
    case unsupportedReference(String)
    /// A `$ref` to a definition the document does not have.
    case unresolvedReference(String)
}
