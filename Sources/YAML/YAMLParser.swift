import CYAML

/// Limits that keep hostile input from exhausting memory or time.
public struct YAMLLimits: Sendable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes the documents of a stream may hold together once aliases are expanded.
    public var maxExpandedNodes: Int

    /// Creates limits.
    public init(maxBytes: Int = 32 << 20, maxDepth: Int = 64, maxExpandedNodes: Int = 5_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxExpandedNodes = maxExpandedNodes
    }

    /// The limits rule files are read with.
    public static let `default` = YAMLLimits()
}

/// The documents of one YAML stream and every problem found reading it.
public struct YAMLStream: Sendable {
    /// The documents read; empty when a fatal error stopped reading.
    public var documents: [Node]
    /// Problems in source order; at most one is fatal and it comes last.
    public var errors: [YAMLError]
}

/// Reads YAML with libyaml's event parser into `Node` trees.
public enum YAMLParser {
    /// Parses UTF-8 (or BOM-marked UTF-16) bytes; never traps, whatever the bytes.
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLStream {
        guard bytes.count <= limits.maxBytes else {
            return YAMLStream(documents: [], errors: [YAMLError(.inputTooLarge(bytes: bytes.count, limit: limits.maxBytes), at: Mark(line: 1, column: 1))])
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var builder = TreeBuilder(limits: limits)
            builder.run(buffer)
            let fatal = builder.errors.last?.isFatal ?? false
            return YAMLStream(documents: fatal ? [] : builder.documents, errors: builder.errors)
        }
    }

    /// Parses a string.
    public static func parse(_ text: String, limits: YAMLLimits = .default) -> YAMLStream {
        parse(Array(text.utf8), limits: limits)
    }
}
