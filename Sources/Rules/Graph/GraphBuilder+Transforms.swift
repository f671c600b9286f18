/// What a transform chain needs to know about where it runs.
struct ChainContext {
    let charger: Charger
    let versions: [OCPPVersion]
    let measurand: String?
    let action: String
    let mapKeys: [String: SourceLocation]
}

extension GraphBuilder {
    /// Checks the chain step by step and resolves it; nil after an error.
    func resolveChain(_ steps: [Located<TransformStep>], from flow: inout Flow, context: ChainContext) -> [ResolvedStep]? {
        var resolved: [ResolvedStep] = []
        for step in steps {
            let here = step.location
            switch step.value {
            case .unit(let target):
                guard case .number(let current) = flow, let from = current else {
                    sink.error("'unit: \(target)' converts numbers with a unit; the value here is \(flow.description)", at: here)
                    return nil
                }
                guard let conversion = convert(from, to: target, charger: context.charger, at: here) else { return nil }
                resolved.append(.affine(scale: conversion.scale, offset: conversion.offset))
                flow = .number(target)
            case .derivePower:
                guard case .number(let current) = flow, let unit = current, let rate = unit.derivedRate else {
                    sink.error("'derive: power' needs an energy register (e.g. Energy.Active.Import.Register); the value here is \(flow.description)", at: here)
                    return nil
                }
                if let m = context.measurand, !OCPPCatalog.isRegister(m) {
                    sink.error("'derive: power' needs a cumulative register; '\(m)' is not one", at: here)
                    return nil
                }
                resolved.append(.derivePower(scale: 3600))
                flow = .number(rate)
            case .scale(let factor):
                guard isNumeric(flow) else { return notNumeric("scale", flow, here) }
                resolved.append(.affine(scale: factor, offset: 0))
                flow = scaledFlow(flow, scale: factor, offset: 0)
            case .offset(let amount):
                guard isNumeric(flow) else { return notNumeric("offset", flow, here) }
                resolved.append(.affine(scale: 1, offset: amount))
                flow = scaledFlow(flow, scale: 1, offset: amount)
            case .clamp(let low, let high):
                guard isNumeric(flow) else { return notNumeric("clamp", flow, here) }
                resolved.append(.clamp(low, high))
                if case .mapped(let values) = flow { flow = .mapped(Set(values.map { min(max($0, low), high) })) }
            case .deadband(let amount):
                guard isNumeric(flow) else { return notNumeric("deadband", flow, here) }
                resolved.append(.deadband(amount))
            case .deadbandPercent(let percent):
                guard isNumeric(flow) else { return notNumeric("deadband", flow, here) }
                resolved.append(.deadbandPercent(percent))
            case .minInterval(let seconds):
                resolved.append(.minInterval(seconds))
            case .map(let table, let fallback):
                guard let output = checkMap(table, fallback: fallback, flow: flow, context: context, at: here) else { return nil }
                resolved.append(.map(table, fallback: fallback))
                flow = output
            }
        }
        return resolved
    }

    private func isNumeric(_ flow: Flow) -> Bool {
        switch flow {
        case .number, .mapped: return true
        default: return false
        }
    }

    private func notNumeric(_ step: String, _ flow: Flow, _ location: SourceLocation) -> [ResolvedStep]? {
        sink.error("'\(step)' works on numbers; the value here is \(flow.description) (add a 'map' first)", at: location)
        return nil
    }

    private func scaledFlow(_ flow: Flow, scale: Double, offset: Double) -> Flow {
        if case .mapped(let values) = flow { return .mapped(Set(values.map { $0 * scale + offset })) }
        return flow
    }

    /// Unit conversion, including current ↔ power through the charger's voltage and phases.
    func convert(_ from: Unit, to target: Unit, charger: Charger, at location: SourceLocation) -> (scale: Double, offset: Double)? {
        if let same = from.conversion(to: target) { return same }
        let pair = (from.dimension, target.dimension)
        if pair == (.current, .power) || pair == (.power, .current) {
            guard let volts = charger.electrical.nominalVoltage, let phases = charger.electrical.phases else {
                sink.error("converting \(from) to \(target) needs the charger's electrical.nominal_voltage and electrical.phases (P = I·U·phases); charger '\(charger.id)' lacks them",
                           at: location, related: [RelatedLocation("charger '\(charger.id)' defined here", at: charger.location)])
                return nil
            }
            let watts = volts * Double(phases)
            if pair == (.current, .power) { return (from.factor * watts / target.factor, 0) }
            return (from.factor / (watts * target.factor), 0)
        }
        sink.error("cannot convert \(from) (\(from.dimension.rawValue)) to \(target) (\(target.dimension.rawValue))", at: location)
        return nil
    }

