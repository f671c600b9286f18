/// A problem found while reading YAML, with the place it was found.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// libyaml's own scanner or parser error: its problem text and optional context.
        case syntax(problem: String, context: String?)
        /// A key written twice in one mapping; `first` is where it was written first.
        case duplicateKey(key: String, first: Mark)
        /// Collections nested deeper than the limit.
        case tooDeep(limit: Int)
        /// Aliases would expand to more nodes than the limit (an "alias bomb").
        case expansionTooLarge(limit: Int)
        /// `*name` with no `&name` before it.
        case undefinedAlias(name: String)
        /// A `<<` merge whose value is not a mapping or a list of mappings.
        case invalidMerge
        /// The input is larger than the limit in bytes.
        case inputTooLarge(bytes: Int, limit: Int)
    }

    /// What went wrong.
    public var kind: Kind
    /// Where it went wrong.
    public var mark: Mark
    /// For libyaml errors with a context ("while scanning a quoted scalar"): where that context began.
    public var contextMark: Mark?

    /// Creates an error.
    public init(_ kind: Kind, at mark: Mark, contextMark: Mark? = nil) {
        self.kind = kind
        self.mark = mark
        self.contextMark = contextMark
    }

    /// True when reading could not go on after this error.
    public var isFatal: Bool {
        if case .duplicateKey = kind { return false }
        return true
    }

    /// A second place the message refers to, with what happened there.
    public var related: (message: String, mark: Mark)? {
        switch kind {
        case .duplicateKey(let key, let first): return ("'\(key)' first written here", first)
        case .syntax(_, let context?) where contextMark != nil && contextMark != mark:
            return ("\(context) that started here", contextMark ?? mark)
        default: return nil
        }
    }

    /// A one-line message in the style of a compiler diagnostic.
    public var message: String {
        switch kind {
        case .syntax(let problem, let context):
            if let context { return "YAML syntax error: \(problem) (\(context))" }
            return "YAML syntax error: \(problem)"
        case .duplicateKey(let key, _): return "duplicate key '\(key)'"
        case .tooDeep(let limit): return "nesting deeper than \(limit) levels"
        case .expansionTooLarge(let limit): return "aliases expand to more than \(limit) nodes"
        case .undefinedAlias(let name): return "undefined alias '*\(name)'"
        case .invalidMerge: return "a '<<' merge needs a mapping or a list of mappings"
        case .inputTooLarge(let bytes, let limit): return "file is \(bytes) bytes; the limit is \(limit) bytes"
        }
    }

    /// `line:column: message`.
    public var description: String { "\(mark): \(message)" }
}
