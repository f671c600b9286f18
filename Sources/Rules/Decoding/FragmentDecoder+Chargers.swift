import YAML

extension FragmentDecoder {
    static let bodyKeys = ["description", "ocpp", "evses", "electrical", "sanitizer", "security_profile", "timezone", "points"]
    static let chargerOnlyKeys = ["id", "count", "first", "template", "ioa_base", "ioa_stride", "common_address", "credentials"]

    func decodeTemplates(_ node: Node) -> [TemplateSpec] {
        guard let entries = node.mapping else {
            context.error("expected a mapping of template names to templates, found \(node.kindDescription)", at: node)
            return []
        }
        var templates: [TemplateSpec] = []
        for entry in entries {
            guard let name = context.string(entry.key, what: "template name") else { continue }
            guard Self.isName(name) else {
                context.error("invalid template name '\(name)'; use letters, digits, '_' and '-', starting with a letter", at: entry.key)
                continue
            }
            guard var map = MappingReader(entry.value, context, allowed: Self.bodyKeys, what: "template '\(name)'") else { continue }
            for key in map.keys.compactMap({ $0.scalar?.value }) where Self.chargerOnlyKeys.contains(key) {
                if let keyNode = map.keyNode(key) {
                    context.error("'\(key)' belongs to a charger, not a template", at: keyNode)
                }
                _ = map(key)
            }
            let body = decodeBody(&map, owner: .template)
            map.finish()
            templates.append(TemplateSpec(name: Located(name, at: context.location(entry.key)), body: body))
        }
        return templates
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }

    func decodeBody(_ map: inout MappingReader, owner: PointScope) -> ChargerBody {
        var body = ChargerBody()
        if let n = map("description") { body.description = context.string(n, what: "description") }
        if let n = map("ocpp") { body.ocpp = versions(n) }
        if let n = map("evses") { body.evses = decodeEVSEs(n) }
        if let n = map("electrical") {
            body.electrical = decodeElectrical(n)
            body.electricalLocation = context.location(n)
        }
        if let n = map("sanitizer"), let v = context.choice(n, what: "sanitizer", from: SanitizerPolicy.allCases.map(\.rawValue)) {
            body.sanitizer = SanitizerPolicy(rawValue: v)
        }
        if let n = map("security_profile") { body.securityProfile = context.int(n, what: "security_profile", in: 0...3) }
        if let n = map("timezone") { body.timezone = timezone(n) }
        if let n = map("points") { body.points = decodePoints(n, scope: owner) }
        return body
    }

    func decodeEVSEs(_ node: Node) -> Located<[EVSE]>? {
        if node.scalar != nil {
            guard let count = context.int(node, what: "evses", in: 1...32) else { return nil }
            return Located((1...count).map { EVSE(id: $0, connectors: 1) }, at: context.location(node))
        }
        guard let items = context.list(node, what: "evses") else { return nil }
        var evses: [EVSE] = []
        var seen: [Int: Node] = [:]
        for item in items {
            guard var map = MappingReader(item, context, allowed: ["id", "connectors"], what: "an EVSE") else { continue }
            let id = map("id").flatMap { context.int($0, what: "EVSE id", in: 1...32) }
            let connectors = map("connectors").flatMap { context.int($0, what: "connectors", in: 1...16) } ?? 1
            if map("id") == nil { context.error("an EVSE needs an 'id'", at: item) }
            map.finish()
            guard let id else { continue }
            if let first = seen[id] {
                context.error("EVSE \(id) is defined twice", at: item, related: [RelatedLocation("first defined here", at: context.location(first))])
                continue
            }
            seen[id] = item
            evses.append(EVSE(id: id, connectors: connectors))
        }
        return Located(evses, at: context.location(node))
    }

    func decodeElectrical(_ node: Node) -> Electrical? {
        let keys = ["phases", "nominal_voltage", "max_current_a", "max_power_kw"]
        guard var map = MappingReader(node, context, allowed: keys, what: "electrical") else { return nil }
        var e = Electrical()
        if let n = map("phases") {
            e.phases = context.int(n, what: "phases", in: 1...3)
            if e.phases == 2 {
                context.error("phases must be 1 or 3", at: n)
                e.phases = nil
            }
        }
        if let n = map("nominal_voltage") { e.nominalVoltage = context.number(n, what: "nominal_voltage", in: 100...1000) }
        if let n = map("max_current_a") { e.maxCurrentA = context.number(n, what: "max_current_a", in: 0.1...10_000) }
        if let n = map("max_power_kw") { e.maxPowerKW = context.number(n, what: "max_power_kw", in: 0.1...100_000) }
        map.finish()
        return e
    }

