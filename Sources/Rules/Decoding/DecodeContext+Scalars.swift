import YAML

/// Typed readers for scalars; each reports a located error and returns nil on a bad value.
extension DecodeContext {
    func located<T>(_ value: T?, _ node: Node) -> Located<T>? {
        value.map { Located($0, at: location(node)) }
    }

    func string(_ node: Node, what: String) -> String? {
        guard let scalar = node.scalar, let text = scalar.string else {
            var message = "expected a string for \(what), found \(node.kindDescription)"
            if let scalar = node.scalar, !scalar.isNull { message += "; quote it (\"\(scalar.value)\") if it is meant as text" }
            error(message, at: node)
            return nil
        }
        return text
    }

    func int(_ node: Node, what: String, in range: ClosedRange<Int>) -> Int? {
        guard let scalar = node.scalar, let value = scalar.int else {
            error("expected an integer for \(what), found \(node.kindDescription)", at: node)
            return nil
        }
        guard range.contains(value) else {
            error("\(what) \(value) is out of range \(range.lowerBound)…\(range.upperBound)", at: node)
            return nil
        }
        return value
    }

    func number(_ node: Node, what: String, in range: ClosedRange<Double>? = nil) -> Double? {
        guard let scalar = node.scalar, let value = scalar.double else {
            error("expected a number for \(what), found \(node.kindDescription)", at: node)
            return nil
        }
        if let range, !range.contains(value) {
            error("\(what) \(Self.format(value)) is out of range \(Self.format(range.lowerBound))…\(Self.format(range.upperBound))", at: node)
            return nil
        }
        return value
    }

    func bool(_ node: Node, what: String) -> Bool? {
        guard let value = node.scalar?.bool else {
            var message = "expected a boolean (true or false) for \(what), found \(node.kindDescription)"
            if let text = node.scalar?.value, ["yes", "no", "on", "off", "y", "n"].contains(text.lowercased()) {
                message += "; YAML 1.2 reads '\(text)' as a string"
            }
            error(message, at: node)
            return nil
        }
        return value
    }

    /// One of a fixed set of words, with a suggestion for a near miss.
    func choice(_ node: Node, what: String, from allowed: [String]) -> String? {
        guard let text = node.scalar?.string else {
            error("expected one of \(allowed.joined(separator: ", ")) for \(what), found \(node.kindDescription)", at: node)
            return nil
        }
        guard allowed.contains(text) else {
            var message = "\(what) '\(text)' is not valid; expected one of: \(allowed.joined(separator: ", "))"
            if let suggestion = Spelling.closest(to: text, in: allowed) { message += "; did you mean '\(suggestion)'?" }
            error(message, at: node)
            return nil
        }
        return text
    }

    func list(_ node: Node, what: String) -> [Node]? {
        if let items = node.sequence { return items }
        if let scalar = node.scalar, scalar.isNull, scalar.style == .plain { return [] }
        error("expected a list for \(what), found \(node.kindDescription)", at: node)
        return nil
    }

    /// A list, or a single item standing for a list of one.
    func oneOrMany(_ node: Node) -> [Node] {
        node.sequence ?? [node]
    }

    /// Seconds from `15`, `500ms`, `15s`, `2min` or `1h`.
    func duration(_ node: Node, what: String, in range: ClosedRange<Double> = 0...86_400 * 365) -> Double? {
        guard let scalar = node.scalar else {
            error("invalid duration for \(what): expected seconds or a string like '15s', found \(node.kindDescription)", at: node)
            return nil
        }
        let seconds: Double?
        if let plain = scalar.double {
            seconds = plain
        } else {
            seconds = Self.parseDuration(scalar.value)
        }
        guard let seconds else {
            error("invalid duration '\(scalar.value)' for \(what); write a number of seconds or e.g. '500ms', '15s', '2min', '1h'", at: node)
            return nil
        }
        guard range.contains(seconds) else {
            error("\(what) \(Self.format(seconds))s is out of range \(Self.format(range.lowerBound))s…\(Self.format(range.upperBound))s", at: node)
            return nil
        }
        return seconds
    }

    /// Seconds of a duration with a unit (`500ms`, `15s`, `2min`, `1h`), as rule files write them.
    static func parseDuration(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("min", 60), ("s", 1), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(number), value.isFinite else { return nil }
            return value * factor
        }
        return nil
    }

    /// `20%` as 20.
    func percentage(_ text: String) -> Double? {
        guard text.hasSuffix("%") else { return nil }
        let number = text.dropLast()
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let value = Double(number), (0...100).contains(value) else { return nil }
        return value
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
