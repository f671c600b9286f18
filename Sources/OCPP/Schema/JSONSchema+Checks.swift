extension JSONSchema {
    /// Applies one schema object's checks to `value`.
    func checkConstraints(_ value: JSONValue, _ c: Constraints, path: inout SchemaPath, depth: Int,
                          into violations: inout [SchemaViolation], limit: Int) {
        func fail(_ message: String) {
            if violations.count < limit { violations.append(SchemaViolation(path: path.text, message: message)) }
        }
        if !c.types.isEmpty, !c.types.contains(where: { Self.value(value, hasType: $0) }) {
            fail("expected \(c.types.joined(separator: " or ")), found \(Self.typeName(of: value))")
            return
        }
        if let allowed = c.enumeration, !allowed.contains(value) {
            fail("\(value.shortDescription) is not one of \(allowed.map(\.shortDescription).joined(separator: ", "))")
        }
        switch value {
        case let .object(object):
            for key in c.required where object[key] == nil { fail("required property '\(key)' is missing") }
            for (key, member) in object.members {
                if let property = c.properties[key] {
                    path.push(.key(key))
                    check(member, against: property, path: &path, depth: depth, into: &violations, limit: limit)
                    path.pop()
                } else if !c.additionalPropertiesAllowed {
                    fail("property '\(key)' is not allowed")
                }
            }
        case let .array(elements):
            if let minimum = c.minItems, elements.count < minimum { fail("at least \(minimum) item(s) required, found \(elements.count)") }
            if let maximum = c.maxItems, elements.count > maximum { fail("at most \(maximum) item(s) allowed, found \(elements.count)") }
            if let items = c.items {
                for (index, element) in elements.enumerated() {
                    path.push(.index(index))
                    check(element, against: items, path: &path, depth: depth, into: &violations, limit: limit)
                    path.pop()
                }
            }
        case let .string(text):
            if let maximum = c.maxLength, text.count > maximum { fail("longer than \(maximum) characters (\(text.count))") }
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

    static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
             ("number", .number): true
        case let ("integer", .number(number)): number.int != nil || (number.double == number.double.rounded() && number.double.isFinite)
        default: false
        }
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

/// RFC 3339 date-time syntax (what JSON Schema's `date-time` format means), checked without Foundation.
enum RFC3339 {
    /// Whether `text` is `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` with fields in range.
    static func isDateTime(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var value = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count >= 20, let month = digits(5..<7), let day = digits(8..<10), let hour = digits(11..<13),
              let minute = digits(14..<16), let second = digits(17..<19), digits(0..<4) != nil,
              b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116 || b[10] == 32, b[13] == 58, b[16] == 58,
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return false }
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            let start = i
            while i < b.count, (48...57).contains(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        if b[i] == 90 || b[i] == 122 { return i + 1 == b.count }
        guard b[i] == 43 || b[i] == 45, i + 6 == b.count, let zoneHour = digits(i + 1..<i + 3), b[i + 3] == 58,
              let zoneMinute = digits(i + 4..<i + 6) else { return false }
        return zoneHour < 24 && zoneMinute < 60
    }
}
