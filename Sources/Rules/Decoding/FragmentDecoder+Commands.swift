import YAML

extension FragmentDecoder {
    static let commandKeys = [
        "action", "ocpp", "range", "full_scale", "require_online", "select_before_operate", "rate_limit", "profile",
        "message", "reset_type", "readback", "distribute",
    ]

    func decodeCommand(_ node: Node, scope: PointScope) -> CommandSpec? {
        guard var map = MappingReader(node, context, allowed: Self.commandKeys, what: "a command") else { return nil }
        defer { map.finish() }
        var command = CommandSpec(location: context.location(node))
        for key in Self.commandKeys {
            if let k = map.keyNode(key) { command.keys.append(Located(key, at: context.location(k))) }
        }
        if let n = map("action") { command.action = context.located(context.string(n, what: "action"), n) }
        if let n = map("ocpp") { command.ocpp = versions(n) }
        if let n = map("range"), let (low, high) = pair(n, what: "range") {
            command.range = Located(low...high, at: context.location(n))
        }
        if let n = map("full_scale") { command.fullScale = context.located(context.number(n, what: "full_scale", in: 0.001...1e9), n) }
        if let n = map("require_online") { command.requireOnline = context.bool(n, what: "require_online") ?? true }
        if let n = map("select_before_operate") { command.sbo = decodeSBO(n) }
        if let n = map("rate_limit") { command.rateLimit = rate(n) }
        if let n = map("profile") {
            command.profile = decodeProfile(n)
            command.profileLocation = context.location(n)
        }
        if let n = map("message") { command.message = context.located(context.choice(n, what: "message", from: OCPPCatalog.triggerMessages), n) }
        if let n = map("reset_type") {
            let all = OCPPCatalog.resetTypes.values.flatMap { $0 }
            command.resetType = context.located(context.choice(n, what: "reset_type", from: all), n)
        }
        if let n = map("readback") { command.readback = context.located(context.string(n, what: "readback"), n) }
        if let n = map("distribute") {
            if scope != .site { context.error("'distribute' belongs to site points", at: map.keyNode("distribute") ?? n) }
            if var d = MappingReader(n, context, allowed: ["to", "policy"], what: "distribute") {
                if let to = d("to") { command.distributeTo = context.located(context.string(to, what: "distribute to"), to) }
                else { context.error("'distribute' needs 'to: SIGNAL'", at: n) }
                if let p = d("policy") { _ = context.choice(p, what: "policy", from: ["equal"]) }
                d.finish()
            }
        }
        return command
    }

    func decodeSBO(_ node: Node) -> SelectBeforeOperate {
        if let text = node.scalar?.string, node.scalar?.style == .plain || node.scalar?.style == .doubleQuoted || node.scalar?.style == .singleQuoted {
            switch text {
            case "always": return .always
            case "never": return .never
            default: break
            }
        }
        guard var map = MappingReader(node, context, allowed: ["above_change"], what: "select_before_operate (always, never or {above_change: X})") else { return .never }
        defer { map.finish() }
        guard let n = map("above_change") else {
            context.error("select_before_operate needs 'above_change'", at: node)
            return .never
        }
        if let text = n.scalar?.string, text.hasSuffix("%") {
            guard let percent = context.percentage(text) else {
                context.error("above_change '\(text)' out of range: expected 0% to 100%", at: n)
                return .never
            }
            return .aboveChange(percent, percent: true)
        }
        guard let value = context.number(n, what: "above_change", in: 0...1e12) else { return .never }
        return .aboveChange(value, percent: false)
    }

    func rate(_ node: Node) -> RateLimit? {
        guard let text = node.scalar?.string, let slash = text.firstIndex(of: "/"),
              let count = Int(text[..<slash]), count >= 1 else {
            context.error("invalid rate '\(node.scalar?.value ?? node.kindDescription)'; expected COUNT/PERIOD such as '6/min' or '10/30s'", at: node)
            return nil
        }
        var period = String(text[text.index(after: slash)...])
        if let first = period.first, !first.isNumber { period = "1" + period }
        guard let seconds = DecodeContext.parseDuration(period), seconds > 0 else {
            context.error("invalid rate '\(text)'; expected COUNT/PERIOD such as '6/min' or '10/30s'", at: node)
            return nil
        }
        return RateLimit(count: count, period: seconds)
    }

    func decodeProfile(_ node: Node) -> ProfileSpec? {
        guard var map = MappingReader(node, context, allowed: ["purpose", "stack_level", "rate_unit", "evse"], what: "profile") else { return nil }
        defer { map.finish() }
        var profile = ProfileSpec()
        if let n = map("purpose") {
            if let entries = n.mapping {
                for entry in entries {
                    guard let version = Self.version(entry.key) else {
                        context.error("unknown OCPP version '\(entry.key.scalar?.value ?? "")' in purpose; expected \"1.6\" or \"2.0.1\"", at: entry.key)
                        continue
                    }
                    if let text = context.string(entry.value, what: "purpose") {
                        profile.purposeByVersion[version] = Located(text, at: context.location(entry.value))
                    }
                }
            } else {
                profile.purpose = context.located(context.string(n, what: "purpose"), n)
            }
        }
        if let n = map("stack_level") { profile.stackLevel = context.int(n, what: "stack_level", in: 0...100) ?? 0 }
        if let n = map("rate_unit") { profile.rateUnit = context.located(context.choice(n, what: "rate_unit", from: ["W", "A"]), n) }
        if let n = map("evse") { profile.evse = context.located(context.int(n, what: "evse", in: 0...32), n) }
        return profile
    }
}
