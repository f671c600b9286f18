import Rules
import YAML

/// Reads rule-test files (`*.test.yaml`) into `RuleTestFile`s, reporting every problem as file:line:col.
public enum RuleTestParser {
    /// The keys of a test file.
    static let fileKeys = ["site", "start", "ignore_iec", "ignore_ocpp", "tests"]
    /// The keys of one test.
    static let testKeys = ["name", "start", "ignore_iec", "ignore_ocpp", "steps"]

    /// Parses a test file's bytes; the file is nil when any error was found.
    public static func parse(path: String, bytes: [UInt8]) -> (file: RuleTestFile?, diagnostics: [Diagnostic]) {
        var reader = TestYAMLReader(file: path)
        let stream = YAMLParser.parse(bytes)
        for problem in stream.errors {
            reader.error(problem.message, at: SourceLocation(file: path, mark: problem.mark))
        }
        guard stream.errors.isEmpty else { return (nil, reader.diagnostics) }
        guard stream.documents.count == 1, let root = stream.documents.first else {
            reader.error("a test file holds exactly one YAML document, found \(stream.documents.count)",
                         at: SourceLocation(file: path, mark: Mark(line: 1, column: 1)))
            return (nil, reader.diagnostics)
        }
        let file = reader.testFile(root, path: path)
        return (reader.diagnostics.isEmpty ? file : nil, reader.diagnostics)
    }
}

extension TestYAMLReader {
    /// The whole file.
    mutating func testFile(_ root: Node, path: String) -> RuleTestFile? {
        guard let fields = mapping(root, what: "a test file", allowed: RuleTestParser.fileKeys, extensions: true) else {
            return nil
        }
        var site: [String] = []
        if let node = fields["site"] {
            let items = node.sequence ?? [node]
            for item in items {
                if let text = string(item, what: "site") { site.append(TestPaths.join(TestPaths.directory(of: path), text)) }
            }
            if items.isEmpty { error("site must name at least one rule file or directory", at: node) }
        } else {
            error("a test file needs 'site:', the rule files (relative to this file) it tests", at: root)
        }
        let start = fields["start"].flatMap { instantOrNil($0, what: "start") } ?? TestClock.defaultStart
        let ignoreIEC = fields["ignore_iec"].map { iecExpectations($0, what: "ignore_iec") } ?? []
        let ignoreOCPP = fields["ignore_ocpp"].map { ignoredCalls($0) } ?? []
        var tests: [RuleTestCase] = []
        if let node = fields["tests"], let items = list(node, what: "tests") {
            if items.isEmpty { error("tests must hold at least one test", at: node) }
            var names: [String: SourceLocation] = [:]
            for item in items {
                guard let test = testCase(item, start: start, ignoreIEC: ignoreIEC, ignoreOCPP: ignoreOCPP) else { continue }
                if let first = names[test.name] {
                    diagnostics.append(Diagnostic(.error, "duplicate test name '\(test.name)'", at: test.location,
                                                  related: [RelatedLocation("first defined here", at: first)]))
                }
                names[test.name] = names[test.name] ?? test.location
                tests.append(test)
            }
        } else if fields["tests"] == nil {
            error("a test file needs 'tests:', a list of tests", at: root)
        }
        return RuleTestFile(path: path, site: site, tests: tests)
    }

    /// One test.
    mutating func testCase(_ node: Node, start fileStart: EngineTime, ignoreIEC: [IECExpectation],
                           ignoreOCPP: [IgnoredCall]) -> RuleTestCase? {
        guard let fields = mapping(node, what: "a test", allowed: RuleTestParser.testKeys, extensions: true) else { return nil }
        guard let nameNode = fields["name"], let name = string(nameNode, what: "name") else {
            if fields["name"] == nil { error("a test needs a 'name:'", at: node) }
            return nil
        }
        let start = fields["start"].flatMap { instantOrNil($0, what: "start") } ?? fileStart
        var test = RuleTestCase(name: name, location: location(node), start: start,
                                ignoreIEC: ignoreIEC + (fields["ignore_iec"].map { iecExpectations($0, what: "ignore_iec") } ?? []),
                                ignoreOCPP: ignoreOCPP + (fields["ignore_ocpp"].map { ignoredCalls($0) } ?? []),
                                steps: [])
        guard let stepsNode = fields["steps"] else {
            error("test '\(name)' needs 'steps:', a list of steps", at: node)
            return nil
        }
        guard let items = list(stepsNode, what: "steps") else { return nil }
        if items.isEmpty { error("test '\(name)' has no steps", at: stepsNode) }
        var clock = start
        for item in items {
            if let step = step(item, number: test.steps.count + 1, clock: &clock, start: start) { test.steps.append(step) }
        }
        return test
    }

    /// An RFC 3339 instant with a zone.
    mutating func instantOrNil(_ node: Node, what: String) -> EngineTime? {
        guard let text = string(node, what: what) else { return nil }
        guard let time = TestClock.instant(text) else {
            error("\(what) must be an RFC 3339 time with a zone, e.g. 2026-01-01T00:00:00Z; found '\(text)'", at: node)
            return nil
        }
        return time
    }

    /// A duration: seconds, or `500ms`, `15s`, `2min`, `1h`.
    mutating func duration(_ node: Node, what: String) -> Double? {
        guard let scalar = node.scalar, !scalar.isNull, let seconds = TestClock.duration(scalar.value) else {
            error("\(what) must be a duration: seconds, or a string like '500ms', '15s', '2min', '1h'", at: node)
            return nil
        }
        return seconds
    }
}

/// Lexical path handling for test files (the `site:` paths are relative to the test file's folder).
enum TestPaths {
    /// The folder of a path (`.` for a bare name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `name` relative to `directory`, with `.` and resolvable `..` removed.
    static func join(_ directory: String, _ name: String) -> String {
        let joined = name.hasPrefix("/") || directory == "." ? name : directory + "/" + name
        let absolute = joined.hasPrefix("/")
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let result = parts.joined(separator: "/")
        return absolute ? "/" + result : (result.isEmpty ? "." : result)
    }
}
