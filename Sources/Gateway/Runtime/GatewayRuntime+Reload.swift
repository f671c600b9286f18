import IEC104
import Rules

/// Why a new rule set was not taken.
public enum ReloadRefusal: Error, Sendable, CustomStringConvertible {
    /// Settings that only take effect at start changed; each named with its old and new value.
    case needsRestart([String])
    /// The station cannot serve the new points.
    case stationPoints(String)

    /// Words for the operator.
    public var description: String {
        switch self {
        case let .needsRestart(settings):
            "these settings cannot change while running (restart to apply them): " + settings.joined(separator: "; ")
        case let .stationPoints(reason): reason
        }
    }
}

extension GatewayRuntime {
    /// Swaps in a new, already validated rule graph in one step: it is compiled beside the running one, then takes
    /// over values, chain memory, connected chargers and pending commands of unchanged points. Inputs already
    /// inside the engine finish on the old graph. A refused graph changes nothing.
    public func reload(_ graph: RuleGraph, access: ChargerAccess) async throws(ReloadRefusal) -> (changes: ReloadChanges, revision: Int) {
        let running = current.graph
        let fixed = Self.startOnlyChanges(from: running, to: graph)
        guard fixed.isEmpty else { throw .needsRestart(fixed) }
        let declared: StationPointSet
        do {
            declared = try GatewayEngine.stationPoints(for: graph)
        } catch {
            throw .stationPoints("the station refused the points: \(error)")
        }
        guard declared.otherCommonAddresses == 0 else {
            throw .stationPoints(RuntimeError.otherCommonAddresses(declared.otherCommonAddresses,
                                                                   station: graph.station.commonAddress).description)
        }
        var fresh = GatewayEngine(graph: graph, path: settings.monitorPath, logger: host.logger)
        await station.replacePoints(declared.points)
        let (changes, revision) = host.running.withLockedValue { running -> (ReloadChanges, Int) in
            let changes = fresh.adopt(running.engine)
            running.engine = fresh
            running.revision += 1
            running.access = access
            return (changes, running.revision)
        }
        return (changes, revision)
    }

    /// The settings that differ between two graphs but are only read at start.
    static func startOnlyChanges(from old: RuleGraph, to new: RuleGraph) -> [String] {
        var changed: [String] = []
        func compare<T: Equatable>(_ name: String, _ before: T, _ after: T) {
            if before != after { changed.append("\(name) (\(before) → \(after))") }
        }
        compare("station.listen", old.station.listen, new.station.listen)
        compare("station.common_address", old.station.commonAddress, new.station.commonAddress)
        compare("station.link", old.station.link, new.station.link)
        compare("station.masters", old.station.masters, new.station.masters)
        compare("station.max_connections", old.station.maxConnections, new.station.maxConnections)
        compare("station.event_queue.capacity", old.station.eventQueueCapacity, new.station.eventQueueCapacity)
        compare("station.event_queue.overflow", old.station.overflow, new.station.overflow)
        compare("station.select_timeout", old.station.selectTimeout, new.station.selectTimeout)
        compare("station.interrogation.composite_schedule_refresh.timeout", old.station.compositeScheduleTimeout,
                new.station.compositeScheduleTimeout)
        compare("ocpp.listen", old.centralSystem.listen, new.centralSystem.listen)
        compare("ocpp.tls", old.centralSystem.tls, new.centralSystem.tls)
        compare("ocpp.call_timeout", old.centralSystem.callTimeout, new.centralSystem.callTimeout)
        compare("ocpp.fallback_subprotocol", old.centralSystem.fallbackSubprotocol, new.centralSystem.fallbackSubprotocol)
        return changed
    }
}
