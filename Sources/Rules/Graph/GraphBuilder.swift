/// Resolves the fragments of one site into a `RuleGraph`: merges files, expands templates and
/// charger ranges, places points, checks every reference and builds the runtime indexes.
struct GraphBuilder {
    let sink: DiagnosticSink
    let fragments: [Fragment]

    var station = Station()
    var centralSystem = CentralSystem()
    var siteName = "site"
    var templates: [String: TemplateSpec] = [:]
    var chargers: [Charger] = []
    var points: [Point] = []
    /// Each written point once (a template's points are shared by all its chargers).
    var specs: [PointSpec] = []
    var specBySerial: [Int: Int] = [:]
    /// For each point, its entry in `specs`.
    var specOfPoint: [Int] = []
    /// Resolved monitor rules per written source and charger traits, so a template's rules are checked once.
    var resolvedSources: [SourceMemoKey: ResolvedSource] = [:]
    var chargerTraits: [ChargerTraits: Int] = [:]
    var monitorRules: [MonitorRule] = []
    var controlRules: [ControlRule] = []
    var aggregates: [Aggregate] = []

    var chargerIndex: [String: Int] = [:]
    var pointIndex: [PointAddress: Int] = [:]
    /// Points of one owner by signal, for readbacks, aggregates and distribution.
    var signals: [PointOwner: [String: [Int]]] = [:]
    var controlByPoint: [Int: Int] = [:]
    var overlaps: [OverlapKey: (first: PointAddress, count: Int, location: SourceLocation, other: SourceLocation)] = [:]
    var overlapOrder: [OverlapKey] = []

    struct OverlapKey: Hashable {
        var charger: Int
        var other: PointOwner
    }

    /// The written spec of a placed point.
    func spec(of point: Int) -> PointSpec {
        specs[specOfPoint[point]]
    }

    init(fragments: [Fragment], sink: DiagnosticSink) {
        self.fragments = fragments
        self.sink = sink
    }

    mutating func build() -> RuleGraph? {
        let errorsBefore = sink.errorCount
        mergeRoot()
        collectTemplates()
        expandChargers()
        placeSitePoints()
        reportOverlaps()
        resolveChargerRules()
        resolveSiteRules()
        guard sink.errorCount == errorsBefore else { return nil }
        return makeGraph()
    }

    private mutating func mergeRoot() {
        guard let root = fragments.first else { return }
        if let s = root.station { station = s }
        if let o = root.ocpp { centralSystem = o }
        if let n = root.siteName { siteName = n }
        for fragment in fragments.dropFirst() {
            for key in fragment.rootOnlyKeys {
                sink.error("'\(key.value)' may only appear in the site's root file \(root.file)", at: key.location)
            }
        }
    }

    private mutating func collectTemplates() {
        for fragment in fragments {
            for template in fragment.templates {
                if let first = templates[template.name.value] {
                    sink.error("template '\(template.name.value)' is defined twice", at: template.name.location,
                               related: [RelatedLocation("first defined here", at: first.name.location)])
                    continue
                }
                templates[template.name.value] = template
            }
        }
    }

    /// The template's body overridden by the charger's own keys.
    private func resolvedBody(_ spec: ChargerSpec) -> ChargerBody? {
        guard let name = spec.template else { return spec.body }
        guard let template = templates[name.value] else {
            var message = "unknown template '\(name.value)'"
            if let suggestion = Spelling.closest(to: name.value, in: Array(templates.keys)) { message += "; did you mean '\(suggestion)'?" }
            else if !templates.isEmpty { message += "; templates are " + templates.keys.sorted().joined(separator: ", ") }
            sink.error(message, at: name.location)
            return nil
        }
        var body = template.body
        let own = spec.body
        body.description = own.description ?? body.description
        body.ocpp = own.ocpp ?? body.ocpp
        body.evses = own.evses ?? body.evses
        if let e = own.electrical {
            body.electrical = (body.electrical ?? Electrical()).overridden(by: e)
            body.electricalLocation = own.electricalLocation
        }
        body.sanitizer = own.sanitizer ?? body.sanitizer
        body.securityProfile = own.securityProfile ?? body.securityProfile
        body.timezone = own.timezone ?? body.timezone
        body.points += own.points
        return body
    }

