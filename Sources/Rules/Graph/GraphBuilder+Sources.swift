/// What decides how a written source resolves for one charger.
struct SourceMemoKey: Hashable {
    var serial: Int
    var source: Int
    var traits: Int
}

/// The charger properties a source's resolution depends on; chargers with equal traits resolve alike.
struct ChargerTraits: Hashable {
    var versions: [OCPPVersion]
    var evses: [EVSE]
    var electrical: Electrical
}

/// A resolved source without its charger and target, reusable across chargers.
struct ResolvedSource {
    var action: String
    var versions: [OCPPVersion]
    var kind: SourceKind
    var selector: Selector
    var sourceUnit: Unit?
    var steps: [ResolvedStep]
}

/// The value flowing through a transform chain, as the validator tracks it.
enum Flow: Equatable {
    /// A number in a unit (nil: a plain number).
    case number(Unit?)
    /// A connector status name.
    case status
    /// An event, raised or cleared.
    case event
    /// Numbers from a map: the set of values it can produce.
    case mapped(Set<Double>)
    /// true/false.
    case binary
    /// Double-point states.
    case doublePoint

    var description: String {
        switch self {
        case .number(let u): return u.map { "a number in \($0)" } ?? "a plain number"
        case .status: return "a status name"
        case .event: return "an event"
        case .mapped: return "mapped numbers"
        case .binary: return "true/false"
        case .doublePoint: return "a double-point state"
        }
    }
}

extension GraphBuilder {
    mutating func resolveChargerRules() {
        for (index, charger) in chargers.enumerated() {
            let traits = ChargerTraits(versions: charger.versions, evses: charger.evses, electrical: charger.electrical)
            let traitsID = chargerTraits[traits] ?? chargerTraits.count
            chargerTraits[traits] = traitsID
            for pointID in charger.points {
                let spec = spec(of: pointID)
                let point = points[pointID]
                if point.direction == .monitor {
                    if let command = spec.command {
                        sink.error("\(point.type) is a monitor type; a 'command' needs a command type such as C_SE_NC_1", at: spec.type.location,
                                   related: [RelatedLocation("the command is written here", at: command.location)])
                    } else if spec.sources.isEmpty, spec.aggregate == nil {
                        sink.error("monitor point '\(point.signal)' has no 'from' source, so nothing would ever update it", at: spec.location)
                    }
                    for (n, source) in spec.sources.enumerated() {
                        resolveMemoized(source, number: n, point: pointID, charger: index, traits: traitsID)
                    }
                } else {
                    checkControlPointShape(spec, point)
                    if let command = spec.command {
                        resolveCommand(command, point: pointID, owner: .charger(index))
                    } else {
                        sink.error("control point '\(point.signal)' has no 'command', so SCADA's commands would have nowhere to go", at: spec.location)
                    }
                }
                checkInterrogation(spec, point)
            }
        }
    }

    func checkControlPointShape(_ spec: PointSpec, _ point: Point) {
        if let first = spec.sources.first {
            sink.error("\(point.type) is a command type; 'from' sources belong to monitor points", at: first.location)
        }
    }

    func checkInterrogation(_ spec: PointSpec, _ point: Point) {
        if point.direction == .control {
            if let gi = spec.gi, gi.value {
                sink.error("command points do not answer interrogation; remove 'gi'", at: gi.location)
            }
            if !spec.groups.isEmpty { sink.error("command points belong to no interrogation group", at: spec.location) }
        }
        if let group = spec.counterGroup, point.type.valueKind != .integratedTotal {
            sink.error("'counter_group' applies to integrated totals (M_IT_NA_1, M_IT_TB_1), not \(point.type)", at: group.location)
        }
    }

    /// The versions a rule applies to on this charger, and whether they were listed explicitly.
    func applicableVersions(_ listed: Located<[OCPPVersion]>?, charger: Charger) -> [OCPPVersion] {
        guard let listed else { return charger.versions }
        return listed.value.filter(charger.versions.contains)
    }