    private func checkMap(_ table: [String: MapValue], fallback: MapValue?, flow: Flow, context: ChainContext, at location: SourceLocation) -> Flow? {
        switch flow {
        case .status:
            let known = Set(OCPPCatalog.statuses.values.flatMap { $0 })
            for key in table.keys.sorted() where !known.contains(key) {
                var message = "'\(key)' is not a connector status of OCPP 1.6 or 2.0.1"
                if let s = Spelling.closest(to: key, in: Array(known)) { message += "; did you mean '\(s)'?" }
                sink.error(message, at: context.mapKeys[key] ?? location)
            }
        case .event:
            break
        default:
            sink.error("'map' turns status names or events into values; the value here is \(flow.description)", at: location)
            return nil
        }
        let values = Array(table.values) + (fallback.map { [$0] } ?? [])
        if values.allSatisfy({ if case .bool = $0 { return true } else { return false } }) { return .binary }
        if values.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
            return .mapped(Set(values.compactMap { if case .number(let n) = $0 { return n } else { return nil } }))
        }
        if values.allSatisfy({ if case .number = $0 { return false } else { return true } }) { return .doublePoint }
        sink.error("a map's values must all be of one kind: numbers, true/false, or double-point states (off/on/intermediate/indeterminate)", at: location)
        return nil
    }

    /// Checks that what the chain produces fits the target point's type and unit.
    func checkTarget(_ flow: Flow, point: Point, spec: PointSpec, source: SourceSpec, steps: [Located<TransformStep>]) -> Bool {
        let type = point.type
        let here = source.transform.last?.location ?? source.location
        switch type.valueKind {
        case .single:
            switch flow {
            case .binary, .event: return true
            case .mapped(let values) where values.isSubset(of: [0, 1]): return true
            case .status:
                sink.error("status names need a 'map' to become a single-point value, e.g. map: {Charging: true, \"*\": false}", at: here)
            default:
                sink.error("\(type) carries on/off; the rule yields \(flow.description)", at: here)
            }
            return false
        case .double:
            switch flow {
            case .doublePoint, .binary, .event: return true
            case .mapped(let values) where values.isSubset(of: [0, 1, 2, 3]): return true
            case .status:
                sink.error("status names need a 'map' to become a double-point state, e.g. map: {Available: off, Charging: on}", at: here)
            default:
                sink.error("\(type) carries a double-point state; the rule yields \(flow.description)", at: here)
            }
            return false
        case .normalized, .scaled, .float, .integratedTotal:
            let unit: Unit?
            switch flow {
            case .number(let u): unit = u
            case .mapped: unit = nil
            case .status:
                sink.error("\(type) carries a number; status names need a 'map' with numbers", at: here)
                return false
            default:
                sink.error("\(type) carries a number; the rule yields \(flow.description)", at: here)
                return false
            }
            if let unit {
                guard let pointUnit = point.unit else {
                    sink.error("the rule yields \(unit) but point '\(point.signal)' has no unit; add 'unit: \(unit)' to the point", at: spec.location)
                    return false
                }
                if pointUnit != unit {
                    sink.error("unit mismatch: the rule yields \(unit) but point '\(point.signal)' is in \(pointUnit); add a step '- unit: \(pointUnit)'", at: here,
                               related: [RelatedLocation("the point's unit is written here", at: spec.unit?.location ?? spec.location)])
                    return false
                }
            }
            if type.valueKind == .integratedTotal, let u = unit, ![.energy, .reactiveEnergy, .apparentEnergy].contains(u.dimension) {
                sink.error("\(type) is an integrated total (a counter); it needs energy, not \(u.dimension.rawValue)", at: here)
                return false
            }
            checkRangeFits(type: type, steps: steps, flow: flow, at: here)
            return true
        }
    }

    private func checkRangeFits(type: IECType, steps: [Located<TransformStep>], flow: Flow, at location: SourceLocation) {
        let limits: ClosedRange<Double>
        switch type.valueKind {
        case .scaled: limits = -32768...32767
        case .normalized: limits = -1...1
        default: return
        }
        if case .mapped(let values) = flow, values.allSatisfy(limits.contains) { return }
        let clamp = steps.last { if case .clamp = $0.value { return true } else { return false } }
        guard let clamp, case .clamp(let low, let high) = clamp.value else {
            sink.warning("\(type) holds \(DecodeContext.format(limits.lowerBound))…\(DecodeContext.format(limits.upperBound)); add a 'clamp' so out-of-range values are limited (and flagged OV) rather than wrapped", at: location)
            return
        }
        if low < limits.lowerBound || high > limits.upperBound {
            sink.error("clamp [\(DecodeContext.format(low)), \(DecodeContext.format(high))] exceeds what \(type) holds (\(DecodeContext.format(limits.lowerBound))…\(DecodeContext.format(limits.upperBound)))", at: clamp.location)
        }
    }
}