    private mutating func expandChargers() {
        for fragment in fragments {
            for spec in fragment.chargers {
                guard let body = resolvedBody(spec) else { continue }
                if let count = spec.count?.value {
                    guard let numbering = ChargerNumbering.parse(spec.id.value) else { continue }
                    for n in spec.first..<(spec.first + count) {
                        addCharger(id: numbering.id(n), spec: spec, body: body, ordinal: n - spec.first)
                    }
                } else {
                    addCharger(id: spec.id.value, spec: spec, body: body, ordinal: nil)
                }
            }
        }
    }

    private mutating func addCharger(id: String, spec: ChargerSpec, body: ChargerBody, ordinal: Int?) {
        if let existing = chargerIndex[id] {
            sink.error("charger '\(id)' is defined twice", at: spec.id.location,
                       related: [RelatedLocation("first defined here", at: chargers[existing].location)])
            return
        }
        if id.count > 48 {
            sink.error("charger id '\(id)' is longer than 48 characters", at: spec.id.location)
            return
        }
        let index = chargers.count
        let ca = spec.commonAddress?.value ?? station.commonAddress
        var base: Int?
        if let b = spec.ioaBase?.value {
            base = b + (ordinal ?? 0) * (spec.ioaStride?.value ?? 0)
        }
        var pointIDs: [Int] = []
        for point in body.points {
            if let id = placePoint(point, owner: .charger(index), ca: ca, base: base, chargerID: id, ownerLocation: spec.location, evses: body.evses?.value ?? [EVSE(id: 1, connectors: 1)]) {
                pointIDs.append(id)
            }
        }
        chargers.append(Charger(
            id: id,
            versions: body.ocpp?.value ?? OCPPVersion.allCases,
            evses: body.evses?.value ?? [EVSE(id: 1, connectors: 1)],
            electrical: body.electrical ?? Electrical(),
            sanitizer: body.sanitizer ?? centralSystem.sanitizer,
            securityProfile: body.securityProfile ?? 0,
            timezone: body.timezone ?? centralSystem.timezone,
            credentials: spec.credentials?.value,
            template: spec.template?.value,
            commonAddress: ca,
            points: pointIDs,
            location: spec.location
        ))
        chargerIndex[id] = index
    }

    private mutating func placeSitePoints() {
        for fragment in fragments {
            for point in fragment.sitePoints {
                _ = placePoint(point, owner: .site, ca: station.commonAddress, base: nil, chargerID: nil, ownerLocation: point.location, evses: [])
            }
        }
    }

