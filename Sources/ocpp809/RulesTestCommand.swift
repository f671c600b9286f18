import ArgumentParser
import Foundation
import Gateway
import Rules

/// `ocpp809 rules test`: runs rule tests written in YAML next to the site's rule files.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule tests (*.test.yaml): charger messages and SCADA commands in, expected outputs out.",
        discussion: """
        Each test runs through the gateway's own engine in memory, without sockets. Prints PASS/FAIL per test and a \
        diff for each failure (docs/rule-tests.md describes the format).
        Exit status: 0 every test passed, 1 a test failed, 2 a test file or its site could not be run, or usage error.
        """
    )

    @Argument(help: "Test files or directories (directories are searched for *.test.yaml and *.test.yml).")
    var paths: [String]

    @Option(name: .customLong("run"), help: "Run only the tests whose name matches this regular expression.")
    var namePattern: String?

    @Option(help: "Also write a JUnit XML report to this file.")
    var junit: String?

    @Option(help: "Engine path for the meter-value rules: compiled or interpreted.")
    var path: EnginePathOption = .compiled

    func validate() throws {
        if let namePattern, (try? Regex(namePattern)) == nil {
            throw ValidationError("--run: not a regular expression: \(namePattern)")
        }
        let missing = RuleTestRunner.testFiles(in: paths).missing
        if !missing.isEmpty { throw ValidationError("no such file or directory: \(missing.joined(separator: ", "))") }
    }

    func run() throws {
        let files = RuleTestRunner.testFiles(in: paths).files
        guard !files.isEmpty else {
            FileOutput.standardError("error: no test files (*.test.yaml, *.test.yml) under \(paths.joined(separator: " "))")
            throw ExitCode(2)
        }
        let runner = RuleTestRunner(path: path.monitorPath, filter: NameFilter.make(namePattern))
        var reports: [RuleTestFileReport] = []
        for file in files {
            let report = runner.run(file: file)
            if report.isUnreadable {
                FileOutput.standardError(DiagnosticRendering.text(report.diagnostics))
            } else {
                FileOutput.standardOutput(RuleTestReporting.text(report))
            }
            reports.append(report)
        }
        FileOutput.standardOutput(RuleTestReporting.summary(reports))
        if let junit {
            guard FileManager.default.createFile(atPath: junit, contents: Data(RuleTestReporting.junit(reports).utf8)) else {
                FileOutput.standardError("error: cannot write the JUnit report to \(junit)")
                throw ExitCode(2)
            }
        }
        if reports.contains(where: \.isUnreadable) { throw ExitCode(2) }
        if reports.contains(where: { !$0.failures.isEmpty }) { throw ExitCode(1) }
    }
}

/// The `--path` choices.
enum EnginePathOption: String, ExpressibleByArgument, CaseIterable {
    case compiled, interpreted

    /// The engine's path.
    var monitorPath: MonitorPath { self == .compiled ? .compiled : .interpreted }
}

/// The `--run` filter.
enum NameFilter {
    /// A filter matching names against `pattern` anywhere in the name; nil without a pattern.
    static func make(_ pattern: String?) -> (@Sendable (String) -> Bool)? {
        guard let pattern else { return nil }
        return { name in (try? Regex(pattern)).map { name.contains($0) } ?? false }
    }
}
