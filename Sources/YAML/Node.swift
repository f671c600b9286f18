/// A position in a YAML source, 1-based, as editors and compilers count.
public struct Mark: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Line number, starting at 1.
    public var line: Int
    /// Column number in characters (Unicode scalars, as libyaml counts them), starting at 1.
    public var column: Int

    /// Creates a mark at a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Orders marks by line, then column.
    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// The start and end of a node in its source.
public struct Span: Hashable, Sendable {
    /// Where the node starts.
    public var start: Mark
    /// Where the node ends (exclusive).
    public var end: Mark

    /// Creates a span.
    public init(start: Mark, end: Mark) {
        self.start = start
        self.end = end
    }
}

/// How a scalar was written; `"4001"` (double-quoted) and `4001` (plain) mean different things.
public enum ScalarStyle: String, Sendable, Hashable {
    /// Unquoted.
    case plain
    /// `'single quoted'`.
    case singleQuoted
    /// `"double quoted"`.
    case doubleQuoted
    /// `|` block literal.
    case literal
    /// `>` block folded.
    case folded
}

/// A scalar's text, its style and its explicit tag if any.
public struct Scalar: Hashable, Sendable {
    /// The scalar's text after YAML unescaping and folding.
    public var value: String
    /// How the scalar was written.
    public var style: ScalarStyle
    /// The explicit tag (`tag:yaml.org,2002:str` for `!!str`), or nil.
    public var tag: String?

    /// Creates a scalar.
    public init(value: String, style: ScalarStyle, tag: String? = nil) {
        self.value = value
        self.style = style
        self.tag = tag
    }
}

/// One key/value entry of a mapping, in source order.
public struct Pair: Sendable {
    /// The key node.
    public var key: Node
    /// The value node.
    public var value: Node
    /// True when the entry came from a `<<` merge rather than being written in the mapping itself.
    public var merged: Bool

    /// Creates a mapping entry.
    public init(key: Node, value: Node, merged: Bool = false) {
        self.key = key
        self.value = value
        self.merged = merged
    }
}

/// A node of the YAML tree with its source span. Aliases share the anchored node's storage.
public struct Node: Sendable {
    /// What the node holds.
    public enum Content: Sendable {
        /// A scalar value.
        case scalar(Scalar)
        /// A sequence of nodes.
        case sequence([Node])
        /// A mapping with entries in source order; merge keys already applied.
        case mapping([Pair])
    }

    /// The node's content.
    public var content: Content
    /// Where the node was written (for an alias: where the anchored node was written).
    public var span: Span
    /// The explicit tag of a collection, or nil.
    public var tag: String?
    /// The anchor name when the node was anchored with `&name`.
    public var anchor: String?
    /// Number of nodes in this subtree with aliases expanded; bounds the work of anyone walking it.
    public var expandedSize: Int

    /// Creates a node.
    public init(content: Content, span: Span, tag: String? = nil, anchor: String? = nil, expandedSize: Int = 1) {
        self.content = content
        self.span = span
        self.tag = tag
        self.anchor = anchor
        self.expandedSize = expandedSize
    }

    /// The scalar, when this is one.
    public var scalar: Scalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The items, when this is a sequence.
    public var sequence: [Node]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The entries, when this is a mapping.
    public var mapping: [Pair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// A short name of the node's kind for messages: "a mapping", "a list", "a string", "a number"…
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if s.isNull { return "null" }
            if s.bool != nil { return "a boolean" }
            if s.int != nil { return "an integer" }
            if s.double != nil { return "a number" }
            return "a string"
        }
    }
}
