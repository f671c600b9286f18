import YAML

/// Where a point is written, which decides how its IOA is given.
enum PointScope {
    case template, charger, site
}

extension FragmentDecoder {
    static let pointKeys = [
        "signal", "offset", "ioa", "type", "direction", "evse", "unit", "description", "gi", "groups",
        "counter_group", "from", "aggregate", "quality", "command",
    ]

    func decodePoints(_ node: Node, scope: PointScope) -> [PointSpec] {
        guard let items = context.list(node, what: "points") else { return [] }
        return items.compactMap { decodePoint($0, scope: scope) }
    }

    func iecType(_ node: Node) -> IECType? {
        if let id = node.scalar?.int {
            if let type = IECType.withID(id) { return type }
            if let name = IECType.systemTypes.first(where: { $0.value == id })?.key {
                context.error("\(name) (\(id)) is a station-level type and cannot be a point", at: node)
            } else {
                context.error("unknown IEC type \(id); point types are " + IECType.all.map { String($0.id) }.joined(separator: ", "), at: node)
            }
            return nil
        }
        guard let name = node.scalar?.string else {
            context.error("expected an IEC type name or number, found \(node.kindDescription)", at: node)
            return nil
        }
        if let type = IECType.named(name) { return type }
        if let id = IECType.systemTypes[name] {
            context.error("\(name) (\(id)) is a station-level type and cannot be a point", at: node)
            return nil
        }
        var message = "unknown IEC type '\(name)'"
        if let suggestion = Spelling.closest(to: name, in: IECType.all.map(\.name)) { message += "; did you mean '\(suggestion)'?" }
        context.error(message, at: node)
        return nil
    }

    func unit(_ node: Node) -> Unit? {
        guard let text = context.string(node, what: "unit") else { return nil }
        if let unit = Unit.named(text) { return unit }
        var message = "unknown unit '\(text)'"
        if let suggestion = Spelling.closest(to: text, in: Unit.all.map(\.symbol)) { message += "; did you mean '\(suggestion)'?" }
        context.error(message + " (units are case-sensitive: W, kW, Wh, kWh, A, V, Hz, %, Celsius, …)", at: node)
        return nil
    }

    func decodePoint(_ node: Node, scope: PointScope) -> PointSpec? {
        guard var map = MappingReader(node, context, allowed: Self.pointKeys, what: "a point") else { return nil }
        defer { map.finish() }
        let location = context.location(node)
        let signalNode = map("signal")
        let signal = signalNode.flatMap { context.string($0, what: "signal") }
        if signalNode == nil { context.error("a point needs a 'signal' name", at: node) }
        if let signal, let signalNode, !Self.isSignal(signal) {
            context.error("invalid signal '\(signal)'; use lowercase letters, digits and '_', starting with a letter, at most 64 characters", at: signalNode)
        }
        let typeNode = map("type")
        let type = typeNode.flatMap(iecType)
        if typeNode == nil { context.error("a point needs a 'type'", at: node) }

        let offset = map("offset").flatMap { context.located(context.int($0, what: "offset", in: 0...16_777_215), $0) }
        let ioa = map("ioa").flatMap { context.located(context.int($0, what: "IOA", in: 1...16_777_215), $0) }
        if map.has("offset"), map.has("ioa") {
            context.error("a point has both 'offset' and 'ioa'; give one", at: map.keyNode("ioa") ?? node)
        } else if !map.has("offset"), !map.has("ioa") {
            context.error(scope == .site ? "a site point needs an 'ioa'" : "a point needs an 'offset' (from the charger's ioa_base) or an 'ioa'", at: node)
        } else if scope == .site, let key = map.keyNode("offset") {
            context.error("site points have no ioa_base; give an absolute 'ioa'", at: key)
        } else if scope == .template, let key = map.keyNode("ioa") {
            context.error("template points are placed by 'offset' from each charger's ioa_base, not by absolute 'ioa'", at: key)
        }
        guard let signal, let signalNode, let type else { return nil }
        var point = PointFields(location: location, signal: Located(signal, at: context.location(signalNode)), offset: offset, ioa: ioa,
                              type: Located(type, at: context.location(typeNode ?? node)))
        point.serial = context.sink.nextSerial()

        if let n = map("direction"), let text = context.choice(n, what: "direction", from: Direction.allCases.map(\.rawValue)),
           text != type.direction.rawValue {
            context.error("direction '\(text)' does not fit \(type): it is a \(type.direction.rawValue) type", at: n)
        }
        if let n = map("evse") {
            if scope == .site { context.error("site points belong to no EVSE", at: n) }
            point.evse = context.located(context.int(n, what: "evse", in: 0...32), n)
        }
        if let n = map("unit") { point.unit = context.located(unit(n), n) }
        if let n = map("description") { point.description = context.string(n, what: "description") ?? "" }
        if let n = map("gi") { point.gi = context.located(context.bool(n, what: "gi"), n) }
        if let n = map("groups"), let items = context.list(n, what: "groups") {
            point.groups = items.compactMap { context.int($0, what: "interrogation group", in: 1...16) }
        }
        if let n = map("counter_group") { point.counterGroup = context.located(context.int(n, what: "counter_group", in: 1...4), n) }
        if let n = map("from") { point.sources = context.oneOrMany(n).compactMap(decodeSource) }
        if let n = map("aggregate") {
            if scope != .site { context.error("'aggregate' belongs to site points", at: map.keyNode("aggregate") ?? n) }
            point.aggregate = decodeAggregate(n)
        }
        if let n = map("quality"), var q = MappingReader(n, context, allowed: ["stale_after", "on_disconnect"], what: "quality") {
            if let s = q("stale_after") { point.staleAfter = context.duration(s, what: "stale_after", in: 1...86_400 * 30) }
            if let d = q("on_disconnect"), let v = context.choice(d, what: "on_disconnect", from: DisconnectQuality.allCases.map(\.rawValue)) {
                point.onDisconnect = DisconnectQuality(rawValue: v) ?? .invalidNotTopical
            }
            q.finish()
        }
        if let n = map("command") { point.command = decodeCommand(n, scope: scope) }
        return PointSpec(point)
    }

    static func isSignal(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.count <= 64 else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    func decodeAggregate(_ node: Node) -> AggregateSpec? {
        guard var map = MappingReader(node, context, allowed: ["sum", "chargers"], what: "aggregate") else { return nil }
        defer { map.finish() }
        guard let sumNode = map("sum") else {
            context.error("an aggregate needs 'sum: SIGNAL'", at: node)
            return nil
        }
        guard let sum = context.string(sumNode, what: "sum") else { return nil }
        var spec = AggregateSpec(location: context.location(node), sum: Located(sum, at: context.location(sumNode)))
        if let n = map("chargers"), let items = context.list(n, what: "chargers") {
            spec.chargers = items.compactMap { context.located(context.string($0, what: "a charger id or pattern"), $0) }
        }
        return spec
    }
}
