import Testing
import YAML

/// Parses text that must hold exactly one document and no error.
func document(_ text: String, limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) throws -> Node {
    let stream = YAMLParser.parse(text, limits: limits)
    #expect(stream.errors.isEmpty, "unexpected errors: \(stream.errors)", sourceLocation: sourceLocation)
    #expect(stream.documents.count == 1, sourceLocation: sourceLocation)
    return try #require(stream.documents.first, sourceLocation: sourceLocation)
}

/// Parses text that must fail with exactly one (fatal) error, and returns it.
func fatal(_ bytes: [UInt8], limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) throws -> YAMLError {
    let stream = YAMLParser.parse(bytes, limits: limits)
    #expect(stream.documents.isEmpty, "documents must be dropped after a fatal error", sourceLocation: sourceLocation)
    #expect(stream.errors.count == 1, "errors: \(stream.errors)", sourceLocation: sourceLocation)
    let error = try #require(stream.errors.last, sourceLocation: sourceLocation)
    #expect(error.isFatal, sourceLocation: sourceLocation)
    return error
}

/// Text form of `fatal(_:)`.
func fatal(_ text: String, limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) throws -> YAMLError {
    try fatal(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
}

/// A mark, shortly.
func at(_ line: Int, _ column: Int) -> Mark { Mark(line: line, column: column) }

/// A span, shortly.
func span(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> Span { Span(start: at(l1, c1), end: at(l2, c2)) }

extension Node {
    /// The value of the first entry whose key is the scalar `key`.
    func value(_ key: String) -> Node? {
        mapping?.first(where: { $0.key.scalar?.value == key })?.value
    }

    /// The key node of the first entry whose key is the scalar `key`.
    func key(_ key: String) -> Node? {
        mapping?.first(where: { $0.key.scalar?.value == key })?.key
    }

    /// The item at `index` of a sequence.
    func item(_ index: Int) -> Node? {
        guard let items = sequence, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The keys of a mapping in order.
    var keys: [String] { mapping?.compactMap { $0.key.scalar?.value } ?? [] }

    /// The scalar text, or nil.
    var text: String? { scalar?.value }
}

/// Seconds spent running `body`.
func seconds(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let elapsed = clock.measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
