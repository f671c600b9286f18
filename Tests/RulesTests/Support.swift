import Foundation
@testable import Rules

/// Helpers shared by the rule tests.
enum Fixture {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let corpus = testsDirectory.appendingPathComponent("Corpus")
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// Loads one in-memory site file.
    static func load(_ text: String, path: String = "site.yaml") -> LoadReport {
        RuleLoader.load([RuleSource(path: path, text: text)])
    }

    /// Loads and returns the graph, or nil.
    static func graph(_ text: String) -> RuleGraph? {
        load(text).sites.first?.graph
    }

    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// A minimal valid site around the given charger/template YAML.
    static func site(_ body: String) -> String {
        """
        station:
          common_address: 1
        \(body)
        """
    }

    static func errors(_ report: LoadReport) -> [Diagnostic] {
        report.diagnostics.filter { $0.severity == .error }
    }
}
