import Foundation
import Gateway
import Logging
import Metrics
import Rules

/// Reloads the rule files, one reload at a time, whatever asked for it (SIGHUP, a file change, POST /reload).
actor RunReloader {
    /// What a reload did, as the admin API returns it.
    struct Outcome: Sendable {
        var ok: Bool
        var revision: Int
        var diagnostics: [Diagnostic]
        var message: String
        var changes: ReloadChanges?
    }

    private let site: RunSite
    private let runtime: GatewayRuntime
    private let tls: (listening: Bool, clientCertificates: Bool)
    private let logger: Logger
    private let successes = Counter(label: "gateway_reloads_total", dimensions: [("result", "success")])
    private let failures = Counter(label: "gateway_reloads_total", dimensions: [("result", "failure")])
    private let duration = Gauge(label: "gateway_reload_duration_seconds")

    init(site: RunSite, runtime: GatewayRuntime, tls: (listening: Bool, clientCertificates: Bool), logger: Logger) {
        self.site = site
        self.runtime = runtime
        self.tls = tls
        self.logger = logger
    }

    /// Loads, validates and compiles the files beside the running graph, then swaps it in; a failing set changes
    /// nothing and its errors are logged with file:line:col and returned.
    func reload(trigger: String) async -> Outcome {
        let started = ContinuousClock.now
        let (graph, report) = site.load()
        let revision = runtime.current.revision
        guard let graph else {
            let message = RunSite.failure(report, paths: site.paths)
            logger.error("rule reload (\(trigger)) refused, revision \(revision) keeps running: \(message)\n\(DiagnosticRendering.text(report.diagnostics))")
            failures.increment()
            return Outcome(ok: false, revision: revision, diagnostics: report.diagnostics, message: message)
        }
        let (access, problems) = RunSite.access(graph, tls: tls)
        do {
            let (changes, newRevision) = try await runtime.reload(graph, access: access)
            let seconds = (ContinuousClock.now - started).seconds
            duration.record(seconds)
            successes.increment()
            logger.notice("rule reload (\(trigger)): revision \(newRevision) running; \(changes.added.count) point(s) added, \(changes.removed.count) removed, \(changes.changed.count) changed, \(changes.unchanged) unchanged",
                          metadata: ["added": "\(changes.added)", "removed": "\(changes.removed)", "changed": "\(changes.changed)"])
            for problem in problems { logger.warning("\(problem)") }
            return Outcome(ok: true, revision: newRevision, diagnostics: report.diagnostics,
                           message: "revision \(newRevision) running", changes: changes)
        } catch {
            failures.increment()
            logger.error("rule reload (\(trigger)) refused, revision \(revision) keeps running: \(error)")
            return Outcome(ok: false, revision: revision, diagnostics: report.diagnostics, message: error.description)
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
