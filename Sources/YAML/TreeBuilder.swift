import CYAML

/// Turns libyaml events into nodes, with an explicit stack so depth never grows the call stack.
struct TreeBuilder {
    private enum Frame {
        case sequence(items: [Node], start: Mark, tag: String?, anchor: String?, size: Int)
        case mapping(pairs: [Pair], pendingKey: Node?, start: Mark, tag: String?, anchor: String?, size: Int)
    }

    private let limits: YAMLLimits
    private var stack: [Frame] = []
    private var anchors: [String: Node] = [:]
    private var root: Node?
    private(set) var documents: [Node] = []
    private(set) var errors: [YAMLError] = []

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    mutating func run(_ input: UnsafeBufferPointer<UInt8>) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            errors.append(YAMLError(.syntax(problem: "cannot initialise the YAML parser", context: nil), at: Mark(line: 1, column: 1)))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, input.baseAddress ?? UnsafePointer(bitPattern: 1), input.count)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                errors.append(Self.libyamlError(parser))
                return
            }
            let done = event.type == YAML_STREAM_END_EVENT
            let ok = handle(event)
            yaml_event_delete(&event)
            if done || !ok { return }
        }
    }

    private static func mark(_ m: yaml_mark_t) -> Mark {
        Mark(line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int? = nil) -> String? {
        guard let pointer else { return nil }
        let count = length ?? strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    private static func libyamlError(_ parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unreadable input"
        let context = parser.context.map { String(cString: $0) }
        let at = mark(parser.problem_mark)
        return YAMLError(.syntax(problem: problem, context: context), at: at)
    }

    /// Handles one event; false stops reading after a fatal error.
    private mutating func handle(_ event: yaml_event_t) -> Bool {
        let start = Self.mark(event.start_mark)
        let end = Self.mark(event.end_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors.removeAll(keepingCapacity: true)
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root { documents.append(root) }
            root = nil
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let scalar = Scalar(
                value: Self.string(data.value, length: data.length) ?? "",
                style: Self.style(data.style),
                tag: Self.string(data.tag)
            )
            let node = Node(content: .scalar(scalar), span: Span(start: start, end: end), anchor: Self.string(data.anchor))
            return add(node, anchor: node.anchor, at: start)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                errors.append(YAMLError(.undefinedAlias(name: name), at: start))
                return false
            }
            return add(target, anchor: nil, at: start)
        case YAML_SEQUENCE_START_EVENT:
            guard stack.count < limits.maxDepth else {
                errors.append(YAMLError(.tooDeep(limit: limits.maxDepth), at: start))
                return false
            }
            let data = event.data.sequence_start
            stack.append(.sequence(items: [], start: start, tag: Self.string(data.tag), anchor: Self.string(data.anchor), size: 1))
        case YAML_MAPPING_START_EVENT:
            guard stack.count < limits.maxDepth else {
                errors.append(YAMLError(.tooDeep(limit: limits.maxDepth), at: start))
                return false
            }
            let data = event.data.mapping_start
            stack.append(.mapping(pairs: [], pendingKey: nil, start: start, tag: Self.string(data.tag), anchor: Self.string(data.anchor), size: 1))
        case YAML_SEQUENCE_END_EVENT:
            guard case .sequence(let items, let s, let tag, let anchor, let size)? = stack.popLast() else { return false }
            let node = Node(content: .sequence(items), span: Span(start: s, end: end), tag: tag, anchor: anchor, expandedSize: size)
            return add(node, anchor: anchor, at: s)
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(let pairs, _, let s, let tag, let anchor, let size)? = stack.popLast() else { return false }
            guard let merged = applyMerges(pairs) else { return false }
            let node = Node(content: .mapping(merged), span: Span(start: s, end: end), tag: tag, anchor: anchor, expandedSize: size)
            return add(node, anchor: anchor, at: s)
        default:
            break
        }
        return true
    }

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    /// Attaches a finished node to its parent; false after a fatal error.
    private mutating func add(_ node: Node, anchor: String?, at mark: Mark) -> Bool {
        if let anchor { anchors[anchor] = node }
        guard let top = stack.popLast() else {
            root = node
            return true
        }
        switch top {
        case .sequence(var items, let s, let tag, let a, let size):
            let total = size &+ node.expandedSize
            guard total <= limits.maxExpandedNodes, total > 0 else {
                errors.append(YAMLError(.expansionTooLarge(limit: limits.maxExpandedNodes), at: mark))
                return false
            }
            items.append(node)
            stack.append(.sequence(items: items, start: s, tag: tag, anchor: a, size: total))
        case .mapping(var pairs, let pendingKey, let s, let tag, let a, let size):
            let total = size &+ node.expandedSize
            guard total <= limits.maxExpandedNodes, total > 0 else {
                errors.append(YAMLError(.expansionTooLarge(limit: limits.maxExpandedNodes), at: mark))
                return false
            }
            if let key = pendingKey {
                if !isMergeKey(key), let text = key.scalar?.value,
                   let first = pairs.first(where: { !isMergeKey($0.key) && $0.key.scalar?.value == text }) {
                    errors.append(YAMLError(.duplicateKey(key: text, first: first.key.span.start), at: key.span.start))
                    stack.append(.mapping(pairs: pairs, pendingKey: nil, start: s, tag: tag, anchor: a, size: total))
                } else {
                    pairs.append(Pair(key: key, value: node))
                    stack.append(.mapping(pairs: pairs, pendingKey: nil, start: s, tag: tag, anchor: a, size: total))
                }
            } else {
                stack.append(.mapping(pairs: pairs, pendingKey: node, start: s, tag: tag, anchor: a, size: total))
            }
        }
        return true
    }

    private func isMergeKey(_ key: Node) -> Bool {
        guard let s = key.scalar else { return false }
        return s.style == .plain && s.tag == nil && s.value == "<<"
    }

    /// Replaces `<<` entries by the entries they merge; keys written in the mapping win, then earlier merges.
    private mutating func applyMerges(_ pairs: [Pair]) -> [Pair]? {
        guard pairs.contains(where: { isMergeKey($0.key) }) else { return pairs }
        var result = pairs.filter { !isMergeKey($0.key) }
        var seen = Set(result.compactMap { $0.key.scalar?.value })
        for pair in pairs where isMergeKey(pair.key) {
            let sources: [Node]
            switch pair.value.content {
            case .mapping: sources = [pair.value]
            case .sequence(let items) where items.allSatisfy({ $0.mapping != nil }): sources = items
            default:
                errors.append(YAMLError(.invalidMerge, at: pair.value.span.start))
                return nil
            }
            for source in sources {
                for entry in source.mapping ?? [] {
                    guard let text = entry.key.scalar?.value, !seen.contains(text) else { continue }
                    seen.insert(text)
                    result.append(Pair(key: entry.key, value: entry.value, merged: true))
                }
            }
        }
        return result
    }
}
