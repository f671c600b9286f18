import Foundation

/// Renders a load report for people (compiler style) and for bots (JSON).
public enum DiagnosticRendering {
    /// `file:line:col: error: message` lines with notes, one diagnostic after another.
    public static func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(\.description).joined(separator: "\n")
    }

    struct JSONLocation: Encodable {
        var file: String
        var line: Int
        var column: Int
        var message: String?
    }

    struct JSONDiagnostic: Encodable {
        var file: String
        var line: Int
        var column: Int
        var severity: String
        var message: String
        var related: [JSONLocation]
        var repeats: Int
    }

    struct JSONSite: Encodable {
        var root: String
        var files: [String]
        var valid: Bool
        var chargers: Int?
        var points: Int?
        var monitorRules: Int?
        var controlRules: Int?

        enum CodingKeys: String, CodingKey {
            case root, files, valid, chargers, points
            case monitorRules = "monitor_rules"
            case controlRules = "control_rules"
        }
    }

    struct JSONReport: Encodable {
        var valid: Bool
        var errors: Int
        var warnings: Int
        var sites: [JSONSite]
        var diagnostics: [JSONDiagnostic]
    }

    /// The report as one JSON object: `valid`, `errors`, `warnings`, `sites` and `diagnostics`.
    public static func json(_ report: LoadReport, denyWarnings: Bool = false) -> String {
        let diagnostics = report.diagnostics.map { d in
            JSONDiagnostic(
                file: d.location.file, line: d.location.mark.line, column: d.location.mark.column,
                severity: d.severity.rawValue, message: d.message,
                related: d.related.map { JSONLocation(file: $0.location.file, line: $0.location.mark.line, column: $0.location.mark.column, message: $0.message) },
                repeats: d.repeats
            )
        }
        let sites = report.sites.map { site in
            JSONSite(root: site.root, files: site.files, valid: site.graph != nil, chargers: site.graph?.chargers.count,
                     points: site.graph?.points.count, monitorRules: site.graph?.monitorRules.count, controlRules: site.graph?.controlRules.count)
        }
        let valid = report.errorCount == 0 && (!denyWarnings || report.warningCount == 0)
        let object = JSONReport(valid: valid, errors: report.errorCount, warnings: report.warningCount, sites: sites, diagnostics: diagnostics)
        return encode(object)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
