import Foundation
import IEC104
import Logging
import NIOConcurrencyHelpers
import OCPP
import Rules

/// Where the runtime listens and how long it waits, resolved from flags and the site.
public struct RuntimeSettings: Sendable {
    /// The IEC 104 station.
    public var station: StationConfiguration
    /// The OCPP WebSocket server.
    public var ocpp: OCPPServerConfiguration
    /// How long a charger has to answer a request.
    public var callTimeout: Duration
    /// How long a general interrogation waits for GetCompositeSchedule answers.
    public var compositeScheduleTimeout: Duration
    /// Which path runs the meter-value rules.
    public var monitorPath: MonitorPath

    /// Collects the settings.
    public init(station: StationConfiguration, ocpp: OCPPServerConfiguration, callTimeout: Duration,
                compositeScheduleTimeout: Duration, monitorPath: MonitorPath = .compiled) {
        self.station = station
        self.ocpp = ocpp
        self.callTimeout = callTimeout
        self.compositeScheduleTimeout = compositeScheduleTimeout
        self.monitorPath = monitorPath
    }
}

/// The gateway running: the IEC 104 station towards SCADA, the OCPP central system towards chargers, and the rule
/// engine between them.
public final class GatewayRuntime: Sendable {
    let host: EngineHost
    let station: StationServer
    let central: OCPP.CentralSystem
    let server: OCPPWebSocketServer
    /// Where it listens and how long it waits.
    public let settings: RuntimeSettings
    private let ticker = TickerHandle()

    /// Builds the runtime for a graph; nothing listens until `start()`.
    public init(graph: RuleGraph, access: ChargerAccess, settings: RuntimeSettings, logger: Logger) throws {
        let declared = try GatewayEngine.stationPoints(for: graph)
        guard declared.otherCommonAddresses == 0 else {
            throw RuntimeError.otherCommonAddresses(declared.otherCommonAddresses, station: graph.station.commonAddress)
        }
        let host = EngineHost(engine: GatewayEngine(graph: graph, path: settings.monitorPath, logger: logger),
                              access: access, metrics: RuntimeMetrics(), logger: logger)
        let timeout = settings.compositeScheduleTimeout
        station = StationServer(configuration: settings.station, points: declared.points,
                                beforeInterrogation: { await host.refreshBeforeInterrogation(timeout: timeout) },
                                commandHandler: { request in await host.command(request) })
        let responder = StandardResponder()
        central = OCPP.CentralSystem(
            handler: { call in
                host.metrics.messageIn(call.action)
                return responder.answer(call)
            },
            callTimeout: settings.callTimeout,
            policy: { identity in host.running.withLockedValue { $0.access }.sanitizer(identity) },
            timeZone: { identity in host.running.withLockedValue { $0.access }.timeZone(identity) },
            logger: logger,
            observer: { event in host.observe(event) })
        server = OCPPWebSocketServer(configuration: settings.ocpp, delegate: central) { handshake in
            host.running.withLockedValue { $0.access }.admission(handshake)
        }
        host.attach(station: station, central: central)
        self.host = host
        self.settings = settings
    }

    /// Starts both listeners and the once-a-second tick; returns the bound addresses.
    public func start() async throws -> (iec104: String, ocpp: [String]) {
        let iec104 = try await station.start()
        let ocpp: [String]
        do {
            ocpp = try await server.start()
        } catch {
            await station.shutdown()
            throw error
        }
        ticker.start(host)
        return (iec104, ocpp)
    }

    /// Stops accepting, closes chargers and masters; returns what was still queued for SCADA.
    public func shutdown() async -> Int {
        ticker.stop()
        await server.shutdown()
        await station.shutdown()
        return await station.status().queuedEvents
    }

    /// The station's status (connections, queue, counters).
    public func stationStatus() async -> StationStatus { await station.status() }

    /// The OCPP server's status (connections, counters).
    public func ocppStatus() async -> OCPPServerStatus { await server.status() }

    /// The rule set running and its revision.
    public var current: (graph: RuleGraph, revision: Int) {
        host.running.withLockedValue { ($0.engine.graph, $0.revision) }
    }

    /// Every point with its live value, quality and time.
    public func pointStates() -> (graph: RuleGraph, states: [PointState]) {
        host.running.withLockedValue { ($0.engine.graph, $0.engine.pointStates) }
    }
}

/// Why the runtime cannot serve a graph.
public enum RuntimeError: Error, CustomStringConvertible, Sendable {
    /// Points with another common address than the station's (one station serves one CA).
    case otherCommonAddresses(Int, station: Int)

    /// Words for the operator.
    public var description: String {
        switch self {
        case let .otherCommonAddresses(count, station):
            "\(count) point(s) use a common address other than the station's (\(station)); one station serves one CA"
        }
    }
}

extension EngineHost {
    /// What the central system reports becomes engine input.
    func observe(_ event: CentralSystemEvent) {
        let now = Self.now()
        switch event {
        case let .connected(identity, version):
            run { $0.chargerConnected(identity, version: version.ruleVersion, at: now) }
        case let .disconnected(identity, _):
            run { $0.chargerDisconnected(identity, at: now) }
        case let .normalized(identity, action, events, repairs):
            for repair in repairs { metrics.repaired(repair.repair.name, charger: identity) }
            run { $0.received(events, action: action, from: identity, at: now) }
        case let .schemaViolation(_, action, _):
            metrics.refused(action, reason: "schema")
        case let .normalizationFailed(_, action, _):
            metrics.refused(action, reason: "unreadable")
        case .invalidFrame:
            metrics.refused("unknown", reason: "frame")
        }
    }
}

extension OCPP.OCPPVersion {
    /// The rules' name of this version.
    var ruleVersion: Rules.OCPPVersion { self == .v16 ? .v16 : .v201 }
}

/// The once-a-second tick that flags stale points.
final class TickerHandle: Sendable {
    private let task = TaskSlot()

    func start(_ host: EngineHost) {
        task.set(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                host.run { $0.tick(at: EngineHost.now()) }
            }
        })
    }

    func stop() { task.set(nil) }
}

/// Holds at most one task; a task replaced or cleared is cancelled.
final class TaskSlot: Sendable {
    private let value = NIOConcurrencyHelpers.NIOLockedValueBox<Task<Void, Never>?>(nil)

    func set(_ task: Task<Void, Never>?) {
        value.withLockedValue { old in
            old?.cancel()
            old = task
        }
    }
}
