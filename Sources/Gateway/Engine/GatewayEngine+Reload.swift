import Rules

/// What a reload changed, by point.
public struct ReloadChanges: Hashable, Sendable {
    /// Points new in this graph, as `CA/IOA signal`.
    public var added: [String] = []
    /// Points gone.
    public var removed: [String] = []
    /// Points whose type, owner or rules changed.
    public var changed: [String] = []
    /// Points whose definition is the same.
    public var unchanged = 0
}

extension GatewayEngine {
    /// Takes over what the running engine knows: values and quality of points that keep their address and type,
    /// chain memory of unchanged rules, connected chargers, commanded limits, site limits in force, and the
    /// requests and commands still waiting (so their answers still land).
    public mutating func adopt(_ old: GatewayEngine) -> ReloadChanges {
        var changes = ReloadChanges()
        let oldPoints = Dictionary(old.graph.points.indices.map { (old.graph.points[$0].address, $0) }) { first, _ in first }
        var seen: Set<PointAddress> = []
        for (index, point) in graph.points.enumerated() {
            let name = "\(point.address) \(point.signal)"
            seen.insert(point.address)
            guard let before = oldPoints[point.address] else {
                changes.added.append(name)
                continue
            }
            if old.graph.points[before].type == point.type { points[index] = old.points[before] }
            if old.fingerprint(ofPoint: before) == fingerprint(ofPoint: index) {
                changes.unchanged += 1
            } else {
                changes.changed.append(name)
            }
        }
        changes.removed = old.graph.points.filter { !seen.contains($0.address) }.map { "\($0.address) \($0.signal)" }

        let oldRules = Dictionary(old.graph.monitorRules.indices.map { (old.ruleFingerprint($0), $0) }) { first, _ in first }
        for index in graph.monitorRules.indices {
            if let before = oldRules[ruleFingerprint(index)] { ruleStates[index] = old.ruleStates[before] }
        }
        for (charger, version) in old.online {
            if let index = graph.chargerIndex[old.graph.chargers[charger].id] { online[index] = version }
        }
        for (charger, transactions) in old.transactionEVSE {
            if let index = graph.chargerIndex[old.graph.chargers[charger].id] { transactionEVSE[index] = transactions }
        }
        control = ControlState()
        let graph = graph
        let ruleAt = { (rule: Int) -> Int? in graph.controlIndex[old.graph.points[old.graph.controlRules[rule].point].address] }
        for (rule, value) in old.control.commanded { if let index = ruleAt(rule) { control.commanded[index] = value } }
        for (rule, times) in old.control.executes { if let index = ruleAt(rule) { control.executes[index] = times } }
        for (rule, value) in old.control.siteLimits { if let index = ruleAt(rule) { control.siteLimits[index] = value } }
        for (ticket, call) in old.control.calls {
            var moved = call
            moved.rule = call.rule.flatMap(ruleAt)
            control.calls[ticket] = moved
        }
        for (ticket, command) in old.control.commands {
            guard let index = ruleAt(command.rule) else { continue }
            var moved = command
            moved.rule = index
            control.commands[ticket] = moved
        }
        nextTicket = old.nextTicket
        return changes
    }

    /// What defines a point's behaviour, without where it was written.
    func fingerprint(ofPoint index: Int) -> String {
        let point = graph.points[index]
        let owner: String = switch point.owner {
        case .site: "site"
        case let .charger(charger): graph.chargers[charger].id
        }
        var parts = ["\(point.type.id)", point.signal, owner, "\(point.evse ?? -1)", point.unit?.symbol ?? "",
                     "\(point.generalInterrogation)", "\(point.groups)", "\(point.counterGroup ?? 0)",
                     "\(point.staleAfter ?? -1)", point.onDisconnect.rawValue]
        for (rule, monitor) in graph.monitorRules.enumerated() where monitor.target == index {
            parts.append(ruleFingerprint(rule))
        }
        if let control = graph.controlIndex[point.address].map({ graph.controlRules[$0] }) {
            parts.append("\(Self.stable(control.action))|\(control.versions)|\(String(describing: control.range))|\(control.fullScale ?? 0)|\(control.requireOnline)|\(control.selectBeforeOperate)|\(String(describing: control.rateLimit))")
        }
        return parts.joined(separator: "|")
    }

    /// What defines a monitor rule's behaviour: its point, message, selector and chain.
    func ruleFingerprint(_ index: Int) -> String {
        let rule = graph.monitorRules[index]
        return "\(graph.points[rule.target].address)|\(graph.chargers[rule.charger].id)|\(rule.action)|\(rule.versions)|\(rule.selector)|\(rule.sourceUnit?.symbol ?? "")|\(rule.steps.map(Self.stable))"
    }

    /// A step's text with its table sorted: dictionaries iterate in an order that differs between instances.
    static func stable(_ step: ResolvedStep) -> String {
        guard case let .map(table, fallback) = step else { return "\(step)" }
        return "map(\(table.sorted { $0.key < $1.key }), \(String(describing: fallback)))"
    }

    /// An action's text with its per-version tables sorted.
    static func stable(_ action: ControlAction) -> String {
        switch action {
        case let .setChargingProfile(purpose, stackLevel, rateUnit, evse, factor):
            "setChargingProfile(\(purpose.sorted { $0.key < $1.key }), \(stackLevel), \(rateUnit), \(evse), \(factor))"
        case let .reset(types): "reset(\(types.sorted { $0.key < $1.key }))"
        default: "\(action)"
        }
    }
}
