extension JSONSchema {
    /// The checks of one schema object, compiled once: a class, so checking a value shares it instead of copying
    /// (and retaining) every field, and the lookups a check needs are prepared ahead.
    final class Constraints: Sendable {
        /// The `type` names as written, for messages; empty when any type is allowed.
        let types: [String]
        /// The same types as a set the check can test without comparing names.
        let allowedTypes: TypeSet
        /// The `enum` values, if any.
        let enumeration: [JSONValue]?
        /// The string values of `enumeration`, ready for lookups.
        let stringEnumeration: StringVocabulary
        /// The `properties` names, in document order.
        let propertyNames: StringVocabulary
        /// The compiled schema of each property, at the position of its name.
        let propertyNodes: [Node]
        /// The `required` names.
        let required: [String]
        /// Whether members outside `properties` are allowed.
        let additionalPropertiesAllowed: Bool
        /// The schema of every array element.
        let items: Node?
        /// The fewest array elements allowed.
        let minItems: Int?
        /// The most array elements allowed.
        let maxItems: Int?
        /// The longest string allowed, in characters.
        let maxLength: Int?
        /// The smallest number allowed.
        let minimum: Double?
        /// The largest number allowed.
        let maximum: Double?
        /// The step every number must be a multiple of.
        let multipleOf: Double?
        /// Whether strings must be RFC 3339 date-times.
        let dateTime: Bool

        /// Compiled checks.
        init(
            types: [String], enumeration: [JSONValue]?, propertyNames: [String], propertyNodes: [Node],
            required: [String], additionalPropertiesAllowed: Bool, items: Node?, minItems: Int?, maxItems: Int?,
            maxLength: Int?, minimum: Double?, maximum: Double?, multipleOf: Double?, dateTime: Bool
        ) {
            self.types = types
            allowedTypes = TypeSet(names: types)
            self.enumeration = enumeration
            stringEnumeration = StringVocabulary(enumeration?.compactMap(\.stringValue) ?? [])
            self.propertyNames = StringVocabulary(propertyNames)
            self.propertyNodes = propertyNodes
            self.required = required
            self.additionalPropertiesAllowed = additionalPropertiesAllowed
            self.items = items
            self.minItems = minItems
            self.maxItems = maxItems
            self.maxLength = maxLength
            self.minimum = minimum
            self.maximum = maximum
            self.multipleOf = multipleOf
            self.dateTime = dateTime
        }

        /// Whether `value` is one of the `enum` values (always true without an `enum`).
        func isEnumerated(_ value: JSONValue) -> Bool {
            guard let enumeration else { return true }
            if case let .string(text) = value { return stringEnumeration.contains(text) }
            return enumeration.contains(value)
        }
    }

    /// The JSON Schema type names a `type` keyword allows; names it does not know allow nothing.
    struct TypeSet: OptionSet, Sendable {
        /// One bit per type name.
        let rawValue: UInt8

        /// `"object"`.
        static let object = TypeSet(rawValue: 1 << 0)
        /// `"array"`.
        static let array = TypeSet(rawValue: 1 << 1)
        /// `"string"`.
        static let string = TypeSet(rawValue: 1 << 2)
        /// `"boolean"`.
        static let boolean = TypeSet(rawValue: 1 << 3)
        /// `"null"`.
        static let null = TypeSet(rawValue: 1 << 4)
        /// `"number"`.
        static let number = TypeSet(rawValue: 1 << 5)
        /// `"integer"`.
        static let integer = TypeSet(rawValue: 1 << 6)

        /// The set of the bits in `rawValue`.
        init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The set the names stand for.
        init(names: [String]) {
            let known: [String: TypeSet] = [
                "object": .object, "array": .array, "string": .string, "boolean": .boolean, "null": .null,
                "number": .number, "integer": .integer,
            ]
            self = names.reduce(into: []) { set, name in set.formUnion(known[name] ?? []) }
        }

        /// Whether `value` has one of the types: an integer is a number with a whole, finite value.
        func admits(_ value: JSONValue) -> Bool {
            switch value {
            case .object: contains(.object)
            case .array: contains(.array)
            case .string: contains(.string)
            case .bool: contains(.boolean)
            case .null: contains(.null)
            case let .number(number):
                contains(.number) || contains(.integer)
                    && (number.int != nil || (number.double == number.double.rounded() && number.double.isFinite))
            }
        }
    }
}
