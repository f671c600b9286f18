import YAML

/// Reads the keys of one mapping, remembering which were used so the rest can be reported as unknown.
struct MappingReader {
    let context: DecodeContext
    let node: Node
    private let entries: [Pair]
    /// The text of each entry's key (nil for non-scalar keys), read once.
    private let names: [String?]
    private let allowed: [String]
    private var used: [Bool]

    /// Nil (with an error reported) when `node` is not a mapping; a bare `key:` (null) reads as empty.
    init?(_ node: Node, _ context: DecodeContext, allowed: [String], what: String) {
        let entries: [Pair]
        if let pairs = node.mapping {
            entries = pairs
        } else if let scalar = node.scalar, scalar.isNull, scalar.style == .plain {
            entries = []
        } else {
            context.error("expected a mapping for \(what), found \(node.kindDescription)", at: node)
            return nil
        }
        self.context = context
        self.node = node
        self.entries = entries
        self.names = entries.map { $0.key.scalar?.value }
        self.used = Array(repeating: false, count: entries.count)
        self.allowed = allowed
    }

    /// The keys as written, in order.
    var keys: [Node] { entries.map(\.key) }

    /// True when the key is present.
    func has(_ key: String) -> Bool {
        names.contains(key)
    }

    /// The key node of `key`, for locating problems about the key itself.
    func keyNode(_ key: String) -> Node? {
        names.firstIndex(of: key).map { entries[$0].key }
    }

    /// The value of `key`, marking it used.
    mutating func callAsFunction(_ key: String) -> Node? {
        guard let index = names.firstIndex(of: key) else { return nil }
        used[index] = true
        return entries[index].value
    }

    /// Reports every key that was not read, with a suggestion when one is close.
    func finish() {
        for (index, entry) in entries.enumerated() where !used[index] {
            guard let name = names[index] else {
                context.error("keys must be plain names, found \(entry.key.kindDescription)", at: entry.key)
                continue
            }
            guard !allowed.contains(name) else { continue }
            var message = "unknown key '\(name)'"
            if let suggestion = Spelling.closest(to: name, in: allowed) {
                message += "; did you mean '\(suggestion)'?"
            } else {
                message += "; expected one of: " + allowed.joined(separator: ", ")
            }
            context.error(message, at: entry.key)
        }
    }
}
