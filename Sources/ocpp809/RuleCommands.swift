import ArgumentParser
import Rules

/// Options every rules subcommand shares.
struct RulePaths: ParsableArguments {
    @Argument(help: "Rule files or directories (directories are searched for *.yaml and *.yml).")
    var paths: [String]

    func validate() throws {
        let disk = DiskFiles()
        for path in paths {
            guard disk.exists(path) else { throw ValidationError("no such file or directory: \(path)") }
            if let found = disk.ruleFiles(under: path), found.isEmpty {
                throw ValidationError("no rule files (*.yaml, *.yml) under \(path)")
            }
        }
    }

    func load() -> LoadReport {
        RuleLoader.load(paths: paths)
    }

    /// The one valid site the paths hold; prints diagnostics and exits otherwise.
    func singleSite() throws -> RuleGraph {
        let report = load()
        if !report.diagnostics.isEmpty {
            FileOutput.standardError(DiagnosticRendering.text(report.diagnostics))
        }
        guard report.sites.count == 1 else {
            if report.sites.isEmpty {
                FileOutput.standardError("error: no site found: no file with 'station:' among \(paths.joined(separator: " "))")
                throw ExitCode(report.errorCount > 0 ? 1 : 2)
            }
            FileOutput.standardError("error: \(report.sites.count) sites found (\(report.sites.map(\.root).joined(separator: ", "))); name one site's root file")
            throw ExitCode(2)
        }
        guard let graph = report.sites[0].graph, report.errorCount == 0 else {
            throw ExitCode(1)
        }
        return graph
    }
}

/// Output formats of `validate`.
enum ValidateFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check rule files; report every problem as file:line:col.",
        discussion: "Exit status: 0 valid, 1 invalid (or warnings with --deny-warnings), 2 usage error."
    )

    @OptionGroup var input: RulePaths

    @Option(help: "Output format: text (compiler style, on standard error) or json (one object on standard output).")
    var format: ValidateFormat = .text

    @Flag(help: "Treat warnings as errors.")
    var denyWarnings = false

    func run() throws {
        let report = input.load()
        let failed = report.errorCount > 0 || (denyWarnings && report.warningCount > 0)
        switch format {
        case .json:
            FileOutput.standardOutput(DiagnosticRendering.json(report, denyWarnings: denyWarnings) + "\n")
        case .text:
            if !report.diagnostics.isEmpty {
                FileOutput.standardError(DiagnosticRendering.text(report.diagnostics))
            }
            for site in report.sites {
                if let graph = site.graph {
                    FileOutput.standardOutput("\(site.root): site '\(graph.siteName)': \(graph.chargers.count) chargers, \(graph.points.count) points, \(graph.monitorRules.count) monitor rules, \(graph.controlRules.count) control rules\n")
                }
            }
            let summary = "\(report.errorCount) error\(report.errorCount == 1 ? "" : "s"), \(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")"
            FileOutput.standardOutput(failed ? "invalid: \(summary)\n" : "valid: \(summary)\n")
        }
        if failed { throw ExitCode(1) }
    }
}

/// Output formats of `points`.
enum PointsFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json, table
}

struct PointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "points",
        abstract: "Print the site's signal list (the points SCADA sees)."
    )

    @OptionGroup var input: RulePaths

    @Option(help: "Output format: csv, json or table.")
    var format: PointsFormat = .table

    func run() throws {
        let list = PointList(try input.singleSite())
        switch format {
        case .csv: FileOutput.standardOutput(list.csv())
        case .json: FileOutput.standardOutput(list.json())
        case .table: FileOutput.standardOutput(list.table())
        }
    }
}

/// Output formats of `graph`.
enum GraphFormat: String, ExpressibleByArgument, CaseIterable {
    case text, dot
}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the rule graph: which OCPP messages drive which points, which commands send which calls."
    )

    @OptionGroup var input: RulePaths

    @Option(help: "Output format: text or dot (Graphviz).")
    var format: GraphFormat = .text

    @Option(help: "Only chargers whose id matches this pattern (* and ? wildcards).")
    var charger: String?

    func run() throws {
        let graph = try input.singleSite()
        if let charger, !graph.chargers.contains(where: { Glob.matches(charger, $0.id) }) {
            FileOutput.standardError("error: no charger id matches '\(charger)' (patterns take * and ?)")
            throw ExitCode(2)
        }
        let rendering = GraphRendering(graph, chargerPattern: charger)
        FileOutput.standardOutput(format == .dot ? rendering.dot() : rendering.text())
    }
}
