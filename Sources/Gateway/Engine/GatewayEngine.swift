import IEC104
import Logging
import OCPP
import Rules

/// Which implementation runs the hot monitor rules.
public enum MonitorPath: String, Hashable, Sendable, CaseIterable {
    /// Meter-value rules run as code specialised at load time; the rest are interpreted.
    case compiled
    /// Every rule walks the graph (the reference the compiled path is tested against).
    case interpreted
}

/// The rule graph executed both ways, as a value type without I/O: charger messages become point updates,
/// SCADA commands become OCPP requests. Every input carries its time, so a replay gives the same outputs.
///
/// The runtime feeds it from the OCPP central system and the IEC 104 station and carries out its outputs;
/// `ocpp809 rules test` feeds it from YAML timelines.
public struct GatewayEngine: Sendable {
    /// The rule graph it executes.
    public let graph: RuleGraph
    /// Which path runs the meter-value rules.
    public let path: MonitorPath
    /// The specialised meter-value rules (also built for the interpreted path, to say which rules compile).
    let compiled: CompiledMonitor
    /// Per point (graph order): the last value and quality.
    var points: [PointState]
    /// Per monitor rule: the chain's memory.
    var ruleStates: [RuleState]
    /// Connected chargers by index, with the version they speak.
    var online: [Int: Rules.OCPPVersion] = [:]
    /// Per charger: the EVSE of each open 2.0.1 transaction (later TransactionEvents may omit it).
    var transactionEVSE: [Int: [String: Int]] = [:]
    /// Per point: the site totals it is a member of.
    let aggregatesOfPoint: [[Int]]
    /// Per point: its IEC 104 type, resolved once.
    let pointTypes: [TypeID?]
    /// Per point: its IOA.
    let pointAddresses: [UInt32]
    /// The last time tag made, with its instant.
    var lastTimeTag: (time: EngineTime, tag: UTCDateTime)?
    /// Set-point state: commanded values, rate-limit windows, requests waiting for chargers.
    var control = ControlState()
    var nextTicket: CallTicket = 1
    let logger: Logger

    /// Builds the engine for `graph`; no charger is connected and every point is unknown (IV, NT).
    public init(graph: RuleGraph, path: MonitorPath = .compiled, logger: Logger = Logger(label: "ocpp809.gateway")) {
        self.graph = graph
        self.path = path
        self.logger = logger
        compiled = CompiledMonitor(graph: graph)
        points = Array(repeating: PointState(), count: graph.points.count)
        ruleStates = Array(repeating: RuleState(), count: graph.monitorRules.count)
        var aggregates = Array(repeating: [Int](), count: graph.points.count)
        for (index, aggregate) in graph.aggregates.enumerated() {
            for member in aggregate.members { aggregates[member.point].append(index) }
        }
        aggregatesOfPoint = aggregates
        pointTypes = graph.points.map { PointConversion.typeID($0.type) }
        pointAddresses = graph.points.map { UInt32(clamping: $0.address.ioa) }
    }

    /// The number of chargers connected now.
    public var onlineCount: Int { online.count }

    /// Whether the charger with this identity is connected.
    public func isOnline(_ identity: String) -> Bool {
        graph.chargerIndex[identity].map { online[$0] != nil } ?? false
    }

    /// The state of every point, in graph order.
    public var pointStates: [PointState] { points }

    // MARK: - Chargers coming and going

    /// A charger connected: its points stay as they are until fresh values arrive, and it is asked for them now.
    public mutating func chargerConnected(_ identity: String, version: Rules.OCPPVersion, at now: EngineTime) -> [EngineOutput] {
        guard let charger = graph.chargerIndex[identity] else { return [] }
        online[charger] = version
        var outputs: [EngineOutput] = [
            makeSend(to: identity, .triggerMessage("StatusNotification", evseId: nil), purpose: .refresh),
            makeSend(to: identity, .triggerMessage("MeterValues", evseId: nil), purpose: .refresh),
        ]
        outputs += reshareSiteLimits(at: now)
        return outputs
    }

    /// A charger went away: its monitor points are flagged at once as the rule says (IV, NT or both).
    public mutating func chargerDisconnected(_ identity: String, at now: EngineTime) -> [EngineOutput] {
        guard let charger = graph.chargerIndex[identity], online.removeValue(forKey: charger) != nil else { return [] }
        transactionEVSE[charger] = nil
        var outputs: [EngineOutput] = []
        for index in graph.chargers[charger].points where graph.points[index].direction == .monitor {
            let flags: QualityDescriptor = switch graph.points[index].onDisconnect {
            case .invalid: .invalid
            case .notTopical: .notTopical
            case .invalidNotTopical: [.invalid, .notTopical]
            }
            flag(point: index, adding: flags, at: now, into: &outputs)
        }
        outputs += reshareSiteLimits(at: now)
        return outputs
    }

    /// Flags points whose `stale_after` passed without a fresh value as not topical.
    public mutating func tick(at now: EngineTime) -> [EngineOutput] {
        var outputs: [EngineOutput] = []
        for (index, point) in graph.points.enumerated() {
            guard let limit = point.staleAfter, let refreshed = points[index].refreshedAt, now - refreshed > limit,
                  !points[index].quality.contains(.notTopical) else { continue }
            flag(point: index, adding: .notTopical, at: now, into: &outputs)
        }
        return outputs
    }

    // MARK: - Publishing

    /// Adds quality flags to a point's last value and reports it spontaneously (integrated totals: image only).
    mutating func flag(point index: Int, adding flags: QualityDescriptor, at now: EngineTime,
                       into outputs: inout [EngineOutput]) {
        guard let type = pointTypes[index] else { return }
        var state = points[index]
        guard !state.quality.isSuperset(of: flags) else { return }
        state.quality.formUnion(flags)
        state.time = now
        points[index] = state
        outputs.append(publish(point: index, type: type, transmission: type.isIntegratedTotals ? .imageOnly : .spontaneous))
        updateAggregates(of: index, at: now, into: &outputs)
    }

    /// The station update for a point's current state.
    mutating func publish(point index: Int, type: TypeID, transmission: Transmission) -> EngineOutput {
        let state = points[index]
        let tag = state.time.map { timeTag($0) }
        return .publish(PointUpdate(address: pointAddresses[index],
                                    value: state.value ?? PointValue.placeholder(for: type), quality: state.quality,
                                    time: tag, transmission: transmission))
    }

    /// The time tag of an instant; the points of one message share theirs, so the last one is kept.
    mutating func timeTag(_ time: EngineTime) -> UTCDateTime {
        if let last = lastTimeTag, last.time == time { return last.tag }
        let tag = time.dateTime
        lastTimeTag = (time, tag)
        return tag
    }

    mutating func makeTicket() -> CallTicket {
        defer { nextTicket += 1 }
        return nextTicket
    }
}
