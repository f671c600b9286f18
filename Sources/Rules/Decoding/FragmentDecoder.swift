import YAML

/// Decodes one rule file's YAML tree into a `Fragment`, reporting every structural problem it finds.
struct FragmentDecoder {
    let context: DecodeContext

    static let topKeys = ["version", "include", "station", "ocpp", "site", "templates", "chargers"]

    func decode(_ document: Node) -> Fragment {
        var fragment = Fragment(file: context.file)
        guard var top = MappingReader(document, context, allowed: Self.topKeys, what: "the rule file") else { return fragment }
        if let node = top("version") {
            if node.scalar?.int != 1 {
                context.error("unsupported version \(node.scalar?.value ?? node.kindDescription); this gateway reads version 1", at: node)
            }
            fragment.rootOnlyKeys.append(Located("version", at: context.location(top.keyNode("version") ?? node)))
        }
        if let node = top("include"), let items = context.list(node, what: "include") {
            fragment.includes = items.compactMap { context.located(context.string($0, what: "an include path"), $0) }
        }
        if let node = top("station") {
            fragment.station = decodeStation(node)
            fragment.rootOnlyKeys.append(Located("station", at: context.location(top.keyNode("station") ?? node)))
        }
        if let node = top("ocpp") {
            fragment.ocpp = decodeCentralSystem(node)
            fragment.rootOnlyKeys.append(Located("ocpp", at: context.location(top.keyNode("ocpp") ?? node)))
        }
        if let node = top("site"), var site = MappingReader(node, context, allowed: ["name", "points"], what: "site") {
            if let name = site("name") {
                fragment.siteName = context.string(name, what: "site name")
                fragment.rootOnlyKeys.append(Located("site.name", at: context.location(site.keyNode("name") ?? name)))
            }
            if let points = site("points") {
                fragment.sitePoints = decodePoints(points, scope: .site)
            }
            site.finish()
        }
        if let node = top("templates") {
            fragment.templates = decodeTemplates(node)
        }
        if let node = top("chargers"), let items = context.list(node, what: "chargers") {
            fragment.chargers = items.compactMap(decodeCharger)
        }
        for key in top.keys.compactMap({ $0.scalar?.value }) where key.hasPrefix("x-") {
            _ = top(key)
        }
        top.finish()
        return fragment
    }

    func address(_ node: Node, what: String) -> String? {
        guard let text = context.string(node, what: what) else { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port), colon != text.startIndex else {
            context.error("invalid address '\(text)' for \(what); expected \"HOST:PORT\", e.g. \"0.0.0.0:2404\"", at: node)
            return nil
        }
        return text
    }

    func decodeStation(_ node: Node) -> Station? {
        let keys = ["common_address", "listen", "link", "masters", "max_connections", "event_queue", "select_timeout", "interrogation"]
        guard var map = MappingReader(node, context, allowed: keys, what: "station") else { return nil }
        var station = Station(location: context.location(node))
        if let n = map("common_address") {
            station.commonAddress = context.int(n, what: "common_address", in: 1...65534) ?? station.commonAddress
        } else {
            context.error("station needs a 'common_address'", at: node)
        }
        if let n = map("listen") { station.listen = address(n, what: "station listen") ?? station.listen }
        if let n = map("link") { station.link = decodeLink(n) }
        if let n = map("masters"), let items = context.list(n, what: "masters") {
            station.masters = items.compactMap { item in
                guard let text = context.string(item, what: "a master address") else { return nil }
                guard IPAddressSyntax.isValid(text) else {
                    context.error("invalid master address '\(text)'; expected an IPv4 or IPv6 address", at: item)
                    return nil
                }
                return text
            }
        }
        if let n = map("max_connections") { station.maxConnections = context.int(n, what: "max_connections", in: 1...64) ?? station.maxConnections }
        if let n = map("event_queue"), var queue = MappingReader(n, context, allowed: ["capacity", "overflow"], what: "event_queue") {
            if let c = queue("capacity") { station.eventQueueCapacity = context.int(c, what: "capacity", in: 1...10_000_000) ?? station.eventQueueCapacity }
            if let o = queue("overflow"), let text = context.choice(o, what: "overflow", from: OverflowPolicy.allCases.map(\.rawValue)) {
                station.overflow = OverflowPolicy(rawValue: text) ?? station.overflow
            }
            queue.finish()
        }
        if let n = map("select_timeout") { station.selectTimeout = context.duration(n, what: "select_timeout", in: 0.1...3600) ?? station.selectTimeout }
        if let n = map("interrogation"), var gi = MappingReader(n, context, allowed: ["composite_schedule_refresh"], what: "interrogation") {
            if let r = gi("composite_schedule_refresh"), var refresh = MappingReader(r, context, allowed: ["enabled", "timeout"], what: "composite_schedule_refresh") {
                if let e = refresh("enabled") { station.compositeScheduleRefresh = context.bool(e, what: "enabled") ?? false }
                if let t = refresh("timeout") { station.compositeScheduleTimeout = context.duration(t, what: "timeout", in: 0.1...60) ?? 2 }
                refresh.finish()
            }
            gi.finish()
        }
        map.finish()
        return station
    }

