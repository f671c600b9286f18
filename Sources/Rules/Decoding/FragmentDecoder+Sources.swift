import YAML

extension FragmentDecoder {
    static let selectorKeys = [
        "measurand", "phase", "location", "context", "evse", "connector", "status", "component", "variable",
        "vendor_id", "message_id",
    ]
    static let sourceKeys = ["action", "ocpp", "transform"] + selectorKeys

    func decodeSource(_ node: Node) -> SourceSpec? {
        guard var map = MappingReader(node, context, allowed: Self.sourceKeys, what: "a source") else { return nil }
        defer { map.finish() }
        guard let actionNode = map("action") else {
            context.error("a source needs an OCPP 'action' (e.g. MeterValues)", at: node)
            return nil
        }
        guard let action = context.string(actionNode, what: "action") else { return nil }
        var source = SourceSpec(location: context.location(node), action: Located(action, at: context.location(actionNode)))
        for key in Self.selectorKeys {
            if let keyNode = map.keyNode(key) { source.selectorKeys.append(Located(key, at: context.location(keyNode))) }
        }
        if let n = map("ocpp") { source.ocpp = versions(n) }
        if let n = map("measurand") { source.measurand = context.located(context.string(n, what: "measurand"), n) }
        if let n = map("phase") { source.phase = context.located(context.choice(n, what: "phase", from: OCPPCatalog.phases + ["none"]), n) }
        if let n = map("location") { source.meterLocation = context.located(context.choice(n, what: "location", from: OCPPCatalog.locations), n) }
        if let n = map("context") {
            let values = context.oneOrMany(n).compactMap { context.choice($0, what: "context", from: OCPPCatalog.contexts) }
            source.contexts = Located(values, at: context.location(n))
        }
        if let n = map("evse") { source.evse = context.located(context.int(n, what: "evse", in: 0...32), n) }
        if let n = map("connector") { source.connector = context.located(context.int(n, what: "connector", in: 0...16), n) }
        if let n = map("status") {
            let values = context.oneOrMany(n).compactMap { context.string($0, what: "status") }
            source.statuses = Located(values, at: context.location(n))
        }
        for (key, path) in [("component", \SourceSpec.component), ("variable", \.variable), ("vendor_id", \.vendorID), ("message_id", \.messageID)] {
            if let n = map(key) { source[keyPath: path] = context.located(context.string(n, what: key), n) }
        }
        if let n = map("transform"), let steps = context.list(n, what: "transform") {
            source.transform = steps.compactMap { decodeStep($0, mapKeys: &source.mapKeys) }
        }
        return source
    }

    static let stepKeys = ["unit", "derive", "scale", "offset", "clamp", "deadband", "min_interval", "map"]

    func decodeStep(_ node: Node, mapKeys: inout [String: SourceLocation]) -> Located<TransformStep>? {
        guard let entries = node.mapping else {
            context.error("expected a transform step (a mapping with exactly one key such as 'unit: kW'), found \(node.kindDescription)", at: node)
            return nil
        }
        guard entries.count == 1, let entry = entries.first, let key = entry.key.scalar?.value else {
            context.error("a transform step has exactly one key; write each step as its own list item", at: node)
            return nil
        }
        let value = entry.value
        let step: TransformStep?
        switch key {
        case "unit": step = unit(value).map(TransformStep.unit)
        case "derive":
            step = context.choice(value, what: "derive", from: ["power"]).map { _ in .derivePower }
        case "scale": step = context.number(value, what: "scale").map(TransformStep.scale)
        case "offset": step = context.number(value, what: "offset").map(TransformStep.offset)
        case "clamp": step = pair(value, what: "clamp").map { TransformStep.clamp($0.0, $0.1) }
        case "deadband":
            if let text = value.scalar?.string, text.hasSuffix("%") {
                guard let percent = context.percentage(text), percent > 0 else {
                    context.error("deadband percentage out of range: expected more than 0% and at most 100%", at: value)
                    return nil
                }
                step = .deadbandPercent(percent)
            } else {
                step = context.number(value, what: "deadband", in: 0...Double.greatestFiniteMagnitude).map(TransformStep.deadband)
            }
        case "min_interval": step = context.duration(value, what: "min_interval", in: 0...86_400).map(TransformStep.minInterval)
        case "map": step = decodeMap(value, keys: &mapKeys)
        default:
            var message = "unknown transform step '\(key)'"
            if let suggestion = Spelling.closest(to: key, in: Self.stepKeys) { message += "; did you mean '\(suggestion)'?" }
            context.error(message + "; steps are " + Self.stepKeys.joined(separator: ", "), at: entry.key)
            return nil
        }
        return step.map { Located($0, at: context.location(entry.key)) }
    }

    func pair(_ node: Node, what: String) -> (Double, Double)? {
        guard let items = node.sequence, items.count == 2 else {
            context.error("expected [MIN, MAX] for \(what), found \(node.kindDescription)", at: node)
            return nil
        }
        guard let low = context.number(items[0], what: "\(what) minimum"), let high = context.number(items[1], what: "\(what) maximum") else { return nil }
        guard low <= high else {
            context.error("\(what) minimum \(DecodeContext.format(low)) is above its maximum \(DecodeContext.format(high))", at: node)
            return nil
        }
        return (low, high)
    }

    func decodeMap(_ node: Node, keys: inout [String: SourceLocation]) -> TransformStep? {
        guard let entries = node.mapping, !entries.isEmpty else {
            context.error("expected a non-empty mapping for map (e.g. {Charging: true, \"*\": false}), found \(node.kindDescription)", at: node)
            return nil
        }
        var table: [String: MapValue] = [:]
        var fallback: MapValue?
        for entry in entries {
            guard let key = entry.key.scalar?.value else {
                context.error("map keys are names, found \(entry.key.kindDescription)", at: entry.key)
                continue
            }
            keys[key] = context.location(entry.key)
            guard let value = mapValue(entry.value) else { continue }
            if key == "*" { fallback = value } else { table[key] = value }
        }
        return .map(table, fallback: fallback)
    }

    func mapValue(_ node: Node) -> MapValue? {
        guard let scalar = node.scalar else {
            context.error("expected a number, true/false or off/on/intermediate/indeterminate, found \(node.kindDescription)", at: node)
            return nil
        }
        if let b = scalar.bool { return .bool(b) }
        if let d = scalar.double { return .number(d) }
        if let index = ["intermediate", "off", "on", "indeterminate"].firstIndex(of: scalar.value) { return .doublePoint(index) }
        context.error("invalid map value '\(scalar.value)'; expected a number, true/false or off/on/intermediate/indeterminate", at: node)
        return nil
    }
}
