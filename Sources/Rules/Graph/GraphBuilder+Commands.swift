extension GraphBuilder {
    static let binaryActions: Set<String> = ["ClearChargingProfile", "ChangeAvailability", "Reset", "TriggerMessage"]

    mutating func resolveCommand(_ command: CommandSpec, point pointID: Int, owner: PointOwner) {
        let point = points[pointID]
        let charger: Charger?
        if case .charger(let c) = owner { charger = chargers[c] } else { charger = nil }

        let readback = command.readback.flatMap { resolveReadback($0, owner: owner, command: point) }
        checkSBO(command, point: point)
        if let range = command.range {
            if !point.type.isSetpoint {
                sink.error("'range' applies to set-points (C_SE_*), not \(point.type)", at: range.location)
            }
            checkSetpointRange(range, point: point, charger: charger)
        }
        if let fullScale = command.fullScale, point.type.valueKind != .normalized {
            sink.error("'full_scale' applies to normalized set-points (C_SE_NA_1, C_SE_TA_1)", at: fullScale.location)
        }
        if point.type.isSetpoint, point.type.valueKind == .normalized, command.fullScale == nil {
            sink.error("a normalized set-point (\(point.type)) needs 'full_scale': the value in \(point.unit?.symbol ?? "the point's unit") that 1.0 stands for", at: command.location)
        }

        if let target = command.distributeTo {
            guard owner == .site else { return }
            if let action = command.action {
                sink.error("a distributed site limit sends each charger's own action; remove 'action'", at: action.location)
            }
            controlByPoint[pointID] = controlRules.count
            controlRules.append(ControlRule(
                point: pointID, owner: owner, action: .distribute(signal: target.value, rules: []), versions: OCPPVersion.allCases,
                range: command.range?.value, fullScale: command.fullScale?.value, requireOnline: command.requireOnline,
                selectBeforeOperate: command.sbo, rateLimit: command.rateLimit, readback: readback, location: command.location
            ))
            return
        }
        guard let actionName = command.action else {
            sink.error(owner == .site ? "a site command needs 'distribute' (or an 'action')" : "a command needs an OCPP 'action' such as SetChargingProfile", at: command.location)
            return
        }
        guard let charger else {
            sink.error("a site command has no charger to send '\(actionName.value)' to; use 'distribute: {to: SIGNAL}'", at: actionName.location)
            return
        }
        let action = actionName.value
        guard let actionVersions = OCPPCatalog.commandActions[action] else {
            if OCPPCatalog.sourceActions[action] != nil {
                sink.error("'\(action)' is sent by chargers; a command must send a central-system action such as SetChargingProfile", at: actionName.location)
            } else {
                var message = "unknown OCPP action '\(action)' for a command"
                if let s = Spelling.closest(to: action, in: Array(OCPPCatalog.commandActions.keys)) { message += "; did you mean '\(s)'?" }
                sink.error(message, at: actionName.location)
            }
            return
        }
        let applicable = applicableVersions(command.ocpp, charger: charger)
        if applicable.isEmpty { return }
        let versions = applicable.filter(actionVersions.contains)
        guard !versions.isEmpty else {
            sink.error("\(action) does not exist in OCPP \(applicable.map(\.rawValue).joined(separator: " or "))", at: actionName.location)
            return
        }
        checkCommandKeys(command, action: action)
        guard let resolved = resolveAction(action, command: command, point: point, charger: charger, versions: versions, at: actionName.location) else { return }
        controlByPoint[pointID] = controlRules.count
        controlRules.append(ControlRule(
            point: pointID, owner: owner, action: resolved, versions: versions, range: command.range?.value,
            fullScale: command.fullScale?.value, requireOnline: command.requireOnline, selectBeforeOperate: command.sbo,
            rateLimit: command.rateLimit, readback: readback, location: command.location
        ))
    }

    private func checkCommandKeys(_ command: CommandSpec, action: String) {
        let belongs: [String: String] = ["profile": "SetChargingProfile", "message": "TriggerMessage", "reset_type": "Reset"]
        for key in command.keys {
            if let owner = belongs[key.value], owner != action {
                sink.error("'\(key.value)' belongs to \(owner) commands, not \(action)", at: key.location)
            }
        }
    }

    private func resolveAction(_ action: String, command: CommandSpec, point: Point, charger: Charger, versions: [OCPPVersion], at location: SourceLocation) -> ControlAction? {
        if action == "SetChargingProfile" {
            guard point.type.isSetpoint else {
                sink.error("SetChargingProfile sends a limit; it needs a set-point type (C_SE_NA_1, C_SE_NB_1, C_SE_NC_1 or their time-tagged forms), not \(point.type)", at: location)
                return nil
            }
            return resolveProfile(command, point: point, charger: charger, versions: versions)
        }
        guard point.type.isBinaryCommand else {
            sink.error("\(action) is switched on/off; it needs a single or double command (C_SC_NA_1, C_DC_NA_1, …), not \(point.type)", at: location)
            return nil
        }
        switch action {
        case "ClearChargingProfile": return .clearChargingProfile
        case "ChangeAvailability": return .changeAvailability
        case "TriggerMessage":
            guard let message = command.message?.value else {
                sink.error("TriggerMessage needs 'message' (\(OCPPCatalog.triggerMessages.joined(separator: ", ")))", at: command.location)
                return nil
            }
            return .triggerMessage(message)
        default:
            var types: [OCPPVersion: String] = [:]
            for version in versions {
                let allowed = OCPPCatalog.resetTypes[version] ?? []
                if let requested = command.resetType {
                    if allowed.contains(requested.value) { types[version] = requested.value }
                    else { sink.error("reset_type '\(requested.value)' does not exist in OCPP \(version) (\(allowed.joined(separator: ", ")))", at: requested.location) }
                } else {
                    types[version] = version == .v16 ? "Soft" : "OnIdle"
                }
            }
            return .reset(types)
        }
    }

    private func resolveProfile(_ command: CommandSpec, point: Point, charger: Charger, versions: [OCPPVersion]) -> ControlAction? {
        let profile = command.profile ?? ProfileSpec()
        let here = command.profileLocation ?? command.location
        var purposes: [OCPPVersion: String] = [:]
        var ok = true
        for version in versions {
            let allowed = OCPPCatalog.purposes[version] ?? []
            let chosen = profile.purposeByVersion[version] ?? profile.purpose
            guard let chosen else {
                if profile.purposeByVersion.isEmpty {
                    purposes[version] = OCPPCatalog.defaultPurpose[version]
                } else {
                    sink.error("no purpose for OCPP \(version), which charger '\(charger.id)' may use", at: here)
                    ok = false
                }
                continue
            }
            guard allowed.contains(chosen.value) else {
                var message = "purpose '\(chosen.value)' does not exist in OCPP \(version); it has \(allowed.joined(separator: ", "))"
                if let s = Spelling.closest(to: chosen.value, in: allowed) { message += "; did you mean '\(s)'?" }
                sink.error(message, at: chosen.location)
                ok = false
                continue
            }
            purposes[version] = chosen.value
        }
        let evse = profile.evse?.value ?? 0
        if evse != 0, !charger.evses.contains(where: { $0.id == evse }), let loc = profile.evse?.location {
            sink.error("EVSE \(evse) does not exist on charger '\(charger.id)'", at: loc)
            ok = false
        }
        if evse != 0, purposes.values.contains(where: { $0.hasSuffix("MaxProfile") }), let loc = profile.evse?.location {
            sink.error("a charger-wide maximum profile (ChargePointMaxProfile/ChargingStationMaxProfile) must target evse 0", at: loc)
            ok = false
        }
        if purposes.values.contains("TxProfile") {
            sink.warning("TxProfile only applies to a running transaction; chargers reject it when idle (TxDefaultProfile applies to future ones too)", at: here)
        }
        guard let unit = point.unit else {
            sink.error("a limit point needs a 'unit' (W, kW or A) so the limit can be converted for the charger", at: command.location)
            return nil
        }
        guard [.power, .current].contains(unit.dimension) else {
            sink.error("a charging limit is power or current; point '\(point.signal)' is in \(unit)", at: command.location)
            return nil
        }
        let rateUnit = profile.rateUnit?.value ?? "W"
        guard let target = Unit.named(rateUnit),
              let factor = convert(unit, to: target, charger: charger, at: profile.rateUnit?.location ?? here) else { return nil }
        guard ok else { return nil }
        return .setChargingProfile(purpose: purposes, stackLevel: profile.stackLevel, rateUnit: rateUnit, evse: evse, factor: factor.scale)
    }

    private func checkSBO(_ command: CommandSpec, point: Point) {
        guard case .aboveChange(let amount, let percent) = command.sbo else { return }
        if !point.type.isSetpoint, let key = command.keys.first(where: { $0.value == "select_before_operate" }) {
            sink.error("'above_change' compares set-point values; use 'always' or 'never' for \(point.type)", at: key.location)
        }
        if !percent, let range = command.range?.value, amount > range.upperBound - range.lowerBound,
           let key = command.keys.first(where: { $0.value == "select_before_operate" }) {
            sink.warning("above_change \(DecodeContext.format(amount)) is larger than the whole range; select-before-operate would never be required", at: key.location)
        }
    }

    private func checkSetpointRange(_ range: Located<ClosedRange<Double>>, point: Point, charger: Charger?) {
        switch point.type.valueKind {
        case .scaled where range.value.lowerBound < -32768 || range.value.upperBound > 32767:
            sink.error("range exceeds what \(point.type) holds (−32768…32767)", at: range.location)
        case .normalized where range.value.lowerBound < -1 || range.value.upperBound > 1:
            sink.error("range of a normalized set-point is a fraction of full_scale, within −1…1", at: range.location)
        default: break
        }
        if range.value.lowerBound < 0, point.unit.map({ [.power, .current].contains($0.dimension) }) == true {
            sink.error("a charging limit cannot be negative", at: range.location)
        }
        guard let charger, let maxKW = charger.electrical.maxPowerKW, let unit = point.unit, unit.dimension == .power,
              point.type.valueKind != .normalized, let kW = Unit.named("kW"), let c = unit.conversion(to: kW) else { return }
        let upperKW = range.value.upperBound * c.scale + c.offset
        if upperKW > maxKW * 1.0001 {
            sink.warning("range up to \(DecodeContext.format(range.value.upperBound)) \(unit) exceeds charger '\(charger.id)' max_power_kw \(DecodeContext.format(maxKW))", at: range.location)
        }
    }

    private func resolveReadback(_ readback: Located<String>, owner: PointOwner, command: Point) -> Int? {
        let candidates = signals[owner]?[readback.value] ?? []
        guard let index = candidates.first(where: { points[$0].evse == command.evse }) ?? candidates.first else {
            let known = (signals[owner] ?? [:]).keys.filter { key in
                signals[owner]?[key]?.contains { points[$0].direction == .monitor } ?? false
            }
            var message = "readback '\(readback.value)' names no point of \(owner == .site ? "the site" : "this charger")"
            if let s = Spelling.closest(to: readback.value, in: Array(known)) { message += "; did you mean '\(s)'?" }
            sink.error(message, at: readback.location)
            return nil
        }
        let target = points[index]
        guard target.direction == .monitor, [.float, .scaled, .normalized].contains(target.type.valueKind) else {
            sink.error("readback '\(readback.value)' must be a measured-value monitor point (M_ME_*), not \(target.type)", at: readback.location)
            return nil
        }
        if let a = target.unit, let b = command.unit, a != b {
            sink.warning("readback '\(readback.value)' is in \(a) while the command is in \(b)", at: readback.location)
        }
        return index
    }
}