    func decodeLink(_ node: Node) -> LinkParameters {
        var link = LinkParameters()
        guard var map = MappingReader(node, context, allowed: ["k", "w", "t0", "t1", "t2", "t3"], what: "link") else { return link }
        let k = map("k").flatMap { context.int($0, what: "k", in: 1...32767) }
        let w = map("w").flatMap { context.int($0, what: "w", in: 1...32767) }
        link.k = k ?? link.k
        link.w = w ?? link.w
        for (key, path) in [("t0", \LinkParameters.t0), ("t1", \.t1), ("t2", \.t2), ("t3", \.t3)] {
            if let n = map(key), let seconds = context.duration(n, what: key, in: 1...255) { link[keyPath: path] = seconds }
        }
        if link.w > link.k, let wNode = map("w") ?? map("k") {
            context.error("w (\(link.w)) must not exceed k (\(link.k))", at: wNode)
        } else if Double(link.w) > Double(link.k) * 2 / 3, let wNode = map("w") {
            context.warning("w (\(link.w)) above two thirds of k (\(link.k)); IEC 60870-5-104 recommends w ≤ 2k/3", at: wNode)
        }
        if link.t2 >= link.t1, let t2 = map("t2") ?? map("t1") {
            context.error("t2 (\(DecodeContext.format(link.t2))s) must be shorter than t1 (\(DecodeContext.format(link.t1))s)", at: t2)
        }
        map.finish()
        return link
    }

    func decodeCentralSystem(_ node: Node) -> CentralSystem? {
        let keys = ["listen", "unknown_chargers", "sanitizer", "timezone", "call_timeout", "fallback_subprotocol", "tls"]
        guard var map = MappingReader(node, context, allowed: keys, what: "ocpp") else { return nil }
        var ocpp = CentralSystem()
        if let n = map("listen") { ocpp.listen = address(n, what: "ocpp listen") ?? ocpp.listen }
        if let n = map("unknown_chargers"), let v = context.choice(n, what: "unknown_chargers", from: ["refuse", "accept"]) {
            ocpp.acceptUnknownChargers = v == "accept"
        }
        if let n = map("sanitizer"), let v = context.choice(n, what: "sanitizer", from: SanitizerPolicy.allCases.map(\.rawValue)) {
            ocpp.sanitizer = SanitizerPolicy(rawValue: v) ?? .lenient
        }
        if let n = map("timezone") { ocpp.timezone = timezone(n) ?? ocpp.timezone }
        if let n = map("call_timeout") { ocpp.callTimeout = context.duration(n, what: "call_timeout", in: 1...600) ?? ocpp.callTimeout }
        if let n = map("fallback_subprotocol"), let v = context.choice(n, what: "fallback_subprotocol", from: ["ocpp1.6", "ocpp2.0.1", "none"]) {
            ocpp.fallbackSubprotocol = v == "none" ? nil : v
        }
        if let n = map("tls") { ocpp.tls = decodeTLS(n) }
        map.finish()
        return ocpp
    }

    func decodeTLS(_ node: Node) -> CentralSystemTLS? {
        let keys = ["listen", "certificate", "private_key", "client_ca"]
        guard var map = MappingReader(node, context, allowed: keys, what: "ocpp.tls") else { return nil }
        var tls = CentralSystemTLS()
        if let n = map("listen") { tls.listen = address(n, what: "ocpp.tls listen") ?? tls.listen }
        let certificate = map("certificate").flatMap { filePath($0, what: "certificate") }
        let privateKey = map("private_key").flatMap { filePath($0, what: "private_key") }
        tls.clientCertificateAuthorities = map("client_ca").flatMap { filePath($0, what: "client_ca") }
        map.finish()
        guard let certificate, let privateKey else {
            context.error("ocpp.tls needs both 'certificate' and 'private_key' (PEM files)", at: node)
            return nil
        }
        tls.certificate = certificate
        tls.privateKey = privateKey
        return tls
    }

    /// A file path, resolved against the folder of the rule file that names it.
    func filePath(_ node: Node, what: String) -> String? {
        guard let text = context.string(node, what: what) else { return nil }
        guard !text.isEmpty else {
            context.error("\(what) must name a file", at: node)
            return nil
        }
        guard !text.hasPrefix("/") else { return text }
        let folder = context.file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder.isEmpty ? text : "\(folder)/\(text)"
    }

    func timezone(_ node: Node) -> String? {
        guard let text = context.string(node, what: "timezone") else { return nil }
        let valid = text == "UTC" || text.split(separator: "/").count >= 2 && text.allSatisfy { $0.isLetter || $0 == "/" || $0 == "_" || $0 == "-" || $0.isNumber || $0 == "+" }
        guard valid else {
            context.error("invalid timezone '\(text)'; expected an IANA zone such as 'Europe/Berlin' or 'UTC'", at: node)
            return nil
        }
        return text
    }

    func versions(_ node: Node) -> Located<[OCPPVersion]>? {
        var result: [OCPPVersion] = []
        for item in context.oneOrMany(node) {
            guard let version = Self.version(item) else {
                context.error("unknown OCPP version '\(item.scalar?.value ?? item.kindDescription)'; expected one of: \"1.6\", \"2.0.1\"", at: item)
                continue
            }
            if !result.contains(version) { result.append(version) }
        }
        if result.isEmpty { return nil }
        return Located(result.sorted(), at: context.location(node))
    }

    static func version(_ node: Node) -> OCPPVersion? {
        guard let scalar = node.scalar else { return nil }
        switch scalar.value {
        case "1.6": return .v16
        case "2.0.1": return .v201
        default: return nil
        }
    }
}

/// Syntax checks for IP address literals.
enum IPAddressSyntax {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 {
            return parts.allSatisfy { part in
                guard let n = Int(part), part.count <= 3, part.allSatisfy(\.isNumber) else { return false }
                return (0...255).contains(n)
            }
        }
        guard text.contains(":") else { return false }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        return groups.count >= 3 && groups.count <= 8 && text.ranges(of: "::").count <= 1
            && groups.allSatisfy { $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }
    }
}
