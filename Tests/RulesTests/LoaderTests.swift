import SeededRandom
import Testing
@testable import Rules

@Suite("Loader")
struct LoaderTests {
    static let charger = """
    templates:
      t:
        points:
          - {signal: a, offset: 0, type: M_SP_NA_1, from: {action: StatusNotification, transform: [{map: {Charging: true, "*": false}}]}}
    """

    @Test("a root file pulls in included files and directories, relative to itself")
    func includes() throws {
        let report = RuleLoader.load([
            RuleSource(path: "site/root.yaml", text: "include: [parts/templates.yaml, chargers]\nstation: {common_address: 5}\n"),
            RuleSource(path: "site/parts/templates.yaml", text: Self.charger),
            RuleSource(path: "site/chargers/a.yaml", text: "chargers: [{id: A, template: t, ioa_base: 10}]\n"),
            RuleSource(path: "site/chargers/b.yaml", text: "chargers: [{id: B, template: t, ioa_base: 20}]\n"),
        ])
        #expect(report.errorCount == 0, "\(report.diagnostics)")
        #expect(report.warningCount == 0, "\(report.diagnostics)")
        let graph = try #require(report.sites.first?.graph)
        #expect(report.sites.count == 1)
        #expect(graph.chargers.map(\.id) == ["A", "B"])
        #expect(graph.pointIndex[PointAddress(ca: 5, ioa: 20)] != nil)
    }

    @Test("ocpp.tls paths are relative to the file that names them; absolute ones stay as written")
    func tlsPaths() throws {
        let report = RuleLoader.load([
            RuleSource(path: "site/root.yaml", text: """
                station: {common_address: 5}
                ocpp:
                  tls: {certificate: keys/server.pem, private_key: /etc/ocpp809/server.key, client_ca: ca.pem}
                """),
        ])
        #expect(report.errorCount == 0, "\(report.diagnostics)")
        let tls = try #require(report.sites.first?.graph?.centralSystem.tls)
        #expect(tls.listen == "0.0.0.0:9443")
        #expect(tls.certificate == "site/keys/server.pem")
        #expect(tls.privateKey == "/etc/ocpp809/server.key")
        #expect(tls.clientCertificateAuthorities == "site/ca.pem")
    }

    @Test("include cycles, missing includes and a second station are errors at the include")
    func includeProblems() {
        let report = RuleLoader.load([
            RuleSource(path: "root.yaml", text: "include: [a.yaml, missing.yaml]\nstation: {common_address: 1}\n"),
            RuleSource(path: "a.yaml", text: "include: [root.yaml]\nstation: {common_address: 2}\n"),
        ])
        let messages = Fixture.errors(report).map { "\($0.location) \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("a.yaml:1:11") && $0.contains("include cycle: root.yaml → a.yaml → root.yaml") })
        #expect(messages.contains { $0.hasPrefix("root.yaml:1:19") && $0.contains("cannot read 'missing.yaml'") })
        #expect(messages.contains { $0.hasPrefix("a.yaml:2:1") && $0.contains("'station' may only appear in the site's root file root.yaml") })
    }

    @Test("each root is its own site; a stray fragment gets a warning")
    func severalSites() {
        let report = RuleLoader.load([
            RuleSource(path: "one.yaml", text: "station: {common_address: 1}\n"),
            RuleSource(path: "two.yaml", text: "station: {common_address: 2}\n"),
            RuleSource(path: "stray.yaml", text: Self.charger),
        ])
        #expect(report.sites.map(\.root) == ["one.yaml", "two.yaml"])
        #expect(report.errorCount == 0)
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.location.file == "stray.yaml" && $0.message.contains("not part of any site") })
    }

    @Test("YAML errors carry libyaml's mark and stop only that file")
    func yamlErrors() {
        let report = RuleLoader.load([
            RuleSource(path: "bad.yaml", text: "station:\n  common_address: [1\n"),
            RuleSource(path: "good.yaml", text: "station: {common_address: 2}\n"),
        ])
        let errors = Fixture.errors(report)
        #expect(errors.count == 1)
        #expect(errors[0].location.file == "bad.yaml")
        #expect(errors[0].message.contains("YAML syntax error"))
        #expect(report.sites.first { $0.root == "good.yaml" }?.graph != nil)
    }

    @Test("duplicate keys name both places")
    func duplicateKeys() {
        let report = Fixture.load("station:\n  common_address: 1\n  common_address: 2\n")
        let error = Fixture.errors(report).first
        #expect(error?.message == "duplicate key 'common_address'")
        #expect(error?.location.mark == .init(line: 3, column: 3))
        #expect(error?.related.first?.location.mark == .init(line: 2, column: 3))
    }

    @Test("an alias bomb and deep nesting give one located error each, fast")
    func hostileYAML() {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { bomb += "\(Character(UnicodeScalar(97 + i)!)): &\(Character(UnicodeScalar(97 + i)!)) [" + Array(repeating: "*\(Character(UnicodeScalar(96 + i)!))", count: 10).joined(separator: ", ") + "]\n" }
        let bombReport = Fixture.load(bomb)
        #expect(Fixture.errors(bombReport).count == 1)
        #expect(Fixture.errors(bombReport).first?.message.contains("aliases expand") == true)
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let deepReport = Fixture.load(deep)
        #expect(Fixture.errors(deepReport).first?.message.contains("nesting deeper than 64") == true)
    }

    @Test("binary garbage gets a diagnostic, not a crash")
    func garbage() {
        var generator = SplitMix64(seed: 42)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let report = RuleLoader.load([RuleSource(path: "garbage.yaml", bytes: bytes)])
        #expect(report.errorCount >= 1)
        #expect(report.diagnostics.allSatisfy { $0.location.mark.line >= 1 && $0.location.mark.column >= 1 })
    }

    @Test("a file over the size limit is refused at 1:1")
    func oversize() {
        let bytes = [UInt8](repeating: 0x20, count: (32 << 20) + 1)
        let report = RuleLoader.load([RuleSource(path: "huge.yaml", bytes: bytes)])
        let error = Fixture.errors(report).first
        #expect(error?.location.mark == .init(line: 1, column: 1))
        #expect(error?.message.contains("limit") == true)
    }
}
