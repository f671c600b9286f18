import YAML

/// A place in a rule file.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file's path as given or found.
    public var file: String
    /// Line and column, 1-based.
    public var mark: Mark

    /// Creates a location.
    public init(file: String, mark: Mark) {
        self.file = file
        self.mark = mark
    }

    /// Orders by file, then position.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.mark.line, lhs.mark.column) < (rhs.file, rhs.mark.line, rhs.mark.column)
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(mark.line):\(mark.column)" }
}

/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable, Codable {
    /// The rule set cannot be used.
    case error
    /// Usable, but probably not what was meant.
    case warning
}

/// A second place a diagnostic points at, such as the first definition of a duplicate.
public struct RelatedLocation: Hashable, Sendable {
    /// What is at that place.
    public var message: String
    /// The place.
    public var location: SourceLocation

    /// Creates a related location.
    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }
}

/// One problem found in the rule files, reported like a compiler does.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Error or warning.
    public var severity: Severity
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong, in one line.
    public var message: String
    /// Other places involved.
    public var related: [RelatedLocation]
    /// How many more times the same problem was found at the same place (e.g. once per charger of a template).
    public var repeats = 0

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation, related: [RelatedLocation] = []) {
        self.severity = severity
        self.location = location
        self.message = message
        self.related = related
    }

    /// `file:line:col: error: message`, then one `note:` line per related location.
    public var description: String {
        var lines = ["\(location): \(severity.rawValue): \(message)"]
        for r in related {
            lines.append("\(r.location): note: \(r.message)")
        }
        if repeats > 0 {
            lines.append("\(location): note: found \(repeats) more time\(repeats == 1 ? "" : "s") at this place")
        }
        return lines.joined(separator: "\n")
    }
}
