/// A compiled JSON Schema (the draft-04/06 subset the official OCPP 1.6 and 2.0.1 schemas use): type, enum,
/// properties, required, additionalProperties, items, additionalItems, minItems, maxItems, maxLength,
/// minimum, maximum, multipleOf, format date-time, and local `$ref`s into `definitions`.
///
/// Hand-written because no maintained Swift JSON Schema validator is in the package set, and the gateway
/// needs the exact JSON path of each violation to say what a charger got wrong.
public struct JSONSchema: Sendable {
    /// One compiled schema node: its checks, or a `$ref` to the definition at that position of `definitions`.
    enum Node: Sendable {
        case constraints(Constraints)
        case reference(Int)
    }

    private let root: Node
    private let definitions: [Node]

    /// Compiles a schema document.
    public init(_ document: JSONValue) throws(JSONSchemaError) {
        var compiler = SchemaCompiler(definitions: document["definitions"]?.objectValue)
        var definitions: [Node] = []
        for (name, definition) in compiler.definitionMembers {
            definitions.append(try compiler.compile(definition, at: "definitions.\(name)"))
        }
        root = try compiler.compile(document, at: "$")
        self.definitions = definitions
        if let missing = compiler.unresolved.sorted().first { throw JSONSchemaError.unresolvedReference(missing) }
    }

    /// Every violation of `value`, each with the JSON path where it is; empty when the value conforms.
    public func validate(_ value: JSONValue, limit: Int = 20) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        check(value, against: root, depth: 0, into: &violations, limit: limit)
        for index in violations.indices { violations[index].path = "$" + violations[index].path }
        return violations
    }

    /// Checks `value`, appending violations with paths relative to it (the callers put their steps in front).
    func check(_ value: JSONValue, against node: Node, depth: Int, into violations: inout [SchemaViolation], limit: Int) {
        guard violations.count < limit else { return }
        switch node {
        case let .reference(position):
            // Depth bounds recursive definitions (none of the OCPP schemas recurse, but a schema could).
            guard depth < 64, definitions.indices.contains(position) else { return }
            check(value, against: definitions[position], depth: depth + 1, into: &violations, limit: limit)
        case let .constraints(constraints):
            checkConstraints(value, constraints, depth: depth, into: &violations, limit: limit)
        }
    }
}

/// Compiles schema objects into nodes, resolving `$ref`s to positions among the definitions.
private struct SchemaCompiler {
    /// The definitions in document order.
    let definitionMembers: [(key: String, value: JSONValue)]
    /// The position of each definition by its reference text, `#/definitions/Name`.
    private let positions: [String: Int]
    /// References to definitions the document does not have.
    private(set) var unresolved: Set<String> = []

    init(definitions: JSONObject?) {
        definitionMembers = definitions?.members ?? []
        var positions: [String: Int] = [:]
        for (position, member) in definitionMembers.enumerated() {
            positions["#/definitions/\(member.key)"] = position
        }
        self.positions = positions
    }

    mutating func compile(_ schema: JSONValue, at location: String) throws(JSONSchemaError) -> JSONSchema.Node {
        guard let object = schema.objectValue else { throw .notASchema(location) }
        if let target = object["$ref"] {
            guard let reference = target.stringValue, reference.hasPrefix("#/definitions/") else {
                throw .unsupportedReference(location)
            }
            guard let position = positions[reference] else {
                unresolved.insert(reference)
                return .reference(-1)
            }
            return .reference(position)
        }
        let types: [String] = switch object["type"] {
        case let .string(type)?: [type]
        case let .array(types)?: types.compactMap(\.stringValue)
        default: []
        }
        var propertyNames: [String] = []
        var propertyNodes: [JSONSchema.Node] = []
        for (name, property) in object["properties"]?.objectValue?.members ?? [] {
            propertyNames.append(name)
            propertyNodes.append(try compile(property, at: "\(location).\(name)"))
        }
        let items = try object["items"].map { items throws(JSONSchemaError) in try compile(items, at: "\(location)[]") }
        return .constraints(JSONSchema.Constraints(
            types: types, enumeration: object["enum"]?.arrayValue, propertyNames: propertyNames,
            propertyNodes: propertyNodes, required: object["required"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            additionalPropertiesAllowed: object["additionalProperties"]?.boolValue ?? true, items: items,
            minItems: object["minItems"]?.numberValue?.int, maxItems: object["maxItems"]?.numberValue?.int,
            maxLength: object["maxLength"]?.numberValue?.int, minimum: object["minimum"]?.numberValue?.double,
            maximum: object["maximum"]?.numberValue?.double, multipleOf: object["multipleOf"]?.numberValue?.double,
            dateTime: object["format"]?.stringValue == "date-time"))
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
