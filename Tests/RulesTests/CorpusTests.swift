import Foundation
import Testing
@testable import Rules

/// An expected diagnostic written in a corpus file as `# expect: LINE:COL SEVERITY: SUBSTRING`.
struct Expectation: CustomStringConvertible {
    var line: Int
    var column: Int
    var severity: Severity
    var substring: String

    var description: String { "\(line):\(column) \(severity.rawValue): \(substring)" }

    static func parse(_ text: String) -> [Expectation] {
        text.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "# expect: ") else { return nil }
            let rest = line[range.upperBound...]
            let parts = rest.split(separator: " ", maxSplits: 2)
            guard parts.count == 3 else { return nil }
            let position = parts[0].split(separator: ":")
            guard position.count == 2, let l = Int(position[0]), let c = Int(position[1]),
                  let severity = Severity(rawValue: String(parts[1].dropLast())) else { return nil }
            return Expectation(line: l, column: c, severity: severity, substring: String(parts[2]).lowercased())
        }
    }

    func matches(_ d: Diagnostic) -> Bool {
        d.location.mark.line == line && d.location.mark.column == column && d.severity == severity
            && d.message.lowercased().contains(substring)
    }
}

@Suite("Corpus")
struct CorpusTests {
    static let valid = Fixture.files(in: Fixture.corpus.appendingPathComponent("valid"))
    static let broken = Fixture.files(in: Fixture.corpus.appendingPathComponent("broken"))

    @Test("the shipped rules load without errors")
    func shippedRules() throws {
        let rules = Fixture.repository.appendingPathComponent("rules").path
        let report = RuleLoader.load(paths: [rules])
        #expect(report.errorCount == 0, "\(DiagnosticRendering.text(report.diagnostics))")
        #expect(report.sites.count >= 2)
        #expect(report.sites.allSatisfy { $0.graph != nil })
    }

    @Test("the default site has the ten demo chargers CP001–CP010 of both OCPP versions")
    func defaultSite() throws {
        let report = RuleLoader.load(paths: [Fixture.repository.appendingPathComponent("rules/default.yaml").path])
        let graph = try #require(report.sites.first?.graph)
        #expect(graph.chargers.map(\.id) == (1...10).map { String(format: "CP%03d", $0) })
        let versions = Set(graph.chargers.flatMap(\.versions))
        #expect(versions == [.v16, .v201])
        let types = Set(graph.points.map(\.type.id))
        for required in [36, 15, 30, 31, 50, 13] { #expect(types.contains(required), "type \(required) missing") }
        #expect(graph.chargers.allSatisfy { $0.sanitizer == .lenient })
        #expect(!graph.aggregates.isEmpty)
    }

    @Test("valid corpus files load without errors", arguments: valid)
    func validFile(_ url: URL) {
        let report = RuleLoader.load(paths: [url.path])
        #expect(report.errorCount == 0, "\(DiagnosticRendering.text(report.diagnostics))")
    }

    @Test("broken corpus files give exactly the expected diagnostics", arguments: broken)
    func brokenFile(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let expected = Expectation.parse(text)
        #expect(!expected.isEmpty, "\(url.lastPathComponent) has no '# expect:' line")
        let report = RuleLoader.load(paths: [url.path])
        #expect(report.errorCount > 0)
        for expectation in expected {
            #expect(report.diagnostics.contains(where: expectation.matches),
                    "\(url.lastPathComponent): expected \(expectation), got:\n\(DiagnosticRendering.text(report.diagnostics))")
        }
        for error in Fixture.errors(report) {
            #expect(expected.contains { $0.matches(error) },
                    "\(url.lastPathComponent): unexpected \(error)")
        }
    }
}
