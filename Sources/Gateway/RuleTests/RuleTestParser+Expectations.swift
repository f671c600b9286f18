import IEC104
import OCPP
import Rules
import YAML

extension TestYAMLReader {
    /// The keys of an expected IEC output.
    static let iecExpectationKeys = ["ioa", "signal", "charger", "evse", "type", "value", "tolerance", "quality", "cot",
                                     "time", "confirm", "select", "reason"]
    /// The keys of an expected OCPP call.
    static let ocppExpectationKeys = ["call", "charger", "action", "payload"]
    /// The keys of an answer.
    static let outcomeKeys = ["status", "payload", "error", "description", "timeout", "disconnected"]

    /// A point named by `ioa:`, or by `signal:` with `charger:` (absent for site points) and `evse:`.
    mutating func pointReference(_ fields: Fields, in node: Node, what: String, required: Bool) -> PointReference? {
        let charger = fields["charger"].flatMap { text($0, what: "charger") }
        let evse = fields["evse"].flatMap { int($0, what: "evse", in: 0...1000) }
        if let ioaNode = fields["ioa"] {
            if fields["signal"] != nil { error("name the point by ioa or by signal, not both", at: ioaNode) }
            return int(ioaNode, what: "ioa", in: 1...16_777_215).map(PointReference.ioa)
        }
        if let signalNode = fields["signal"] {
            return string(signalNode, what: "signal").map { .signal($0, charger: charger, evse: evse) }
        }
        if required { error("\(what) needs the point: 'ioa:', or 'signal:' (with 'charger:' for a charger's point)", at: node) }
        return nil
    }

    /// An IEC type by name (`M_ME_TF_1`) or number (`36`).
    mutating func typeID(_ node: Node) -> TypeID? {
        if let number = node.scalar?.int {
            guard let type = UInt8(exactly: number).flatMap(TypeID.init(rawValue:)) else {
                error("unknown IEC type \(number)", at: node)
                return nil
            }
            return type
        }
        guard let name = string(node, what: "type") else { return nil }
        guard let type = TypeID.allCases.first(where: { "\($0)" == name }) else {
            let hint = KeySpelling.closest(to: name, among: TypeID.allCases.map { "\($0)" }).map { "; did you mean '\($0)'?" } ?? ""
            error("unknown IEC type '\(name)'\(hint)", at: node)
            return nil
        }
        return type
    }

    /// A list of expected IEC outputs.
    mutating func iecExpectations(_ node: Node, what: String) -> [IECExpectation] {
        let items = node.mapping != nil ? [node] : (list(node, what: what) ?? [])
        return items.compactMap { iecExpectation($0, what: "an item of \(what)") }
    }

    /// One expected IEC output: an ASDU, or with `confirm:` a command's confirmation.
    mutating func iecExpectation(_ node: Node, what: String) -> IECExpectation? {
        guard let fields = mapping(node, what: what, allowed: Self.iecExpectationKeys) else { return nil }
        var expected = IECExpectation(location: location(node))
        expected.point = pointReference(fields, in: node, what: what, required: false)
        expected.type = fields["type"].flatMap { typeID($0) }
        if let valueNode = fields["value"] { expected.value = expectedValue(valueNode) }
        expected.tolerance = fields["tolerance"].flatMap { number($0, what: "tolerance") }
        if let qualityNode = fields["quality"] { expected.quality = quality(qualityNode) }
        expected.cot = fields["cot"].flatMap { int($0, what: "cot", in: 1...63) }
        expected.time = fields["time"].flatMap { instantOrNil($0, what: "time") }.map(TestClock.milliseconds)
        if let confirmNode = fields["confirm"], let word = string(confirmNode, what: "confirm") {
            switch word {
            case "positive": expected.confirm = true
            case "negative": expected.confirm = false
            default: error("confirm must be positive or negative, found '\(word)'", at: confirmNode)
            }
        }
        expected.select = fields["select"].flatMap { bool($0, what: "select") }
        expected.reason = fields["reason"].flatMap { string($0, what: "reason") }
        for key in ["select", "reason"] where expected.confirm == nil {
            if let keyNode = fields[key] { error("\(key) applies to confirmations (with confirm:) only", at: keyNode) }
        }
        if expected.confirm != nil {
            for key in ["value", "quality", "time", "tolerance"] {
                if let keyNode = fields[key] { error("a confirmation has no \(key)", at: keyNode) }
            }
        }
        return expected
    }

    /// An expected value: a number, true/false, or a double-point state.
    private mutating func expectedValue(_ node: Node) -> ExpectedValue? {
        if let flag = node.scalar?.bool { return .bool(flag) }
        if let number = node.scalar?.double { return .number(number) }
        if let text = node.scalar?.string, let state = DoublePointNames.state(text) { return .doublePoint(state) }
        error("value must be a number, true/false, or off/on/intermediate/indeterminate; found \(node.kindDescription)", at: node)
        return nil
    }

    /// Quality flags: a list of IV, NT, OV, SB, BL (`[]` is good).
    private mutating func quality(_ node: Node) -> QualityDescriptor? {
        guard let items = list(node, what: "quality") else { return nil }
        var flags: QualityDescriptor = []
        for item in items {
            guard let name = string(item, what: "a quality flag") else { continue }
            guard let flag = QualityNames.flag(name) else {
                error("unknown quality flag '\(name)'; use IV, NT, OV, SB, BL", at: item)
                continue
            }
            flags.insert(flag)
        }
        return flags
    }

