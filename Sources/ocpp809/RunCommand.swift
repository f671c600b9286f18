import Admin
import ArgumentParser
import Foundation
import Gateway
import IEC104
import Logging
import OCPP
import Rules
import ServiceLifecycle
import UnixSignals

/// `ocpp809 run`: the gateway.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway: the IEC 104 station, the OCPP central system and the rules between them.",
        discussion: """
        Without --rules it serves the embedded demo site (rules/default.yaml): IEC 104 on 0.0.0.0:2404, OCPP on \
        ws://0.0.0.0:9000, admin HTTP on 127.0.0.1:9100. Settings in the rule files override these defaults; flags \
        override both. The rules reload on SIGHUP, when a rule file changes, and on POST /reload; a reload that \
        fails changes nothing. SIGTERM and SIGINT shut down cleanly.
        """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Rule files or directories (default: the embedded demo site).")
    var rules: [String] = []

    @Option(help: "IEC 104 listen address HOST:PORT (default: the site's station.listen).")
    var iec104Listen: String?

    @Option(help: "OCPP ws:// listen address HOST:PORT (default: the site's ocpp.listen).")
    var ocppListen: String?

    @Option(help: "Admin HTTP listen address HOST:PORT.")
    var adminListen: String = "127.0.0.1:9100"

    @Option(help: "Bearer token the admin API requires (needed when --admin-listen is not a loopback address).")
    var adminToken: String?

    @Option(help: "Log format: text or json (on standard error).")
    var logFormat: LogFormat = .text

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Which path runs the meter-value rules: compiled or interpreted.")
    var monitorPath: MonitorPath = .compiled

    @Flag(help: "Do not watch the rule files for changes (SIGHUP and POST /reload still reload).")
    var noWatch = false

    func validate() throws {
        let (host, _) = try HostPort.parse(adminListen)
        if adminToken == nil, !["127.0.0.1", "::1", "localhost"].contains(host) {
            throw ValidationError("--admin-listen \(adminListen) is not a loopback address: give --admin-token")
        }
    }

    func run() async throws {
        var logger = Logger(label: "ocpp809")
        logger.logLevel = logLevel
        let site = RunSite(paths: rules)
        let (loaded, report) = site.load()
        if !report.diagnostics.isEmpty { FileOutput.standardError(DiagnosticRendering.text(report.diagnostics)) }
        guard let graph = loaded else {
            FileOutput.standardError("error: \(RunSite.failure(report, paths: rules))")
            throw ExitCode(1)
        }
        let metrics = PrometheusMetrics.bootstrap()
        let listeners = try OCPPListeners.make(plain: ocppListen ?? graph.centralSystem.listen,
                                               tls: OCPPListeners.siteTLS(graph.centralSystem))
        let tls = (listening: listeners.contains { $0.tls != nil },
                   clientCertificates: listeners.contains { $0.tls?.requestsClientCertificates == true })
        let (access, problems) = RunSite.access(graph, tls: tls)
        for problem in problems { logger.warning("\(problem)") }
        let (stationHost, stationPort) = try HostPort.parse(iec104Listen ?? graph.station.listen)
        var stationLogger = logger
        stationLogger[metadataKey: "component"] = "iec104"
        var ocppLogger = logger
        ocppLogger[metadataKey: "component"] = "ocpp"
        let fallback = graph.centralSystem.fallbackSubprotocol.flatMap(OCPP.OCPPVersion.init(rawValue:))
        let settings = RuntimeSettings(
            station: try StationSettings.configuration(graph.station, host: stationHost, port: stationPort,
                                                       logger: stationLogger),
            ocpp: OCPPServerConfiguration(listeners: listeners, legacyFallback: fallback, logger: ocppLogger),
            callTimeout: .milliseconds(Int64(graph.centralSystem.callTimeout * 1000)),
            compositeScheduleTimeout: .milliseconds(Int64(graph.station.compositeScheduleTimeout * 1000)),
            monitorPath: monitorPath)
        let runtime = try GatewayRuntime(graph: graph, access: access, settings: settings, logger: logger)
        let reloader = RunReloader(site: site, runtime: runtime, tls: tls, logger: logger)
        let (adminHost, adminPort) = try HostPort.parse(adminListen)
        let admin = AdminServer(host: adminHost, port: adminPort,
                                backend: RunAdminBackend(runtime: runtime, reloader: reloader, metricsRegistry: metrics),
                                bearerToken: adminToken, logger: logger)
        let service = GatewayService(runtime: runtime, admin: admin, reloader: reloader, site: site, graph: graph,
                                     watch: !noWatch && !rules.isEmpty, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// The gateway as a service: starts everything, reloads on SIGHUP and file changes, shuts down gracefully.
struct GatewayService: Service {
    let runtime: GatewayRuntime
    let admin: AdminServer
    let reloader: RunReloader
    let site: RunSite
    let graph: RuleGraph
    let watch: Bool
    let logger: Logger

    func run() async throws {
        let (iec104, ocpp) = try await runtime.start()
        let adminAddress: String
        do {
            adminAddress = try await admin.start()
        } catch {
            _ = await runtime.shutdown()
            throw error
        }
        let monitorPoints = graph.points.filter { $0.direction == .monitor }.count
        let source = site.paths.isEmpty ? "embedded rules/default.yaml" : site.paths.joined(separator: " ")
        var lines = ["ocpp809 running site '\(graph.siteName)' from \(source): \(graph.chargers.count) chargers, \(graph.points.count) points (\(monitorPoints) monitor, \(graph.points.count - monitorPoints) command)",
                     "IEC 104 station listening on \(iec104) (common address \(graph.station.commonAddress))"]
        for (address, listener) in zip(ocpp, runtime.settings.ocpp.listeners) {
            lines.append("OCPP central system listening on \(listener.tls == nil ? "ws" : "wss")://\(address)")
        }
        lines.append("admin HTTP listening on http://\(adminAddress)")
        FileOutput.standardOutput(lines.joined(separator: "\n") + "\n")

        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    _ = await reloader.reload(trigger: "SIGHUP")
                }
            }
            if watch {
                let watcher = RuleFileWatcher(paths: site.paths)
                group.addTask { await watcher.run { _ = await reloader.reload(trigger: "file change") } }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.notice("shutting down: closing chargers and SCADA links")
        await admin.shutdown()
        let queued = await runtime.shutdown()
        if queued > 0 {
            logger.warning("\(queued) event(s) queued for SCADA were not delivered before shutdown")
        }
        logger.notice("shut down")
    }
}

extension MonitorPath: ExpressibleByArgument {}
