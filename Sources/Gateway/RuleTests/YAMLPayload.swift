import OCPP
import YAML

/// Turns YAML written in a test into the JSON a charger would send: plain numbers stay numbers (with their
/// text), quoted scalars stay strings (`"14.4kW"`, `"1001"`), `true`/`false`/`null` keep their meaning.
extension TestYAMLReader {
    /// The JSON value of a node; nil (with an error) for things JSON cannot hold.
    mutating func json(_ node: Node) -> JSONValue? {
        switch node.content {
        case let .scalar(scalar):
            if scalar.isNull { return .null }
            if let flag = scalar.bool { return .bool(flag) }
            if let number = scalar.double {
                return .number(JSONNumber(text: scalar.value) ?? JSONNumber(number))
            }
            let text = scalar.string ?? scalar.value
            if TestClock.placeholder(text) == .malformed {
                error("'\(text)' is not a clock placeholder; write ${now}, ${now+5s} or ${now-1min}", at: node)
                return nil
            }
            return .string(text)
        case let .sequence(items):
            var values: [JSONValue] = []
            for item in items {
                guard let value = json(item) else { return nil }
                values.append(value)
            }
            return .array(values)
        case .mapping:
            return jsonObject(node, what: "a JSON object").map(JSONValue.object)
        }
    }

    /// The JSON object of a mapping node.
    mutating func jsonObject(_ node: Node, what: String) -> JSONObject? {
        guard let pairs = node.mapping else {
            error("\(what) must be a mapping, found \(node.kindDescription)", at: node)
            return nil
        }
        var object = JSONObject()
        var failed = false
        for pair in pairs {
            guard let key = pair.key.scalar?.value else {
                error("JSON keys must be strings", at: pair.key)
                failed = true
                continue
            }
            guard let value = json(pair.value) else {
                failed = true
                continue
            }
            object[key] = value
        }
        return failed ? nil : object
    }
}
