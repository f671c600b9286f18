import Foundation
import Gateway
import OCPP
import Rules

/// Loading the site `ocpp809 run` serves: the rule files given, or the embedded default site.
struct RunSite: Sendable {
    /// Rule files or directories; empty means the embedded default site.
    var paths: [String]

    /// Loads and validates the site; the report's diagnostics say what is wrong when no graph comes out.
    func load() -> (graph: RuleGraph?, report: LoadReport) {
        let report = paths.isEmpty
            ? RuleLoader.load([RuleSource(path: DefaultSite.path, text: DefaultSite.yaml)])
            : RuleLoader.load(paths: paths)
        guard report.errorCount == 0, report.sites.count == 1, let graph = report.sites[0].graph else {
            return (nil, report)
        }
        return (graph, report)
    }

    /// Why a load gave no graph, for the operator.
    static func failure(_ report: LoadReport, paths: [String]) -> String {
        if report.errorCount > 0 { return "\(report.errorCount) error(s) in the rule files" }
        if report.sites.isEmpty { return "no site found: no file with 'station:' among \(paths.joined(separator: " "))" }
        return "\(report.sites.count) sites found (\(report.sites.map(\.root).joined(separator: ", "))); name one site's root file"
    }

    /// Who may connect and how their messages are read, from the site's chargers.
    static func access(_ graph: RuleGraph, tls: (listening: Bool, clientCertificates: Bool)) -> (ChargerAccess, [String]) {
        let (admission, problems) = ChargerAdmission.load(graph, tls: tls)
        return (ChargerAccess(admission: { admission.decide($0) }, sanitizer: { admission.sanitizer(for: $0) },
                              timeZone: { admission.timeZone(for: $0) }), problems)
    }
}
