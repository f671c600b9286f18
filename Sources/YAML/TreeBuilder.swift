import CYAML

/// Turns libyaml events into nodes, with an explicit stack so depth never grows the call stack.
struct TreeBuilder {
    let limits: YAMLLimits
    private var stack: [Frame] = []
    private var anchors: [String: Node] = [:]
    private var root: Node?
    private(set) var documents: [Node] = []
    /// Expanded nodes of the documents already finished; the limit covers the whole stream.
    private var finishedSize = 0
    var errors: [YAMLError] = []

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    /// Reads the whole input; stops at the first fatal error.
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
                errors.append(LibyamlError.make(parser, input: input))
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

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
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
            if let root {
                guard root.expandedSize <= limits.maxExpandedNodes - finishedSize else {
                    errors.append(YAMLError(.expansionTooLarge(limit: limits.maxExpandedNodes), at: root.span.start))
                    return false
                }
                documents.append(root)
                finishedSize += root.expandedSize
            }
            root = nil
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let scalar = Scalar(
                value: Self.string(data.value, length: data.length) ?? "",
                style: Self.style(data.style),
                tag: Self.string(data.tag)
            )
            let node = Node(content: .scalar(scalar), span: Span(start: start, end: end), anchor: Self.string(data.anchor))
            return add(node, at: start)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                errors.append(YAMLError(.undefinedAlias(name: name), at: start))
                return false
            }
            return add(target, at: start, anchoring: false)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return open(Frame(kind: .sequence, start: start, tag: Self.string(data.tag), anchor: Self.string(data.anchor)))
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return open(Frame(kind: .mapping, start: start, tag: Self.string(data.tag), anchor: Self.string(data.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            return close(at: end)
        default:
            break
        }
        return true
    }

    private mutating func open(_ frame: Frame) -> Bool {
        guard stack.count < limits.maxDepth else {
            errors.append(YAMLError(.tooDeep(limit: limits.maxDepth), at: frame.start))
            return false
        }
        stack.append(frame)
        return true
    }

    private mutating func close(at end: Mark) -> Bool {
        guard let frame = stack.popLast() else {
            errors.append(YAMLError(.syntax(problem: "unbalanced collection end", context: nil), at: end))
            return false
        }
        let content: Node.Content
        switch frame.kind {
        case .sequence:
            content = .sequence(frame.items)
        case .mapping:
            guard let pairs = frame.hasMerge ? applyMerges(frame) : frame.pairs else { return false }
            content = .mapping(pairs)
        }
        let node = Node(content: content, span: Span(start: frame.start, end: end), tag: frame.tag, anchor: frame.anchor, expandedSize: frame.size)
        return add(node, at: frame.start)
    }

    /// Attaches a finished node to its parent (or makes it the document's root); false after a fatal error.
    private mutating func add(_ node: Node, at mark: Mark, anchoring: Bool = true) -> Bool {
        if anchoring, let anchor = node.anchor { anchors[anchor] = node }
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return true
        }
        let (total, overflow) = stack[top].size.addingReportingOverflow(node.expandedSize)
        guard !overflow, total <= limits.maxExpandedNodes - finishedSize else {
            errors.append(YAMLError(.expansionTooLarge(limit: limits.maxExpandedNodes), at: mark))
            return false
        }
        stack[top].size = total
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
        case .mapping:
            guard let key = stack[top].pendingKey else {
                stack[top].pendingKey = node
                return true
            }
            stack[top].pendingKey = nil
            if Frame.isMergeKey(key) {
                stack[top].hasMerge = true
            } else if let text = key.scalar?.value {
                if let first = stack[top].keyMarks[text] {
                    errors.append(YAMLError(.duplicateKey(key: text, first: first), at: key.span.start))
                    return true
                }
                stack[top].keyMarks[text] = key.span.start
            }
            stack[top].pairs.append(Pair(key: key, value: node))
        }
        return true
    }
}