    /// One expected OCPP call (`extra` keys are read by the caller).
    mutating func ocppExpectation(_ node: Node, what: String, extra: [String]) -> OCPPExpectation? {
        guard let fields = mapping(node, what: what, allowed: Self.ocppExpectationKeys + extra) else { return nil }
        var expected = OCPPExpectation(location: location(node))
        expected.call = fields["call"].flatMap { int($0, what: "call", in: 1...Int.max) }
        expected.charger = fields["charger"].flatMap { text($0, what: "charger") }
        expected.action = fields["action"].flatMap { string($0, what: "action") }
        if let payloadNode = fields["payload"] { expected.payload = jsonObject(payloadNode, what: "payload") }
        return expected
    }

    /// `ignore_ocpp:` items: calls to leave alone, each optionally answered at once with `reply:`.
    mutating func ignoredCalls(_ node: Node) -> [IgnoredCall] {
        let items = node.mapping != nil ? [node] : (list(node, what: "ignore_ocpp") ?? [])
        return items.compactMap { item -> IgnoredCall? in
            guard let match = ocppExpectation(item, what: "an item of ignore_ocpp", extra: ["reply"]) else { return nil }
            var reply: ReplyOutcome?
            if let replyNode = item.mapping?.first(where: { $0.key.scalar?.value == "reply" })?.value {
                reply = outcome(replyNode, what: "reply")
            }
            return IgnoredCall(match: match, reply: reply)
        }
    }

    /// `reply: Accepted`, `reply: timeout`, or `reply: {call, charger, action, status, payload, error, …}`.
    mutating func reply(_ node: Node) -> ReplyInput? {
        guard node.mapping != nil else {
            return outcome(node, what: "reply").map { ReplyInput(call: nil, charger: nil, action: nil, outcome: $0) }
        }
        guard let fields = mapping(node, what: "reply", allowed: ["call", "charger", "action"] + Self.outcomeKeys),
              let outcome = outcome(fields, in: node, what: "reply") else { return nil }
        return ReplyInput(call: fields["call"].flatMap { int($0, what: "call", in: 1...Int.max) },
                          charger: fields["charger"].flatMap { text($0, what: "charger") },
                          action: fields["action"].flatMap { string($0, what: "action") }, outcome: outcome)
    }

    /// An answer written alone: a status word, `timeout`, `disconnected`, or a mapping of outcome keys.
    private mutating func outcome(_ node: Node, what: String) -> ReplyOutcome? {
        if node.mapping != nil {
            guard let fields = mapping(node, what: what, allowed: Self.outcomeKeys) else { return nil }
            return outcome(fields, in: node, what: what)
        }
        guard let word = string(node, what: what) else { return nil }
        switch word {
        case "timeout": return .timeout
        case "disconnected": return .disconnected
        default: return .result(JSONObject(["status": .string(word)]))
        }
    }

    /// The answer given by `status`/`payload`, `error`(+`description`), `timeout: true` or `disconnected: true`.
    private mutating func outcome(_ fields: Fields, in node: Node, what: String) -> ReplyOutcome? {
        let kinds = ["status", "payload", "error", "timeout", "disconnected"].filter { fields[$0] != nil }
        let mixed = kinds.contains { $0 != "status" && $0 != "payload" } && kinds.count > 1
        guard !kinds.isEmpty, !mixed else {
            error("\(what) answers with status:/payload:, error:, timeout: true or disconnected: true (one of them)", at: node)
            return nil
        }
        if let errorNode = fields["error"] {
            guard let code = string(errorNode, what: "error") else { return nil }
            let description = fields["description"].flatMap { string($0, what: "description") } ?? ""
            return .callError(code: code, description: description)
        }
        if let descriptionNode = fields["description"] { error("description goes with error:", at: descriptionNode) }
        for key in ["timeout", "disconnected"] {
            guard let flagNode = fields[key] else { continue }
            guard flagNode.scalar?.bool == true else {
                error("\(key) takes true", at: flagNode)
                return nil
            }
            return key == "timeout" ? .timeout : .disconnected
        }
        var payload = fields["payload"].flatMap { jsonObject($0, what: "payload") } ?? JSONObject()
        if let statusNode = fields["status"], let status = string(statusNode, what: "status") { payload["status"] = .string(status) }
        return .result(payload)
    }
}

/// The spellings of quality flags in test files and reports.
enum QualityNames {
    /// Flags in report order.
    static let all: [(String, QualityDescriptor)] = [("IV", .invalid), ("NT", .notTopical), ("SB", .substituted),
                                                      ("BL", .blocked), ("OV", .overflow)]

    /// The flag of a name.
    static func flag(_ name: String) -> QualityDescriptor? { all.first { $0.0 == name }?.1 }

    /// `[IV, NT]`.
    static func text(_ quality: QualityDescriptor) -> String {
        "[" + all.filter { quality.contains($0.1) }.map(\.0).joined(separator: ", ") + "]"
    }
}
