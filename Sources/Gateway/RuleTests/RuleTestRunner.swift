import Foundation
import Rules

/// What running one test file gave: each test's result, or the problems that kept the file from running.
public struct RuleTestFileReport: Sendable {
    /// The test file.
    public var path: String
    /// The site's root file, when the site loaded.
    public var siteRoot: String?
    /// The tests that ran (those the name filter let through), in file order.
    public var results: [RuleTestResult]
    /// Problems with the file or its site; any error means no test of the file ran.
    public var diagnostics: [Diagnostic]

    /// Whether the file could not be run (unreadable, invalid, or its site invalid).
    public var isUnreadable: Bool { diagnostics.contains { $0.severity == .error } }
    /// The tests that failed.
    public var failures: [RuleTestResult] { results.filter { !$0.passed } }
}

/// Runs rule-test files against their sites through the production engine, in memory.
public struct RuleTestRunner {
    /// Which engine path runs the meter-value rules.
    public var path: MonitorPath
    /// Which tests to run, by name; nil runs all.
    public var filter: (@Sendable (String) -> Bool)?
    /// Where the site's rule files are read from.
    public var provider: any RuleFileProvider

    /// Creates a runner; sites are read through `provider` (the disk by default).
    public init(path: MonitorPath = .compiled, filter: (@Sendable (String) -> Bool)? = nil,
                provider: any RuleFileProvider = DiskFiles()) {
        self.path = path
        self.filter = filter
        self.provider = provider
    }

    /// Reads and runs the test file at `path` from disk.
    public func run(file path: String) -> RuleTestFileReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            return RuleTestFileReport(path: path, siteRoot: nil, results: [], diagnostics: [
                Diagnostic(.error, "cannot read '\(path)'", at: SourceLocation(file: path, mark: .init(line: 1, column: 1))),
            ])
        }
        return run(file: path, bytes: [UInt8](data))
    }

    /// Parses and runs a test file's bytes.
    public func run(file path: String, bytes: [UInt8]) -> RuleTestFileReport {
        var report = RuleTestFileReport(path: path, siteRoot: nil, results: [], diagnostics: [])
        let parsed = RuleTestParser.parse(path: path, bytes: bytes)
        report.diagnostics = parsed.diagnostics
        guard let file = parsed.file else { return report }
        let start = SourceLocation(file: path, mark: .init(line: 1, column: 1))
        let loaded = RuleLoader.load(paths: file.site, from: provider)
        guard loaded.errorCount == 0 else {
            report.diagnostics = [Diagnostic(.error, "the site \(file.site.joined(separator: ", ")) is invalid", at: start)]
                + loaded.diagnostics.filter { $0.severity == .error }
            return report
        }
        guard loaded.sites.count == 1, let site = loaded.sites.first, let graph = site.graph else {
            let found = loaded.sites.map(\.root).joined(separator: ", ")
            report.diagnostics = [Diagnostic(.error, "site: must name exactly one site (one file with 'station:'), found "
                + (found.isEmpty ? "none" : found), at: start)]
            return report
        }
        report.siteRoot = site.root
        var resolver = RuleTestResolver(graph: graph)
        let resolved = resolver.resolve(file)
        guard resolver.diagnostics.isEmpty else {
            report.diagnostics = resolver.diagnostics
            return report
        }
        for test in resolved.tests where filter?(test.name) ?? true {
            let clock = ContinuousClock()
            let began = clock.now
            let failure: RuleTestFailure?
            do {
                var run = try RuleTestRun(test: test, graph: graph, path: self.path)
                failure = run.run()
            } catch {
                report.diagnostics.append(Diagnostic(.error, "the station refuses the site's points: \(error)", at: start))
                return report
            }
            let elapsed = clock.now - began
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            report.results.append(RuleTestResult(file: path, name: test.name, location: test.location, failure: failure,
                                                 seconds: seconds))
        }
        return report
    }

    /// The test files among `paths`: files as given, directories searched recursively for `*.test.yaml` and
    /// `*.test.yml` (hidden entries skipped), sorted; `missing` lists paths that do not exist.
    public static func testFiles(in paths: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            var pending = [path]
            while let directory = pending.popLast() {
                guard let entries = try? manager.contentsOfDirectory(atPath: directory) else { continue }
                for entry in entries where !entry.hasPrefix(".") {
                    let full = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
                    var entryIsDirectory: ObjCBool = false
                    _ = manager.fileExists(atPath: full, isDirectory: &entryIsDirectory)
                    if entryIsDirectory.boolValue { pending.append(full) } else if isTestFile(full) { found.append(full) }
                }
            }
            files += found.sorted()
        }
        return (files, missing)
    }

    /// Whether a path names a rule-test file (`*.test.yaml`, `*.test.yml`).
    public static func isTestFile(_ path: String) -> Bool {
        path.hasSuffix(".test.yaml") || path.hasSuffix(".test.yml")
    }
}
