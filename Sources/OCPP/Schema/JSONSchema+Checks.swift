extension JSONSchema {
    /// Applies one schema object's checks to `value`; violations get paths relative to `value`.
    func checkConstraints(_ value: JSONValue, _ c: Constraints, depth: Int, into violations: inout [SchemaViolation],
                          limit: Int) {
        func fail(_ message: String) {
            if violations.count < limit { violations.append(SchemaViolation(path: "", message: message)) }
        }
        if !c.types.isEmpty, !c.allowedTypes.admits(value) {
            fail("expected \(c.types.joined(separator: " or ")), found \(Self.typeName(of: value))")
            return
        }
        if let allowed = c.enumeration, !c.isEnumerated(value) {
            fail("\(value.shortDescription) is not one of \(allowed.map(\.shortDescription).joined(separator: ", "))")
        }
        switch value {
        case let .object(object):
            for key in c.required where object[key] == nil { fail("required property '\(key)' is missing") }
            for index in object.members.indices {
                let key = object.members[index].key
                if let property = c.propertyNames.firstIndex(of: key) {
                    let first = violations.count
                    // The node passed where it is in the array: taking it out first would retain and release it.
                    check(object.members[index].value, against: c.propertyNodes[property], depth: depth,
                          into: &violations, limit: limit)
                    Self.place(violations: &violations, from: first, under: ".\(key)")
                } else if !c.additionalPropertiesAllowed {
                    fail("property '\(key)' is not allowed")
                }
            }
        case let .array(elements):
            if let minimum = c.minItems, elements.count < minimum { fail("at least \(minimum) item(s) required, found \(elements.count)") }
            if let maximum = c.maxItems, elements.count > maximum { fail("at most \(maximum) item(s) allowed, found \(elements.count)") }
            if let items = c.items {
                for (index, element) in elements.enumerated() {
                    let first = violations.count
                    check(element, against: items, depth: depth, into: &violations, limit: limit)
                    Self.place(violations: &violations, from: first, under: "[\(index)]")
                }
            }
        case let .string(text):
            // A string has at least as many UTF-8 bytes as characters, so only a long one needs counting.
            if let maximum = c.maxLength, text.utf8.count > maximum, text.count > maximum {
                fail("longer than \(maximum) characters (\(text.count))")
            }
            if c.dateTime, !RFC3339.isDateTime(text) { fail("'\(text)' is not an RFC 3339 date-time") }
        case let .number(number):
            if let minimum = c.minimum, number.double < minimum { fail("\(number.text) is below the minimum \(minimum)") }
            if let maximum = c.maximum, number.double > maximum { fail("\(number.text) is above the maximum \(maximum)") }
            if let step = c.multipleOf, step > 0 {
                let quotient = number.double / step
                // Tolerance for binary fractions: 22.1 is a multiple of 0.1 although 22.1 / 0.1 is not whole.
                if abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) { fail("\(number.text) is not a multiple of \(step)") }
            }
        case .null, .bool:
            break
        }
    }

    /// Puts `step` in front of the paths of the violations found inside a member or element. Paths are built
    /// this way, as the check returns, so a conforming value (nearly every one) costs no path building at all.
    private static func place(violations: inout [SchemaViolation], from first: Int, under step: @autoclosure () -> String) {
        guard violations.count > first else { return }
        let step = step()
        for index in first..<violations.count { violations[index].path = step + violations[index].path }
    }

    static func typeName(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case let .number(number): number.int != nil ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue {
    /// A short rendering for messages: strings quoted, containers summarized.
    var shortDescription: String {
        switch self {
        case .null: "null"
        case let .bool(flag): "\(flag)"
        case let .number(number): number.text
        case let .string(text): "'\(text.prefix(40))'"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
