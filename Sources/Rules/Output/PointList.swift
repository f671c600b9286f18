/// The signal list SCADA engineers import: one row per point.
public struct PointList {
    /// Column names, in order.
    public static let columns = [
        "ca", "ioa", "type", "type_id", "direction", "charger", "evse", "signal", "unit", "description",
        "gi", "groups", "counter_group", "source", "command",
    ]

    /// One row per point, ordered by CA and IOA.
    public let rows: [[String]]

    /// Builds the list from a graph.
    public init(_ graph: RuleGraph) {
        var sources: [Int: [String]] = [:]
        for rule in graph.monitorRules {
            sources[rule.target, default: []].append(Self.describe(rule))
        }
        var commands: [Int: String] = [:]
        for rule in graph.controlRules {
            commands[rule.point] = Self.describe(rule)
        }
        var aggregates: [Int: String] = [:]
        for aggregate in graph.aggregates {
            aggregates[aggregate.point] = "sum of \(aggregate.signal) over \(aggregate.members.count) points"
        }
        let order = graph.points.indices.sorted { graph.points[$0].address < graph.points[$1].address }
        rows = order.map { index in
            let p = graph.points[index]
            let charger: String
            switch p.owner {
            case .site: charger = ""
            case .charger(let c): charger = graph.chargers[c].id
            }
            return [
                String(p.address.ca), String(p.address.ioa), p.type.name, String(p.type.id), p.direction.rawValue,
                charger, p.evse.map(String.init) ?? "", p.signal, p.unit?.symbol ?? "", p.description,
                p.generalInterrogation ? "yes" : "no", p.groups.map(String.init).joined(separator: " "),
                p.counterGroup.map(String.init) ?? "",
                (sources[index] ?? []).joined(separator: "; ") + (aggregates[index] ?? ""),
                commands[index] ?? "",
            ]
        }
    }

    static func describe(_ rule: MonitorRule) -> String {
        var parts = [rule.action]
        let s = rule.selector
        if let m = s.measurand { parts.append(m) }
        if let p = s.phase { parts.append("phase=\(p)") }
        if let l = s.location { parts.append("location=\(l)") }
        if let e = s.evse { parts.append("evse=\(e)") }
        if let c = s.connector { parts.append("connector=\(c)") }
        if let c = s.component { parts.append("component=\(c)") }
        if let v = s.variable { parts.append("variable=\(v)") }
        if let v = s.vendorID { parts.append("vendor=\(v)") }
        if let m = s.messageID { parts.append("message=\(m)") }
        if rule.versions.count == 1 { parts.append("(\(rule.versions[0]))") }
        return parts.joined(separator: " ")
    }

    static func describe(_ rule: ControlRule) -> String {
        var text: String
        switch rule.action {
        case .setChargingProfile(let purposes, let stack, let unit, let evse, _):
            let purpose = Set(purposes.values).sorted().joined(separator: "/")
            text = "SetChargingProfile \(purpose) stack \(stack) in \(unit) evse \(evse)"
        case .clearChargingProfile: text = "ClearChargingProfile"
        case .changeAvailability: text = "ChangeAvailability"
        case .reset(let types): text = "Reset " + Set(types.values).sorted().joined(separator: "/")
        case .triggerMessage(let message): text = "TriggerMessage \(message)"
        case .distribute(let signal, let rules): text = "shared over \(rules.count) chargers' \(signal)"
        }
        if let r = rule.range { text += " range \(DecodeContext.format(r.lowerBound))…\(DecodeContext.format(r.upperBound))" }
        switch rule.selectBeforeOperate {
        case .always: text += " SBO always"
        case .aboveChange(let v, let percent): text += " SBO above \(DecodeContext.format(v))\(percent ? "%" : "")"
        case .never: break
        }
        return text
    }

    /// RFC 4180 CSV with a header row.
    public func csv() -> String {
        ([Self.columns] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || field.hasPrefix(" ") || field.hasSuffix(" ") else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }

    /// A JSON array of objects keyed by column; numbers stay numbers.
    public func json() -> String {
        let numeric: Set<String> = ["ca", "ioa", "type_id", "evse", "counter_group"]
        let objects = rows.map { row in
            var fields: [String] = []
            for (column, value) in zip(Self.columns, row) {
                let rendered: String
                if numeric.contains(column) { rendered = value.isEmpty ? "null" : value }
                else if column == "gi" { rendered = value == "yes" ? "true" : "false" }
                else { rendered = JSONText.quote(value) }
                fields.append("\"\(column)\": \(rendered)")
            }
            return "  {" + fields.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// An aligned plain-text table for terminals.
    public func table() -> String {
        let shown = ["ca", "ioa", "type", "type_id", "direction", "charger", "evse", "signal", "unit", "description"]
        let indexes = shown.compactMap { Self.columns.firstIndex(of: $0) }
        let all = [shown] + rows.map { row in indexes.map { row[$0] } }
        var widths = [Int](repeating: 0, count: shown.count)
        for row in all { for (i, field) in row.enumerated() { widths[i] = max(widths[i], field.count) } }
        return all.map { row in
            row.enumerated().map { i, field in field.padding(to: widths[i]) }.joined(separator: "  ").trailingSpacesTrimmed
        }.joined(separator: "\n") + "\n"
    }
}

/// Minimal JSON string quoting for hand-built output.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20: out += "\\u00" + (s.value < 0x10 ? "0" : "") + String(s.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    var trailingSpacesTrimmed: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
