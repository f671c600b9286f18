extension GraphBuilder {
    mutating func resolveSiteRules() {
        let sitePoints = signals[.site].map { $0.values.flatMap { $0 }.sorted() } ?? []
        for pointID in sitePoints {
            let spec = spec(of: pointID)
            let point = points[pointID]
            checkInterrogation(spec, point)
            if point.direction == .monitor {
                if let first = spec.sources.first {
                    sink.error("site points are computed from chargers with 'aggregate'; 'from' sources belong to charger points", at: first.location)
                }
                if let command = spec.command { sink.error("\(point.type) is a monitor type; a 'command' needs a command type", at: command.location) }
                if let aggregate = spec.aggregate { resolveAggregate(aggregate, point: pointID) }
                else if !isReadbackTarget(pointID) {
                    sink.warning("site point '\(point.signal)' has no 'aggregate' and is no command's readback; nothing updates it", at: spec.location)
                }
            } else {
                if let aggregate = spec.aggregate { sink.error("\(point.type) is a command type; 'aggregate' belongs to monitor points", at: aggregate.location) }
                guard let command = spec.command else {
                    sink.error("control point '\(point.signal)' has no 'command'", at: spec.location)
                    continue
                }
                resolveCommand(command, point: pointID, owner: .site)
                if let target = command.distributeTo { resolveDistribution(target, point: pointID) }
            }
        }
    }

    private func isReadbackTarget(_ pointID: Int) -> Bool {
        specs.contains { $0.command?.readback?.value == points[pointID].signal } && points[pointID].owner == .site
    }

    private func chargersMatching(_ patterns: [Located<String>]?) -> [Int] {
        guard let patterns else { return Array(chargers.indices) }
        var result: [Int] = []
        for pattern in patterns {
            let matches = chargers.indices.filter { Glob.matches(pattern.value, chargers[$0].id) }
            if matches.isEmpty { sink.error("'\(pattern.value)' matches no charger", at: pattern.location) }
            result += matches
        }
        return Array(Set(result)).sorted()
    }

    private mutating func resolveAggregate(_ aggregate: AggregateSpec, point pointID: Int) {
        let point = points[pointID]
        guard point.type.valueKind == .float || point.type.valueKind == .scaled || point.type.valueKind == .normalized || point.type.valueKind == .integratedTotal else {
            sink.error("an aggregate sums numbers; \(point.type) cannot hold a sum", at: aggregate.location)
            return
        }
        var members: [(point: Int, factor: Double)] = []
        var missing: [Int] = []
        for charger in chargersMatching(aggregate.chargers) {
            let candidates = (signals[.charger(charger)]?[aggregate.sum.value] ?? []).filter { points[$0].direction == .monitor }
            guard !candidates.isEmpty else {
                missing.append(charger)
                continue
            }
            for member in candidates {
                let memberPoint = points[member]
                guard let from = memberPoint.unit, let to = point.unit else {
                    if memberPoint.unit != point.unit {
                        sink.error("site point '\(point.signal)' and '\(aggregate.sum.value)' of charger '\(chargers[charger].id)' need units to be summed", at: aggregate.sum.location)
                        return
                    }
                    members.append((member, 1))
                    continue
                }
                guard let c = from.conversion(to: to), c.offset == 0 else {
                    sink.error("cannot sum '\(aggregate.sum.value)' in \(from) into site point '\(point.signal)' in \(to)", at: aggregate.sum.location,
                               related: [RelatedLocation("charger '\(chargers[charger].id)' defined here", at: chargers[charger].location)])
                    return
                }
                members.append((member, c.scale))
            }
        }
        if members.isEmpty {
            sink.error("no charger has a monitor signal '\(aggregate.sum.value)' to sum", at: aggregate.sum.location)
            return
        }
        if let first = missing.first {
            let more = missing.count > 1 ? " and \(missing.count - 1) more chargers" : ""
            sink.warning("charger '\(chargers[first].id)'\(more) have no signal '\(aggregate.sum.value)'; the sum leaves them out", at: aggregate.sum.location,
                         related: [RelatedLocation("charger '\(chargers[first].id)' defined here", at: chargers[first].location)])
        }
        aggregates.append(Aggregate(point: pointID, signal: aggregate.sum.value, members: members))
    }

    private mutating func resolveDistribution(_ target: Located<String>, point pointID: Int) {
        guard let ruleIndex = controlByPoint[pointID] else { return }
        var rules: [Int] = []
        var lacking: [Int] = []
        for (charger, _) in chargers.enumerated() {
            let candidates = (signals[.charger(charger)]?[target.value] ?? []).compactMap { controlByPoint[$0] }
            let setpoints = candidates.filter {
                if case .setChargingProfile = controlRules[$0].action { return true } else { return false }
            }
            if setpoints.isEmpty { lacking.append(charger) } else { rules += setpoints }
        }
        if rules.isEmpty {
            sink.error("no charger has a SetChargingProfile command '\(target.value)' to share the site limit over", at: target.location)
            return
        }
        if let first = lacking.first {
            let more = lacking.count > 1 ? " and \(lacking.count - 1) more chargers" : ""
            sink.warning("charger '\(chargers[first].id)'\(more) have no SetChargingProfile command '\(target.value)'; the site limit cannot reach them", at: target.location,
                         related: [RelatedLocation("charger '\(chargers[first].id)' defined here", at: chargers[first].location)])
        }
        let old = controlRules[ruleIndex]
        controlRules[ruleIndex] = ControlRule(
            point: old.point, owner: old.owner, action: .distribute(signal: target.value, rules: rules), versions: old.versions,
            range: old.range, fullScale: old.fullScale, requireOnline: old.requireOnline, selectBeforeOperate: old.selectBeforeOperate,
            rateLimit: old.rateLimit, readback: old.readback, location: old.location
        )
    }

    func makeGraph() -> RuleGraph {
        var monitorIndex: [MonitorKey: [Int]] = [:]
        for (i, rule) in monitorRules.enumerated() {
            monitorIndex[MonitorKey(charger: rule.charger, action: rule.action, measurand: rule.selector.measurand), default: []].append(i)
        }
        var controlIndex: [PointAddress: Int] = [:]
        for (i, rule) in controlRules.enumerated() { controlIndex[points[rule.point].address] = i }
        var groups = [[Int]](repeating: [], count: 16)
        var counterGroups = [[Int]](repeating: [], count: 4)
        var general: [Int] = []
        var counters: [Int] = []
        for (i, point) in points.enumerated() where point.direction == .monitor {
            if point.generalInterrogation { general.append(i) }
            for g in point.groups { groups[g - 1].append(i) }
            if point.type.valueKind == .integratedTotal {
                counters.append(i)
                if let g = point.counterGroup { counterGroups[g - 1].append(i) }
            }
        }
        return RuleGraph(
            siteName: siteName, files: fragments.map(\.file), station: station, centralSystem: centralSystem,
            chargers: chargers, points: points, monitorRules: monitorRules, controlRules: controlRules, aggregates: aggregates,
            chargerIndex: chargerIndex, pointIndex: pointIndex, monitorIndex: monitorIndex, controlIndex: controlIndex,
            generalInterrogation: general, interrogationGroups: groups, counters: counters, counterGroups: counterGroups
        )
    }
}

/// Charger id patterns with `*` (any run) and `?` (one character).
public enum Glob {
    /// True when `text` matches `pattern` as a whole.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