    static let selectorsByKind: [SourceKind: Set<String>] = [
        .meterValues: ["measurand", "phase", "location", "context", "evse", "connector"],
        .meterStart: ["measurand", "connector"],
        .status: ["evse", "connector", "status"],
        .event: [],
    ]

    /// Resolves a source, reusing the result for chargers that share the template point and everything the check depends on.
    mutating func resolveMemoized(_ source: SourceSpec, number: Int, point pointID: Int, charger index: Int, traits: Int) {
        let key = SourceMemoKey(serial: spec(of: pointID).serial, source: number, traits: traits)
        if let known = resolvedSources[key] {
            monitorRules.append(MonitorRule(
                charger: index, action: known.action, versions: known.versions, kind: known.kind, selector: known.selector,
                sourceUnit: known.sourceUnit, steps: known.steps, target: pointID, location: source.location
            ))
            return
        }
        let reportsBefore = sink.reportCount
        let rulesBefore = monitorRules.count
        resolveSource(source, point: pointID, charger: index)
        if sink.reportCount == reportsBefore, monitorRules.count == rulesBefore + 1, let rule = monitorRules.last {
            resolvedSources[key] = ResolvedSource(action: rule.action, versions: rule.versions, kind: rule.kind,
                                                  selector: rule.selector, sourceUnit: rule.sourceUnit, steps: rule.steps)
        }
    }

    mutating func resolveSource(_ source: SourceSpec, point pointID: Int, charger index: Int) {
        let charger = chargers[index]
        let point = points[pointID]
        let action = source.action.value
        guard let (actionVersions, kind) = OCPPCatalog.sourceActions[action] else {
            if OCPPCatalog.commandActions[action] != nil {
                sink.error("'\(action)' is sent by the central system; it cannot feed a monitor point", at: source.action.location)
            } else if OCPPCatalog.otherActions.contains(action) {
                sink.error("'\(action)' carries no values for a point; sources are " + OCPPCatalog.sourceActions.keys.sorted().joined(separator: ", "), at: source.action.location)
            } else {
                var message = "unknown OCPP action '\(action)'"
                if let s = Spelling.closest(to: action, in: Array(OCPPCatalog.sourceActions.keys)) { message += "; did you mean '\(s)'?" }
                sink.error(message, at: source.action.location)
            }
            return
        }
        let applicable = applicableVersions(source.ocpp, charger: charger)
        if applicable.isEmpty, source.ocpp != nil { return }
        if let listed = source.ocpp {
            for version in listed.value where !actionVersions.contains(version) {
                sink.error("\(action) does not exist in OCPP \(version)", at: listed.location)
            }
        }
        let versions = applicable.filter(actionVersions.contains)
        guard !versions.isEmpty else {
            sink.error("\(action) does not exist in OCPP \(applicable.map(\.rawValue).joined(separator: " or ")), the version\(applicable.count == 1 ? "" : "s") charger '\(charger.id)' may use",
                       at: source.action.location, related: [RelatedLocation("charger '\(charger.id)' defined here", at: charger.location)])
            return
        }
        checkSelectors(source, kind: kind, action: action, charger: charger, versions: versions)

        var flow: Flow
        var sourceUnit: Unit?
        var measurand: String?
        switch kind {
        case .meterValues, .meterStart:
            let m = source.measurand?.value ?? "Energy.Active.Import.Register"
            measurand = m
            if kind == .meterStart, m != "Energy.Active.Import.Register", let loc = source.measurand?.location {
                sink.error("StartTransaction only reports the energy register (meterStart); measurand must be Energy.Active.Import.Register", at: loc)
            }
            if let known = OCPPCatalog.measurands[m] {
                if known.isDisjoint(with: versions), let loc = source.measurand?.location {
                    sink.error("measurand '\(m)' does not exist in OCPP \(versions.map(\.rawValue).joined(separator: " or "))", at: loc)
                }
            } else if let loc = source.measurand?.location {
                var message = "unknown measurand '\(m)'"
                if let s = Spelling.closest(to: m, in: Array(OCPPCatalog.measurands.keys)) { message += "; did you mean '\(s)'?" }
                sink.error(message, at: loc)
                return
            }
            sourceUnit = OCPPCatalog.defaultUnit(of: m)
            flow = .number(sourceUnit)
        case .status:
            flow = .status
        case .event:
            flow = .event
        }

        let context = ChainContext(charger: charger, versions: versions, measurand: measurand, action: action, mapKeys: source.mapKeys)
        guard let steps = resolveChain(source.transform, from: &flow, context: context) else { return }
        guard checkTarget(flow, point: point, spec: spec(of: pointID), source: source, steps: source.transform) else { return }

        var selector = Selector()
        selector.measurand = measurand
        selector.phase = source.phase?.value
        selector.location = source.meterLocation?.value
        selector.contexts = source.contexts?.value ?? []
        selector.evse = source.evse?.value ?? (kind == .event && action == "DataTransfer" ? nil : point.evse)
        selector.connector = source.connector?.value
        selector.statuses = source.statuses?.value ?? []
        selector.component = source.component?.value
        selector.variable = source.variable?.value
        selector.vendorID = source.vendorID?.value
        selector.messageID = source.messageID?.value
        monitorRules.append(MonitorRule(
            charger: index, action: action, versions: versions, kind: kind, selector: selector, sourceUnit: sourceUnit,
            steps: steps, target: pointID, location: source.location
        ))
    }

