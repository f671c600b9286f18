import IEC104
import OCPP
import Rules
import YAML

extension RuleTestParser {
    /// The keys naming what a step does; a step has exactly one (or none, to only move the clock).
    static let actionKeys = ["connect", "disconnect", "ocpp", "iec", "reply", "tick", "gi", "ci",
                             "expect_iec", "expect_ocpp", "no_iec", "no_ocpp"]
    /// The keys that modify a step.
    static let modifierKeys = ["at", "after", "partial", "refused"]
}

extension TestYAMLReader {
    /// One step; `clock` moves to the step's time.
    mutating func step(_ node: Node, number: Int, clock: inout EngineTime, start: EngineTime) -> TestStep? {
        guard let fields = mapping(node, what: "a step",
                                   allowed: RuleTestParser.actionKeys + RuleTestParser.modifierKeys) else { return nil }
        let time = stepTime(fields, node: node, clock: clock, start: start)
        clock = time
        let actions = fields.entries.filter { RuleTestParser.actionKeys.contains($0.key) }
        let partial = fields["partial"].flatMap { bool($0, what: "partial") } ?? false
        if let partialNode = fields["partial"], actions.first.map({ !$0.key.hasPrefix("expect_") }) ?? true {
            error("partial applies to expect_iec and expect_ocpp only", at: partialNode)
        }
        guard actions.count == 1, let (key, _, value) = actions.first else {
            if actions.isEmpty, fields["at"] != nil || fields["after"] != nil {
                return TestStep(number: number, location: location(node), time: time, action: .wait)
            }
            // A step whose only key was unknown has had its error already.
            if actions.isEmpty, fields.entries.count < node.mapping?.count ?? 0 { return nil }
            let found = actions.isEmpty ? "none" : actions.map(\.key).joined(separator: " and ")
            error("a step does exactly one of \(RuleTestParser.actionKeys.joined(separator: ", ")); found \(found)", at: node)
            return nil
        }
        guard var action = stepAction(key, value, partial: partial) else { return nil }
        if let refusedNode = fields["refused"] {
            // `refused:` beside `ocpp:` reads as well as inside it.
            guard case var .ocpp(message) = action else {
                error("refused applies to ocpp steps only", at: refusedNode)
                return nil
            }
            message.refusal = refusal(refusedNode)
            action = .ocpp(message)
        }
        return TestStep(number: number, location: location(node), time: time, action: action)
    }

    /// The step's time from `at:` (an instant, or a duration from the test's start) or `after:` (from the last step).
    private mutating func stepTime(_ fields: Fields, node: Node, clock: EngineTime, start: EngineTime) -> EngineTime {
        if let at = fields["at"], fields["after"] != nil {
            error("a step takes at: or after:, not both", at: at)
            return clock
        }
        if let after = fields["after"] {
            return duration(after, what: "after").map { clock + $0 } ?? clock
        }
        guard let at = fields["at"] else { return clock }
        let text = at.scalar?.value ?? ""
        guard let time = TestClock.instant(text) ?? TestClock.duration(text).map({ start + $0 }) else {
            error("at must be an RFC 3339 time (2026-01-01T00:00:05Z) or a duration from the test's start (5s)", at: at)
            return clock
        }
        guard time >= clock else {
            error("at \(TestClock.text(time)) is before the previous step (\(TestClock.text(clock))); time only moves forward",
                  at: at)
            return clock
        }
        return time
    }

    /// What the step's key and value say.
    private mutating func stepAction(_ key: String, _ value: Node, partial: Bool) -> StepAction? {
        switch key {
        case "connect": return connect(value)
        case "disconnect":
            if value.mapping != nil {
                guard let fields = mapping(value, what: "disconnect", allowed: ["charger"]) else { return nil }
                return chargerField(fields, in: value, what: "disconnect").map(StepAction.disconnect)
            }
            return text(value, what: "disconnect").map { .disconnect(ChargerReference(id: $0, location: location(value))) }
        case "ocpp": return incoming(value).map(StepAction.ocpp)
        case "iec": return command(value).map(StepAction.command)
        case "reply": return reply(value).map(StepAction.reply)
        case "tick":
            if !TestYAMLReader.isEmptyOptions(value) { error("tick takes no options: write tick: {}", at: value) }
            return .tick
        case "gi": return interrogation(value)
        case "ci": return counterInterrogation(value)
        case "expect_iec":
            let items = value.mapping != nil ? [value] : (list(value, what: "expect_iec") ?? [])
            return .expectIEC(items.compactMap { iecExpectation($0, what: "an expected IEC output") }, partial: partial)
        case "expect_ocpp":
            let items = value.mapping != nil ? [value] : (list(value, what: "expect_ocpp") ?? [])
            return .expectOCPP(items.compactMap { ocppExpectation($0, what: "an expected OCPP call", extra: []) }, partial: partial)
        case "no_iec", "no_ocpp":
            guard value.scalar?.bool == true else {
                error("\(key) takes true", at: value)
                return nil
            }
            return key == "no_iec" ? .noIEC : .noOCPP
        default: return nil
        }
    }

