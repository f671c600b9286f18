/// Renders a rule graph so an integrator can see what drives what.
public struct GraphRendering {
    let graph: RuleGraph
    let chargers: Set<Int>?

    /// Renders all of the graph, or only the chargers whose ids match `chargerPattern` (`*` and `?` wildcards) and the site.
    public init(_ graph: RuleGraph, chargerPattern: String? = nil) {
        self.graph = graph
        if let pattern = chargerPattern {
            chargers = Set(graph.chargers.indices.filter { Glob.matches(pattern, graph.chargers[$0].id) })
        } else {
            chargers = nil
        }
    }

    private func included(_ owner: PointOwner) -> Bool {
        guard let chargers, case .charger(let c) = owner else { return true }
        return chargers.contains(c)
    }

    private func pointLabel(_ index: Int) -> String {
        let p = graph.points[index]
        let unit = p.unit.map { " [\($0)]" } ?? ""
        return "\(p.signal) \(p.type.name) \(p.address)\(unit)"
    }

    private func steps(_ steps: [ResolvedStep]) -> String {
        steps.map { step -> String in
            switch step {
            case .affine(let scale, let offset):
                return offset == 0 ? "×\(DecodeContext.format(scale))" : "×\(DecodeContext.format(scale))+\(DecodeContext.format(offset))"
            case .derivePower(let scale): return "ΔE/Δt×\(DecodeContext.format(scale))"
            case .clamp(let low, let high): return "clamp \(DecodeContext.format(low))…\(DecodeContext.format(high))"
            case .deadband(let amount): return "deadband \(DecodeContext.format(amount))"
            case .deadbandPercent(let percent): return "deadband \(DecodeContext.format(percent))%"
            case .minInterval(let seconds): return "every ≥\(DecodeContext.format(seconds))s"
            case .map(let table, let fallback):
                var entries = table.sorted { $0.key < $1.key }.map { "\($0.key)→\($0.value)" }
                if let fallback { entries.append("*→\(fallback)") }
                return "map{" + entries.joined(separator: ",") + "}"
            }
        }.joined(separator: " → ")
    }

    private func ownerName(_ owner: PointOwner) -> String {
        switch owner {
        case .site: return "site"
        case .charger(let c): return graph.chargers[c].id
        }
    }

    /// Indented text: per charger, each source → transforms → point, and each command point → OCPP action.
    public func text() -> String {
        var lines = ["site \(graph.siteName): CA \(graph.station.commonAddress), \(graph.chargers.count) chargers, \(graph.points.count) points"]
        var rulesByCharger: [Int: [Int]] = [:]
        for (i, rule) in graph.monitorRules.enumerated() { rulesByCharger[rule.charger, default: []].append(i) }
        var controlByOwner: [PointOwner: [Int]] = [:]
        for (i, rule) in graph.controlRules.enumerated() { controlByOwner[rule.owner, default: []].append(i) }
        for (c, charger) in graph.chargers.enumerated() where included(.charger(c)) {
            lines.append("charger \(charger.id) (OCPP \(charger.versions.map(\.rawValue).joined(separator: ", ")))")
            for r in rulesByCharger[c] ?? [] {
                let rule = graph.monitorRules[r]
                let chain = steps(rule.steps)
                lines.append("  \(PointList.describe(rule)) → \(chain.isEmpty ? "" : chain + " → ")\(pointLabel(rule.target))")
            }
            for r in controlByOwner[.charger(c)] ?? [] { lines.append("  " + controlLine(r)) }
        }
        lines.append("site")
        for aggregate in graph.aggregates {
            lines.append("  sum of \(aggregate.signal) (\(aggregate.members.count) points) → \(pointLabel(aggregate.point))")
        }
        for r in controlByOwner[.site] ?? [] { lines.append("  " + controlLine(r)) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func controlLine(_ index: Int) -> String {
        let rule = graph.controlRules[index]
        var line = "\(pointLabel(rule.point)) → \(PointList.describe(rule))"
        if let readback = rule.readback { line += "; readback \(pointLabel(readback))" }
        return line
    }

    /// Graphviz DOT: one cluster per charger plus the site; OCPP sources and actions as boxes, points as ellipses.
    public func dot() -> String {
        var out = ["digraph rules {", "  rankdir=LR;", "  node [fontname=\"Helvetica\", fontsize=10];"]
        func id(_ prefix: String, _ n: Int) -> String { "\(prefix)\(n)" }
        var clusterLines: [PointOwner: [String]] = [:]
        var edges: [String] = []
        for (i, rule) in graph.monitorRules.enumerated() where included(.charger(rule.charger)) {
            clusterLines[.charger(rule.charger), default: []].append("    \(id("s", i)) [shape=box, label=\(JSONText.quote(PointList.describe(rule)))];")
            let label = steps(rule.steps)
            edges.append("  \(id("s", i)) -> \(id("p", rule.target))\(label.isEmpty ? "" : " [label=\(JSONText.quote(label))]");")
        }
        for (i, rule) in graph.controlRules.enumerated() where included(rule.owner) {
            clusterLines[rule.owner, default: []].append("    \(id("c", i)) [shape=box, style=rounded, label=\(JSONText.quote(PointList.describe(rule)))];")
            edges.append("  \(id("p", rule.point)) -> \(id("c", i));")
            if let readback = rule.readback { edges.append("  \(id("c", i)) -> \(id("p", readback)) [style=dashed, label=\"readback\"];") }
            if case .distribute(_, let rules) = rule.action {
                for target in rules where included(graph.controlRules[target].owner) {
                    edges.append("  \(id("c", i)) -> \(id("p", graph.controlRules[target].point)) [style=dotted, label=\"share\"];")
                }
            }
        }
        for aggregate in graph.aggregates {
            for member in aggregate.members where included(graph.points[member.point].owner) {
                edges.append("  \(id("p", member.point)) -> \(id("p", aggregate.point)) [style=dotted, label=\"sum\"];")
            }
        }
        for (i, point) in graph.points.enumerated() where included(point.owner) {
            let shape = point.direction == .monitor ? "ellipse" : "diamond"
            clusterLines[point.owner, default: []].append("    \(id("p", i)) [shape=\(shape), label=\(JSONText.quote(pointLabel(i)))];")
        }
        let owners = [PointOwner.site] + graph.chargers.indices.map { PointOwner.charger($0) }
        for (n, owner) in owners.enumerated() {
            guard let lines = clusterLines[owner] else { continue }
            out.append("  subgraph cluster_\(n) {")
            out.append("    label=\(JSONText.quote(ownerName(owner)));")
            out += lines
            out.append("  }")
        }
        out += edges
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }
}