    func checkSelectors(_ source: SourceSpec, kind: SourceKind, action: String, charger: Charger, versions: [OCPPVersion]) {
        var allowed = Self.selectorsByKind[kind] ?? []
        if action == "NotifyEvent" { allowed = ["component", "variable", "evse"] }
        if action == "DataTransfer" { allowed = ["vendor_id", "message_id"] }
        if action == "StopTransaction" { allowed.subtract(["evse", "connector"]) }
        if action == "TransactionEvent" { allowed.remove("connector") }
        for key in source.selectorKeys where !allowed.contains(key.value) {
            let fits = allowed.isEmpty ? "it takes no selectors" : "it takes " + allowed.sorted().joined(separator: ", ")
            sink.error("'\(key.value)' does not apply to \(action); \(fits)", at: key.location)
        }
        if action == "DataTransfer", source.vendorID == nil {
            sink.error("a DataTransfer source needs 'vendor_id' (and usually 'message_id'), or it would take every vendor's messages", at: source.location)
        }
        if action == "NotifyEvent", source.component == nil, source.variable == nil {
            sink.warning("a NotifyEvent source without 'component' or 'variable' takes every event of the charger", at: source.location)
        }
        if let evse = source.evse, evse.value != 0, !charger.evses.contains(where: { $0.id == evse.value }) {
            sink.error("EVSE \(evse.value) does not exist on charger '\(charger.id)'", at: evse.location,
                       related: [RelatedLocation("charger defined here", at: charger.location)])
        }
        if let connector = source.connector {
            let maxConnector = versions.contains(.v16) && !versions.contains(.v201)
                ? charger.evses.count
                : (source.evse.flatMap { e in charger.evses.first { $0.id == e.value }?.connectors } ?? charger.evses.map(\.connectors).max() ?? 1)
            if connector.value > maxConnector {
                sink.error("connector \(connector.value) does not exist on charger '\(charger.id)'", at: connector.location,
                           related: [RelatedLocation("charger defined here", at: charger.location)])
            }
        }
        if let statuses = source.statuses {
            let known = Set(OCPPCatalog.statuses.values.flatMap { $0 })
            for status in statuses.value where !known.contains(status) {
                var message = "'\(status)' is not a connector status of OCPP 1.6 or 2.0.1"
                if let s = Spelling.closest(to: status, in: Array(known)) { message += "; did you mean '\(s)'?" }
                sink.error(message, at: statuses.location)
            }
        }
    }
}
