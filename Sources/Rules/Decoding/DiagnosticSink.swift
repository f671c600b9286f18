import YAML

/// Collects diagnostics while a site is read; identical reports (same place and text) are kept once.
final class DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []
    private struct Key: Hashable {
        var severity: Severity
        var location: SourceLocation
        var message: String
    }
    private var seen: [Key: Int] = [:]

    private var serial = 0
    /// Every report, repeats included; a change tells that something was reported.
    private(set) var reportCount = 0
    private(set) var errorCount = 0

    func nextSerial() -> Int {
        serial += 1
        return serial
    }

    func report(_ diagnostic: Diagnostic) {
        reportCount += 1
        if diagnostic.severity == .error { errorCount += 1 }
        let key = Key(severity: diagnostic.severity, location: diagnostic.location, message: diagnostic.message)
        if let index = seen[key] {
            diagnostics[index].repeats += 1
            return
        }
        seen[key] = diagnostics.count
        diagnostics.append(diagnostic)
    }

    func error(_ message: String, at location: SourceLocation, related: [RelatedLocation] = []) {
        report(Diagnostic(.error, message, at: location, related: related))
    }

    func warning(_ message: String, at location: SourceLocation, related: [RelatedLocation] = []) {
        report(Diagnostic(.warning, message, at: location, related: related))
    }
}

/// Where decoding is: the file and the sink its problems go to.
struct DecodeContext {
    let file: String
    let sink: DiagnosticSink

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, mark: node.span.start)
    }

    func error(_ message: String, at node: Node, related: [RelatedLocation] = []) {
        sink.error(message, at: location(node), related: related)
    }

    func warning(_ message: String, at node: Node) {
        sink.warning(message, at: location(node))
    }
}

/// A value with the place it was written.
public struct Located<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Where it was written.
    public var location: SourceLocation

    /// Pairs a value with its place.
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}
