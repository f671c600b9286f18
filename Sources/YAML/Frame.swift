/// A collection still being read: its children so far and what it needs to finish.
///
/// Frames live in `TreeBuilder`'s stack and are changed in place (`stack[top].items.append`),
/// so adding a child never copies the children already read.
struct Frame {
    /// Whether the frame is a sequence or a mapping.
    enum Kind {
        case sequence
        case mapping
    }

    let kind: Kind
    let start: Mark
    let tag: String?
    let anchor: String?
    /// Items of a sequence.
    var items: [Node] = []
    /// Entries of a mapping, `<<` entries included until the mapping ends.
    var pairs: [Pair] = []
    /// A mapping's key waiting for its value.
    var pendingKey: Node?
    /// Where each scalar key of a mapping was first written, to find duplicates in constant time.
    var keyMarks: [String: Mark] = [:]
    /// True when a mapping holds a `<<` entry.
    var hasMerge = false
    /// Nodes in this subtree so far, aliases expanded.
    var size = 1

    init(kind: Kind, start: Mark, tag: String?, anchor: String?) {
        self.kind = kind
        self.start = start
        self.tag = tag
        self.anchor = anchor
    }

    /// True for a plain, untagged `<<` key.
    static func isMergeKey(_ key: Node) -> Bool {
        guard let s = key.scalar else { return false }
        return s.style == .plain && s.tag == nil && s.value == "<<"
    }
}
