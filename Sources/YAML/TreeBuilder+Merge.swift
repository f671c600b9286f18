/// `<<` merge keys (YAML 1.1 merge, as most YAML tools read it).
extension TreeBuilder {
    /// The frame's entries with each `<<` entry replaced by the entries it merges.
    ///
    /// Keys written in the mapping itself win over merged ones, and an earlier merge (or an earlier
    /// mapping in a merged list) wins over a later one. Nil after an invalid merge, which is fatal.
    mutating func applyMerges(_ frame: Frame) -> [Pair]? {
        var result = frame.pairs.filter { !Frame.isMergeKey($0.key) }
        var seen = Set(frame.keyMarks.keys)
        for pair in frame.pairs where Frame.isMergeKey(pair.key) {
            let sources: [Node]
            switch pair.value.content {
            case .mapping:
                sources = [pair.value]
            case .sequence(let items) where items.allSatisfy({ $0.mapping != nil }):
                sources = items
            default:
                errors.append(YAMLError(.invalidMerge, at: pair.value.span.start))
                return nil
            }
            for source in sources {
                for entry in source.mapping ?? [] {
                    if let text = entry.key.scalar?.value {
                        guard seen.insert(text).inserted else { continue }
                    }
                    result.append(Pair(key: entry.key, value: entry.value, merged: true))
                }
            }
        }
        return result
    }
}