    /// `connect: CP001` or `connect: {charger: CP001, version: "1.6"}`.
    private mutating func connect(_ node: Node) -> StepAction? {
        guard node.mapping != nil else {
            return text(node, what: "connect").map { .connect(ChargerReference(id: $0, location: location(node)), version: nil) }
        }
        guard let fields = mapping(node, what: "connect", allowed: ["charger", "version"]),
              let charger = chargerField(fields, in: node, what: "connect") else { return nil }
        var version: Rules.OCPPVersion?
        if let versionNode = fields["version"], let written = text(versionNode, what: "version") {
            version = Rules.OCPPVersion(rawValue: written)
            if version == nil { error("version must be \"1.6\" or \"2.0.1\", found '\(written)'", at: versionNode) }
        }
        return .connect(charger, version: version)
    }

    /// The required `charger:` of a mapping.
    mutating func chargerField(_ fields: Fields, in node: Node, what: String) -> ChargerReference? {
        guard let chargerNode = fields["charger"] else {
            error("\(what) needs 'charger:'", at: node)
            return nil
        }
        return text(chargerNode, what: "charger").map { ChargerReference(id: $0, location: location(chargerNode)) }
    }

    /// `ocpp: {charger, action, payload, id, refused}`.
    private mutating func incoming(_ node: Node) -> IncomingMessage? {
        guard let fields = mapping(node, what: "ocpp", allowed: ["charger", "action", "payload", "id", "refused"]) else {
            return nil
        }
        let charger = chargerField(fields, in: node, what: "ocpp")
        guard let actionNode = fields["action"] else {
            error("ocpp needs 'action:' (e.g. MeterValues)", at: node)
            return nil
        }
        let action = string(actionNode, what: "action")
        let payload = fields["payload"].map { jsonObject($0, what: "payload") } ?? JSONObject()
        let messageID = fields["id"].flatMap { text($0, what: "id") }
        let expectedRefusal = fields["refused"].flatMap { refusal($0) }
        guard let charger, let action, let payload else { return nil }
        return IncomingMessage(charger: charger, action: action, payload: payload, messageID: messageID,
                               refusal: expectedRefusal)
    }

    /// `refused: true`, or words the CALLERROR must contain; `false` expects acceptance.
    private mutating func refusal(_ node: Node) -> ExpectedRefusal? {
        if let flag = node.scalar?.bool { return flag ? ExpectedRefusal(containing: nil) : nil }
        return string(node, what: "refused").map { ExpectedRefusal(containing: $0) }
    }

    /// `iec: {ioa | signal+charger+evse, type, value, select}`.
    private mutating func command(_ node: Node) -> IECCommandInput? {
        guard let fields = mapping(node, what: "iec", allowed: ["ioa", "signal", "charger", "evse", "type", "value", "select"])
        else { return nil }
        let point = pointReference(fields, in: node, what: "iec", required: true)
        var type: TypeID?
        if let typeNode = fields["type"], let found = typeID(typeNode) {
            if found.isCommand { type = found } else { error("iec sends commands; \(found) is not a command type", at: typeNode) }
        }
        guard let valueNode = fields["value"] else {
            error("iec needs 'value:' (a number, true/false, or on/off)", at: node)
            return nil
        }
        let value = commandValue(valueNode)
        let select = fields["select"].flatMap { bool($0, what: "select") } ?? false
        guard let point, let value else { return nil }
        return IECCommandInput(point: point, type: type, value: value, select: select)
    }

    /// A command value: a number, true/false, or a double-point state.
    private mutating func commandValue(_ node: Node) -> CommandValueInput? {
        if let flag = node.scalar?.bool { return .bool(flag) }
        if let number = node.scalar?.double { return .number(number) }
        if let text = node.scalar?.string, let state = DoublePointNames.state(text) { return .doublePoint(state) }
        error("value must be a number, true/false, or off/on/intermediate/indeterminate; found \(node.kindDescription)", at: node)
        return nil
    }

    /// `gi: {}` or `gi: {group: N, refresh: BOOL}`.
    private mutating func interrogation(_ node: Node) -> StepAction? {
        if TestYAMLReader.isEmptyOptions(node) { return .interrogation(group: nil, refresh: true) }
        guard let fields = mapping(node, what: "gi", allowed: ["group", "refresh"]) else { return nil }
        let group = fields["group"].flatMap { int($0, what: "group", in: 1...16) }
        let refresh = fields["refresh"].flatMap { bool($0, what: "refresh") } ?? true
        return .interrogation(group: group, refresh: refresh)
    }

    /// `ci: {}` or `ci: {group: N}`.
    private mutating func counterInterrogation(_ node: Node) -> StepAction? {
        if TestYAMLReader.isEmptyOptions(node) { return .counterInterrogation(group: nil) }
        guard let fields = mapping(node, what: "ci", allowed: ["group"]) else { return nil }
        return .counterInterrogation(group: fields["group"].flatMap { int($0, what: "group", in: 1...4) })
    }
}

/// The spellings of double-point states in test files.
enum DoublePointNames {
    /// The state named `off`, `on`, `intermediate` or `indeterminate`.
    static func state(_ text: String) -> DoublePointState? {
        switch text {
        case "off": .off
        case "on": .on
        case "intermediate": .intermediate
        case "indeterminate": .indeterminate
        default: nil
        }
    }

    /// The name of a state.
    static func name(_ state: DoublePointState) -> String {
        switch state {
        case .off: "off"
        case .on: "on"
        case .intermediate: "intermediate"
        case .indeterminate: "indeterminate"
        }
    }
}
