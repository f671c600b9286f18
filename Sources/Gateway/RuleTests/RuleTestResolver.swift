import Rules

/// Checks a parsed test file against its site: chargers exist, versions fit, points named by signal exist.
/// Points and command types come back resolved to IOAs and types, so the runner needs no lookups.
struct RuleTestResolver {
    let graph: RuleGraph
    private(set) var diagnostics: [Diagnostic] = []

    /// Creates a resolver for tests of `graph`.
    init(graph: RuleGraph) {
        self.graph = graph
    }

    /// The file with every reference resolved; check `diagnostics` before using it.
    mutating func resolve(_ file: RuleTestFile) -> RuleTestFile {
        var resolved = file
        for (index, test) in file.tests.enumerated() {
            for (position, ignored) in test.ignoreIEC.enumerated() {
                resolved.tests[index].ignoreIEC[position] = resolve(ignored)
            }
            for (position, ignored) in test.ignoreOCPP.enumerated() {
                resolved.tests[index].ignoreOCPP[position].match = resolve(ignored.match)
            }
            for (position, step) in test.steps.enumerated() {
                resolved.tests[index].steps[position].action = resolve(step.action, at: step.location)
            }
        }
        return resolved
    }

    private mutating func resolve(_ action: StepAction, at location: SourceLocation) -> StepAction {
        switch action {
        case let .connect(charger, version):
            guard let index = chargerIndex(charger) else { return action }
            let versions = graph.chargers[index].versions
            if let version {
                if !versions.contains(version) {
                    error("charger \(charger.id) speaks only \(versions.map(\.rawValue).joined(separator: " and "))", at: charger.location)
                }
                return action
            }
            guard versions.count == 1, let only = versions.first else {
                error("charger \(charger.id) speaks \(versions.map(\.rawValue).joined(separator: " and ")); say which with version:",
                      at: charger.location)
                return action
            }
            return .connect(charger, version: only)
        case let .disconnect(charger):
            _ = chargerIndex(charger)
            return action
        case let .ocpp(message):
            _ = chargerIndex(message.charger)
            return action
        case var .command(input):
            input.point = resolve(input.point, at: location)
            if input.type == nil, case let .ioa(ioa) = input.point {
                let address = PointAddress(ca: graph.station.commonAddress, ioa: ioa)
                if let point = graph.pointIndex[address].map({ graph.points[$0] }), point.direction == .control {
                    input.type = PointConversion.typeID(point.type)
                } else {
                    error("no command point at IOA \(ioa); give type: to send the command anyway", at: location)
                }
            }
            if let type = input.type {
                switch CommandBuilding.command(input.value, as: type) {
                case let .success(command): input.command = command
                case let .failure(problem): error(problem.message, at: location)
                }
            }
            return .command(input)
        case let .reply(input):
            if let charger = input.charger { _ = chargerIndex(ChargerReference(id: charger, location: location)) }
            return action
        case let .expectIEC(items, partial):
            var resolvedItems: [IECExpectation] = []
            for item in items { resolvedItems.append(resolve(item)) }
            return .expectIEC(resolvedItems, partial: partial)
        case let .expectOCPP(items, partial):
            var resolvedItems: [OCPPExpectation] = []
            for item in items { resolvedItems.append(resolve(item)) }
            return .expectOCPP(resolvedItems, partial: partial)
        case .wait, .tick, .interrogation, .counterInterrogation, .noIEC, .noOCPP:
            return action
        }
    }

    private mutating func resolve(_ expectation: IECExpectation) -> IECExpectation {
        var resolved = expectation
        resolved.point = expectation.point.map { resolve($0, at: expectation.location) }
        return resolved
    }

    private mutating func resolve(_ expectation: OCPPExpectation) -> OCPPExpectation {
        if let charger = expectation.charger { _ = chargerIndex(ChargerReference(id: charger, location: expectation.location)) }
        return expectation
    }

    /// The IOA of a point named by signal.
    private mutating func resolve(_ reference: PointReference, at location: SourceLocation) -> PointReference {
        guard case let .signal(signal, chargerID, evse) = reference else { return reference }
        var owner = PointOwner.site
        if let chargerID {
            guard let index = chargerIndex(ChargerReference(id: chargerID, location: location)) else { return reference }
            owner = .charger(index)
        }
        let named = graph.points.filter { $0.signal == signal && $0.owner == owner }
        let candidates = named.filter { evse == nil || $0.evse == evse }
        let whose = chargerID.map { "charger \($0)" } ?? "the site"
        guard candidates.count == 1, let point = candidates.first else {
            if candidates.isEmpty, !named.isEmpty, let evse {
                error("\(whose) has no \(signal) on EVSE \(evse)", at: location)
            } else if candidates.isEmpty {
                let signals = Array(Set(graph.points.filter { $0.owner == owner }.map(\.signal))).sorted()
                let hint = KeySpelling.closest(to: signal, among: signals).map { "; did you mean '\($0)'?" } ?? ""
                error("\(whose) has no point with signal '\(signal)'\(hint)", at: location)
            } else {
                let evses = candidates.compactMap(\.evse).map(String.init).joined(separator: ", ")
                error("\(whose) has \(signal) on EVSEs \(evses); say which with evse:", at: location)
            }
            return reference
        }
        return .ioa(point.address.ioa)
    }

    private mutating func chargerIndex(_ charger: ChargerReference) -> Int? {
        guard let index = graph.chargerIndex[charger.id] else {
            let hint = KeySpelling.closest(to: charger.id, among: graph.chargers.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
            error("the site has no charger '\(charger.id)'\(hint)", at: charger.location)
            return nil
        }
        return index
    }

    private mutating func error(_ message: String, at location: SourceLocation) {
        let diagnostic = Diagnostic(.error, message, at: location)
        if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }
}
