import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Gateway
import Rules
import Testing

/// `ocpp809 rules test`: timelines run through the engine, failures name their step, bad files their place.
@Suite struct RuleTestsRunnerTests {
    typealias F = RuleTestsFixture

    @Test(arguments: MonitorPath.allCases)
    func passingFilePasses(path: MonitorPath) {
        let report = F.run(F.passing, path: path)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.siteRoot == "site/site.yaml")
        #expect(report.results.map(\.name) == ["power and a limit"])
        let failures = report.results.compactMap(\.failure?.report)
        #expect(failures.isEmpty, "\(failures)")
        #expect(RuleTestReporting.text(report).contains("PASS power and a limit"))
    }

    @Test func failingFileNamesTheStepAndShowsTheDiff() throws {
        let report = F.run(F.failing)
        #expect(!report.isUnreadable)
        #expect(report.results.map(\.passed) == [false, true])
        let failure = try #require(report.results.first?.failure)
        #expect(failure.step == 3)
        #expect(failure.keyword == "expect_iec")
        #expect(failure.location.description == "site/site.test.yaml:11:9")
        #expect(failure.headline.hasPrefix("site/site.test.yaml:11:9: step 3 (expect_iec) at 2026-01-01T00:00:00.000Z:"))
        let report16 = failure.report
        #expect(report16.contains("- ioa 100 (CP1 power_kw) value 7.4"))
        #expect(report16.contains("value: expected 7.4, got 14.4"))
        #expect(report16.contains("+ M_ME_TF_1 ioa 100 (CP1 power_kw) value 14.4 quality [] cot 3"))
        #expect(report16.contains("+ M_ME_TF_1 ioa 10 (site site_power_kw) value 14.4"))
        let text = RuleTestReporting.text(report)
        #expect(text.contains("FAIL wrong power\n    site/site.test.yaml:11:9: step 3 (expect_iec)"))
        #expect(text.contains("PASS nothing happens"))
        #expect(RuleTestReporting.summary([report]) == "2 tests: 1 passed, 1 failed\n")
    }

    @Test func leftoverOutputsFailTheTestAtItsEnd() throws {
        let text = F.passing.replacingOccurrences(of: "- expect_iec: [{confirm: positive, ioa: 150}]", with: "- no_ocpp: true")
        let report = F.run(text)
        let failure = try #require(report.results.first?.failure)
        #expect(failure.step == nil)
        #expect(failure.keyword == "end of test")
        #expect(failure.report.contains("+ C_SE_NC_1 ioa 150 (CP1 limit_kw) confirm positive (execute) cot 7  (step 6)"))
        #expect(failure.location.description == "site/site.test.yaml:3:5")
    }

    @Test func filterRunsOnlyMatchingTests() {
        let runner = RuleTestRunner(filter: { $0.contains("nothing") },
                                    provider: MemoryFiles([RuleSource(path: "site/site.yaml", text: F.site)]))
        let report = runner.run(file: "site/site.test.yaml", bytes: Array(F.failing.utf8))
        #expect(report.results.map(\.name) == ["nothing happens"])
    }

    @Test func malformedYAMLGivesFileLineColumn() throws {
        let report = F.run("site: site.yaml\ntests:\n  - name: broken\n    steps: [connect: CP1\n", name: "broken.test.yaml")
        #expect(report.isUnreadable)
        let first = try #require(report.diagnostics.first)
        #expect(first.location.file == "site/broken.test.yaml")
        #expect(first.location.mark.line >= 4)
        #expect(DiagnosticRendering.text(report.diagnostics).hasPrefix("site/broken.test.yaml:"))
    }

    @Test func structuralMistakesAreReportedWhereTheyAre() {
        let text = """
        site: site.yaml
        tests:
          - name: typos
            steps:
              - conect: CP1
              - connect: CP9
              - after: 10s
                iec: {signal: limit_kw, charger: CP1, value: on}
              - {at: 2s, tick: {}}
              - expect_iec: [{ioa: 100, quality: [XX]}]
        """
        let report = F.run(text)
        let lines = report.diagnostics.map(\.description)
        #expect(report.isUnreadable)
        #expect(lines.contains("site/site.test.yaml:5:9: error: unknown key 'conect' in a step; did you mean 'connect'?"))
        #expect(lines.count == 3, "one error per mistake: \(lines)")
        #expect(lines.contains { $0.hasPrefix("site/site.test.yaml:9:14: error: at 2026-01-01T00:00:02.000Z is before the previous step") })
        #expect(lines.contains("site/site.test.yaml:10:43: error: unknown quality flag 'XX'; use IV, NT, OV, SB, BL"))
        // The site is only consulted once the file itself is sound.
        let resolved = F.run(text.replacingOccurrences(of: "      - conect: CP1\n", with: "")
            .replacingOccurrences(of: "      - {at: 2s, tick: {}}\n", with: "")
            .replacingOccurrences(of: "XX", with: "IV"))
        let resolvedLines = resolved.diagnostics.map(\.description)
        #expect(resolvedLines.contains("site/site.test.yaml:5:18: error: the site has no charger 'CP9'; did you mean 'CP1'?"))
        #expect(resolvedLines.contains("site/site.test.yaml:6:9: error: C_SE_NC_1 takes a number"))
    }

    @Test func invalidSiteMakesTheFileUnreadable() {
        let report = F.run("site: missing.yaml\ntests:\n  - {name: t, steps: [tick: {}]}\n")
        #expect(report.isUnreadable)
        #expect(report.diagnostics.contains { $0.message.contains("cannot read 'site/missing.yaml'") })
    }

    @Test func junitIsWellFormedXML() throws {
        let reports = [F.run(F.passing), F.run(F.failing, name: "failing.test.yaml"),
                       F.run("tests: [", name: "bad.test.yaml")]
        let xml = RuleTestReporting.junit(reports)
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")\n\(xml)")
        #expect(collector.elements.filter { $0 == "testsuite" }.count == 3)
        #expect(collector.elements.filter { $0 == "testcase" }.count == 4)
        #expect(collector.elements.filter { $0 == "failure" }.count == 1)
        #expect(collector.elements.filter { $0 == "error" }.count == 1)
        #expect(collector.rootAttributes["tests"] == "4")
        #expect(collector.rootAttributes["failures"] == "1")
        #expect(collector.rootAttributes["errors"] == "1")
        #expect(collector.failureMessages.first?.contains("step 3 (expect_iec)") == true)
    }

    @Test func junitEscapesWhatXMLCannotHold() {
        #expect(RuleTestReporting.junit([]).contains("tests=\"0\""))
        let escaped = RuleTestReporting.escape("a<b & \"c\" \u{1}")
        #expect(escaped == "a&lt;b &amp; &quot;c&quot; \u{FFFD}")
    }

    @Test func testFilesAreFoundByTheirSuffix() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ruletests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub/.hidden"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["a.test.yaml", "sub/b.test.yml", "site.yaml", "sub/.hidden/c.test.yaml"] {
            try Data("x".utf8).write(to: directory.appendingPathComponent(name))
        }
        let found = RuleTestRunner.testFiles(in: [directory.path, directory.path + "/nope"])
        #expect(found.files.map { ($0 as NSString).lastPathComponent } == ["a.test.yaml", "b.test.yml"])
        #expect(found.missing == [directory.path + "/nope"])
    }
}

/// Records what an XML document holds.
final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var rootAttributes: [String: String] = [:]
    var failureMessages: [String] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if elements.isEmpty { rootAttributes = attributes }
        elements.append(name)
        if name == "failure", let message = attributes["message"] { failureMessages.append(message) }
    }
}