    /// Gives a point its address and records it; nil when it cannot be placed.
    private mutating func placePoint(_ spec: PointSpec, owner: PointOwner, ca: Int, base: Int?, chargerID: String?, ownerLocation: SourceLocation, evses: [EVSE]) -> Int? {
        let ioa: Int
        if let absolute = spec.ioa?.value {
            ioa = absolute
        } else if let offset = spec.offset {
            guard let base else {
                sink.error("point '\(spec.signal.value)' is placed by offset but charger '\(chargerID ?? "")' has no 'ioa_base'", at: ownerLocation,
                           related: [RelatedLocation("the point is defined here", at: offset.location)])
                return nil
            }
            ioa = base + offset.value
            guard (1...16_777_215).contains(ioa) else {
                sink.error("IOA \(ioa) of '\(spec.signal.value)' (ioa_base \(base) + offset \(offset.value)) is out of range 1…16777215 for charger '\(chargerID ?? "")'", at: ownerLocation,
                           related: [RelatedLocation("offset written here", at: offset.location)])
                return nil
            }
        } else {
            return nil
        }
        if let evse = spec.evse, owner != .site, evse.value != 0, !evses.contains(where: { $0.id == evse.value }) {
            sink.error("EVSE \(evse.value) does not exist on charger '\(chargerID ?? "")' (it has \(evses.map { String($0.id) }.joined(separator: ", ")))", at: evse.location,
                       related: [RelatedLocation("charger defined here", at: ownerLocation)])
        }
        let key = spec.signal.value
        let evse = spec.evse?.value
        if let same = signals[owner]?[key]?.first(where: { points[$0].evse == evse }) {
            let whose = chargerID.map { "charger '\($0)'" } ?? "the site"
            sink.error("signal '\(key)'\(evse.map { " (EVSE \($0))" } ?? "") is defined twice for \(whose)", at: spec.signal.location,
                       related: [RelatedLocation("first defined here", at: points[same].location)])
            return nil
        }
        let address = PointAddress(ca: ca, ioa: ioa)
        if let clash = pointIndex[address] {
            recordClash(new: spec, owner: owner, ownerLocation: ownerLocation, address: address, existing: clash)
            return nil
        }
        let type = spec.type.value
        let description = spec.description
            .replacingAll("{charger}", with: chargerID ?? "site")
            .replacingAll("{evse}", with: evse.map(String.init) ?? "")
        let defaultGI = type.direction == .monitor && type.valueKind != .integratedTotal
        let point = Point(
            address: address, type: type, signal: key, owner: owner, evse: evse, unit: spec.unit?.value,
            description: description, generalInterrogation: spec.gi?.value ?? defaultGI, groups: spec.groups,
            counterGroup: spec.counterGroup?.value, staleAfter: spec.staleAfter, onDisconnect: spec.onDisconnect,
            location: spec.location
        )
        let index = points.count
        points.append(point)
        if let known = specBySerial[spec.serial] {
            specOfPoint.append(known)
        } else {
            specBySerial[spec.serial] = specs.count
            specOfPoint.append(specs.count)
            specs.append(spec)
        }
        pointIndex[address] = index
        signals[owner, default: [:]][key, default: []].append(index)
        return index
    }

    private mutating func recordClash(new spec: PointSpec, owner: PointOwner, ownerLocation: SourceLocation, address: PointAddress, existing: Int) {
        let other = points[existing]
        let kinds = spec.type.value.direction != other.direction ? " (a \(spec.type.value.direction.rawValue) and a \(other.direction.rawValue) point may not share an address)" : ""
        guard case .charger(let charger) = owner, other.owner != owner else {
            sink.error("duplicate IOA \(address.ioa) at CA \(address.ca): '\(spec.signal.value)' and '\(other.signal)'\(kinds)", at: spec.ioa?.location ?? spec.location,
                       related: [RelatedLocation("'\(other.signal)' has this address", at: other.owner == owner ? other.location : ownerOf(other))])
            return
        }
        let key = OverlapKey(charger: charger, other: other.owner)
        if var entry = overlaps[key] {
            entry.count += 1
            overlaps[key] = entry
        } else {
            overlaps[key] = (address, 1, spec.ioa?.location ?? ownerLocation, ownerOf(other))
            overlapOrder.append(key)
        }
    }

    /// Where a point's owner is defined, the natural place to point at for address problems.
    func ownerOf(_ point: Point) -> SourceLocation {
        switch point.owner {
        case .site: return point.location
        case .charger(let c): return c < chargers.count ? chargers[c].location : point.location
        }
    }

    private func ownerName(_ owner: PointOwner) -> String {
        switch owner {
        case .site: return "the site points"
        case .charger(let c): return "charger '\(c < chargers.count ? chargers[c].id : "?")'"
        }
    }

    private mutating func reportOverlaps() {
        for key in overlapOrder {
            guard let entry = overlaps[key] else { continue }
            let name = key.charger < chargers.count ? chargers[key.charger].id : "?"
            let more = entry.count > 1 ? " and \(entry.count - 1) more" : ""
            sink.error("duplicate IOA: the point block of charger '\(name)' overlaps \(ownerName(key.other)) at CA \(entry.first.ca), IOA \(entry.first.ioa)\(more)",
                       at: entry.location, related: [RelatedLocation("\(ownerName(key.other)) defined here", at: entry.other)])
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