    func decodeCharger(_ node: Node) -> ChargerSpec? {
        guard var map = MappingReader(node, context, allowed: Self.chargerOnlyKeys + Self.bodyKeys, what: "a charger") else { return nil }
        let location = context.location(node)
        let idNode = map("id")
        let id = idNode.flatMap { context.string($0, what: "charger id") }
        if idNode == nil { context.error("a charger needs an 'id'", at: node) }
        var spec = ChargerSpec(location: location, id: Located(id ?? "", at: idNode.map(context.location) ?? location), body: ChargerBody())
        if let n = map("count") { spec.count = context.located(context.int(n, what: "count", in: 1...100_000), n) }
        if let n = map("first") { spec.first = context.int(n, what: "first", in: 0...10_000_000) ?? 1 }
        if let n = map("template") { spec.template = context.located(context.string(n, what: "template"), n) }
        if let n = map("ioa_base") { spec.ioaBase = context.located(context.int(n, what: "ioa_base", in: 0...16_777_215), n) }
        if let n = map("ioa_stride") { spec.ioaStride = context.located(context.int(n, what: "ioa_stride", in: 1...16_777_215), n) }
        if let n = map("common_address") { spec.commonAddress = context.located(context.int(n, what: "common_address", in: 1...65534), n) }
        if let n = map("credentials") {
            if let text = context.string(n, what: "credentials") {
                if (text.hasPrefix("env:") && text.count > 4) || (text.hasPrefix("file:") && text.count > 5) {
                    spec.credentials = Located(text, at: context.location(n))
                } else {
                    context.error("invalid credentials reference '\(text)'; expected 'env:VARIABLE' or 'file:PATH' (secrets never go in rule files)", at: n)
                }
            }
        }
        spec.body = decodeBody(&map, owner: .charger)
        map.finish()
        guard id != nil, let idNode, checkChargerID(spec, node: idNode) else { return nil }
        if spec.count != nil, spec.ioaBase != nil, spec.ioaStride == nil {
            context.error("a charger range with 'ioa_base' needs 'ioa_stride'", at: node)
        }
        if spec.count == nil, let first = map.keyNode("first") ?? map.keyNode("ioa_stride") {
            context.error("'\(first.scalar?.value ?? "")' only applies to a charger range (with 'count')", at: first)
        }
        return spec
    }

    private func checkChargerID(_ spec: ChargerSpec, node: Node) -> Bool {
        let id = spec.id.value
        if spec.count != nil {
            guard ChargerNumbering.parse(id) != nil else {
                context.error("a charger range needs '{n}' or '{n:0W}' in its id, e.g. \"CP{n:03}\"", at: node)
                return false
            }
            return true
        }
        guard !id.isEmpty, id.count <= 48, !id.contains(":"), !id.contains("{") else {
            context.error("invalid charger id '\(id)'; 1–48 characters without ':' (use '{n}' only with 'count')", at: node)
            return false
        }
        return true
    }
}

/// The `{n}` / `{n:0W}` placeholder of a charger range id.
struct ChargerNumbering {
    var prefix: String
    var suffix: String
    var width: Int

    static func parse(_ pattern: String) -> ChargerNumbering? {
        guard let open = pattern.firstRange(of: "{n"), let close = pattern[open.upperBound...].firstIndex(of: "}") else { return nil }
        let spec = pattern[open.upperBound..<close]
        var width = 0
        if !spec.isEmpty {
            guard spec.hasPrefix(":0"), let w = Int(spec.dropFirst(2)), (1...9).contains(w) else { return nil }
            width = w
        }
        let numbering = ChargerNumbering(prefix: String(pattern[..<open.lowerBound]), suffix: String(pattern[pattern.index(after: close)...]), width: width)
        guard !numbering.prefix.contains("{"), !numbering.suffix.contains("{"), !pattern.contains(":") || spec.hasPrefix(":0") else { return nil }
        guard !(numbering.prefix + numbering.suffix).contains(":") else { return nil }
        return numbering
    }

    func id(_ n: Int) -> String {
        var digits = String(n)
        if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
        return prefix + digits + suffix
    }
}
