import Rules
import YAML

/// The keys of one YAML mapping, in order, with their nodes.
struct Fields {
    /// Each entry's key text, key node and value node.
    var entries: [(key: String, keyNode: Node, value: Node)]

    /// The value of `key`, if present.
    subscript(key: String) -> Node? { entries.first { $0.key == key }?.value }

    /// The keys, in order.
    var keys: [String] { entries.map(\.key) }
}

/// Reads the YAML tree of a test file, collecting diagnostics with file:line:col instead of stopping at the first.
struct TestYAMLReader {
    /// The file being read.
    let file: String
    /// Problems found so far.
    var diagnostics: [Diagnostic] = []

    /// Creates a reader for `file`.
    init(file: String) {
        self.file = file
    }

    /// Where a node starts.
    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, mark: node.span.start)
    }

    /// Records an error at a node.
    mutating func error(_ message: String, at node: Node) {
        diagnostics.append(Diagnostic(.error, message, at: location(node)))
    }

    /// Records an error at a location.
    mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    /// The entries of a mapping whose keys are all in `allowed` (and, with `extensions`, `x-…` keys, which are
    /// skipped: a home for YAML anchors); nil (with an error) when it is not a mapping.
    mutating func mapping(_ node: Node, what: String, allowed: [String], extensions: Bool = false) -> Fields? {
        guard let pairs = node.mapping else {
            error("\(what) must be a mapping, found \(node.kindDescription)", at: node)
            return nil
        }
        var fields = Fields(entries: [])
        for pair in pairs {
            guard let key = pair.key.scalar?.value, pair.key.scalar?.string != nil || pair.key.scalar?.int != nil else {
                error("keys of \(what) must be strings", at: pair.key)
                continue
            }
            if extensions, key.hasPrefix("x-") { continue }
            guard allowed.contains(key) else {
                let hint = KeySpelling.closest(to: key, among: allowed).map { "; did you mean '\($0)'?" }
                    ?? "; expected one of: \(allowed.joined(separator: ", "))"
                error("unknown key '\(key)' in \(what)\(hint)", at: pair.key)
                continue
            }
            fields.entries.append((key, pair.key, pair.value))
        }
        return fields
    }

    /// A string scalar.
    mutating func string(_ node: Node, what: String) -> String? {
        guard let text = node.scalar?.string else {
            error("\(what) must be a string, found \(node.kindDescription)", at: node)
            return nil
        }
        return text
    }

    /// A string, or a number written plainly (charger ids like `1001`, versions like `1.6`), as text.
    mutating func text(_ node: Node, what: String) -> String? {
        guard let scalar = node.scalar, !scalar.isNull, scalar.bool == nil else {
            error("\(what) must be a string, found \(node.kindDescription)", at: node)
            return nil
        }
        return scalar.value
    }

    /// An integer scalar within `range`.
    mutating func int(_ node: Node, what: String, in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard let value = node.scalar?.int else {
            error("\(what) must be an integer, found \(node.kindDescription)", at: node)
            return nil
        }
        guard range.contains(value) else {
            error("\(what) must be within \(range.lowerBound)…\(range.upperBound), found \(value)", at: node)
            return nil
        }
        return value
    }

    /// A number scalar.
    mutating func number(_ node: Node, what: String) -> Double? {
        guard let value = node.scalar?.double else {
            error("\(what) must be a number, found \(node.kindDescription)", at: node)
            return nil
        }
        return value
    }

    /// A boolean scalar.
    mutating func bool(_ node: Node, what: String) -> Bool? {
        guard let value = node.scalar?.bool else {
            error("\(what) must be true or false, found \(node.kindDescription)", at: node)
            return nil
        }
        return value
    }

    /// A list.
    mutating func list(_ node: Node, what: String) -> [Node]? {
        guard let items = node.sequence else {
            error("\(what) must be a list, found \(node.kindDescription)", at: node)
            return nil
        }
        return items
    }

    /// True when a node means "no options": null, `true`, or an empty mapping.
    static func isEmptyOptions(_ node: Node) -> Bool {
        if let scalar = node.scalar { return scalar.isNull || scalar.bool == true }
        return node.mapping?.isEmpty == true
    }
}

/// "Did you mean" suggestions for misspelt keys.
enum KeySpelling {
    /// The allowed word closest to `word`, when it is close enough to be a likely typo.
    static func closest(to word: String, among words: [String]) -> String? {
        let scored = words.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
