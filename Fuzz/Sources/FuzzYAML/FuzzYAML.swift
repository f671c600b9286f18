import YAML

/// libFuzzer entry: parses the bytes, checks the stream's invariants and walks the trees.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let stream = YAMLParser.parse(bytes)
    check(stream)
    return 0
}

/// Traps (a crash libFuzzer records) when the stream breaks a documented promise.
func check(_ stream: YAMLStream) {
    let fatal = stream.errors.filter(\.isFatal)
    precondition(fatal.count <= 1, "more than one fatal error: \(stream.errors)")
    if !fatal.isEmpty {
        precondition(stream.errors.last?.isFatal == true, "the fatal error is not last: \(stream.errors)")
        precondition(stream.documents.isEmpty, "documents kept after a fatal error")
    }
    for error in stream.errors {
        precondition(error.mark.line >= 1 && error.mark.column >= 1, "bad mark \(error)")
        _ = error.description
        _ = error.related
    }
    var budget = 200_000
    for document in stream.documents { walk(document, budget: &budget) }
}

/// Visits nodes depth-first without recursion, resolving every scalar, until the budget runs out.
func walk(_ root: Node, budget: inout Int) {
    var pending = [root]
    while let node = pending.popLast(), budget > 0 {
        budget -= 1
        precondition(node.span.start.line >= 1 && node.span.start.column >= 1, "bad start \(node.span)")
        precondition(!(node.span.end < node.span.start), "span ends before it starts: \(node.span)")
        precondition(node.expandedSize >= 1, "expanded size \(node.expandedSize)")
        _ = node.kindDescription
        switch node.content {
        case .scalar(let scalar):
            let resolved = [scalar.isNull, scalar.bool != nil, scalar.double != nil, scalar.string != nil]
            precondition(resolved.contains(true) || scalar.tag != nil, "plain scalar resolves to nothing: \(scalar)")
            if let i = scalar.int { precondition(scalar.double == Double(i), "int and double disagree: \(scalar)") }
            if scalar.style != .plain, scalar.tag == nil { precondition(scalar.string == scalar.value, "quoted scalar not a string") }
        case .sequence(let items):
            pending.append(contentsOf: items)
        case .mapping(let pairs):
            for pair in pairs {
                pending.append(pair.key)
                pending.append(pair.value)
            }
        }
    }
}
