// Meter values: 1.6 strings sanitized, 2.0.1 numbers scaled by their multiplier, every default applied.
extension Normalizer {
    /// The samples in `key` of `parent` (`meterValue`, `transactionData`); one object instead of an array is repaired.
    static func samples(
        _ reader: inout PayloadReader, _ parent: Node, _ key: StaticString, version: OCPPVersion, required: Bool
    ) throws(NormalizationError) -> [MeterSample] {
        let found = required ? try reader.required(parent, key) : try reader.optional(parent, key)
        guard let list = found else { return [] }
        if list.value.arrayValue == nil, list.value.objectValue != nil {
            try reader.record(.objectWhereArrayBelongs, at: list)
            return [try sample(&reader, list, version: version)]
        }
        let entries = try reader.array(list, "an array of meter values")
        var samples: [MeterSample] = []
        samples.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            samples.append(try sample(&reader, reader.element(entry, at: index, of: list), version: version))
        }
        return samples
    }

    /// One `meterValue` entry: a timestamp and its sampled values.
    private static func sample(
        _ reader: inout PayloadReader, _ entry: Node, version: OCPPVersion
    ) throws(NormalizationError) -> MeterSample {
        let meterValue = try reader.object(entry)
        // 1.6 and 2.0.1 both require the timestamp; an unusable one is a note, not a lost sample.
        let timestamp = try reader.timestamp(meterValue, "timestamp", required: true)
        let values = try reader.required(meterValue, "sampledValue")
        let elements = try reader.array(values)
        var sampled: [SampledValue] = []
        sampled.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            if version == .v16, case let .object(object) = element, appendPlainLegacyValue(object, to: &sampled) {
                continue
            }
            let object = try reader.object(reader.element(element, at: index, of: values))
            sampled.append(try sampledValue(&reader, object, version: version))
        }
        return MeterSample(timestamp: timestamp, values: sampled)
    }

    /// One sampled value of either version.
    static func sampledValue(
        _ reader: inout PayloadReader, _ node: Node, version: OCPPVersion
    ) throws(NormalizationError) -> SampledValue {
        let start = reader.repairs.count
        var measurand = SampledValue.defaultMeasurand
        if let node = try reader.optional(node, "measurand") {
            measurand = try reader.enumeration(node, field: "measurand", allowed: MeterVocabulary.measurands)
        }
        var phase: String?
        if let node = try reader.optional(node, "phase") {
            phase = try reader.enumeration(node, field: "phase", allowed: MeterVocabulary.phases)
        }
        var location = SampledValue.defaultLocation
        if let node = try reader.optional(node, "location") {
            location = try reader.enumeration(node, field: "location", allowed: MeterVocabulary.locations)
        }
        var context = SampledValue.defaultContext
        if let node = try reader.optional(node, "context") {
            context = try reader.enumeration(node, field: "context", allowed: MeterVocabulary.contexts)
        }
        // Built once at the end from locals: a sample mutated across throwing calls gets copied at each of them.
        let quantity = switch version {
        case .v16: try legacyValue(&reader, node)
        case .v201: try numericValue(&reader, node)
        }
        return SampledValue(
            value: quantity.value, raw: quantity.raw,
            unit: quantity.unitGiven ? quantity.unit : MeterVocabulary.defaultUnit(of: measurand), multiplier: quantity.multiplier,
            measurand: measurand, phase: phase, location: location, context: context, format: quantity.format,
            repairs: reader.repairs(since: start))
    }

    /// What a sampled value's `value` says and in which unit, before the value is put together.
    private struct Quantity {
        var value: Double?
        var raw = ""
        var unit = SampledValue.defaultUnit
        /// Whether the charger named the unit (declared, or inside a legacy value); else the measurand's applies.
        var unitGiven = false
        var multiplier = 0
        var format = SampledValue.defaultFormat
    }

    /// 1.6: `value` is a decimal string, `unit` an enumeration defaulting to Wh, no multiplier.
    private static func legacyValue(_ reader: inout PayloadReader, _ node: Node) throws(NormalizationError) -> Quantity {
        var quantity = Quantity()
        if let format = try reader.optional(node, "format") {
            quantity.format = try reader.enumeration(format, field: "format", allowed: MeterVocabulary.formats)
        }
        let unitNode = try reader.optional(node, "unit")
        let declared = try declaredUnit(&reader, unitNode, version: .v16)
        let valueNode = try reader.required(node, "value")
        if quantity.format == "SignedData" {
            // A signature, not a number: kept as sent, never read as one.
            quantity.raw = try reader.string(valueNode)
            quantity.unit = declared ?? "Wh"
            quantity.unitGiven = declared != nil
            return quantity
        }
        let reading: LegacyValueSanitizer.Reading
        if let number = valueNode.value.numberValue {
            quantity.raw = number.text
            try reader.record(.numberWhereStringBelongs, at: valueNode)
            reading = number.double.isFinite
                ? .init(value: number.double, unitInside: nil, repairs: [])
                : .init(value: nil, unitInside: nil, repairs: [.unreadableValue(number.text)])
        } else {
            quantity.raw = try reader.string(valueNode)
            reading = LegacyValueSanitizer.read(quantity.raw)
        }
        try apply(reading, &reader, at: valueNode, declared: declared, into: &quantity)
        return quantity
    }

    /// 2.0.1: `value` is a number; `unitOfMeasure.multiplier` is a power of ten folded into it.
    private static func numericValue(_ reader: inout PayloadReader, _ node: Node) throws(NormalizationError) -> Quantity {
        var quantity = Quantity()
        var declared: String?
        if let measureNode = try reader.optional(node, "unitOfMeasure") {
            let measure = try reader.object(measureNode)
            let unitNode = try reader.optional(measure, "unit")
            declared = try declaredUnit(&reader, unitNode, version: .v201)
            quantity.multiplier = try reader.optionalInt(measure, "multiplier") ?? 0
        }
        let valueNode = try reader.required(node, "value")
        if let number = valueNode.value.numberValue {
            quantity.raw = number.text
            quantity.unit = declared ?? "Wh"
            quantity.unitGiven = declared != nil
            quantity.value = scaled(number, by: quantity.multiplier)
            if quantity.value == nil { try reader.record(.unreadableValue(number.text), at: valueNode) }
            return quantity
        }
        quantity.raw = try reader.string(valueNode)
        try reader.record(.stringWhereNumberBelongs, at: valueNode)
        try apply(LegacyValueSanitizer.read(quantity.raw), &reader, at: valueNode, declared: declared, into: &quantity)
        if let value = quantity.value, let number = JSONNumber(text: "\(value)") {
            quantity.value = scaled(number, by: quantity.multiplier)
        }
        return quantity
    }

    /// The declared unit, normalized; a respelling is repaired, an unknown 1.6 unit is kept with a note.
    private static func declaredUnit(
        _ reader: inout PayloadReader, _ node: Node?, version: OCPPVersion
    ) throws(NormalizationError) -> String? {
        guard let node else { return nil }
        let text = try reader.string(node)
        switch MeterVocabulary.unit(text, version: version) {
        case .standard(let unit):
            return unit
        case .respelled(let unit):
            try reader.record(.unitSpelling(from: text, to: unit), at: node)
            return unit
        case .unknown:
            // 2.0.1 allows custom units; 1.6 has a closed list.
            if version == .v16 { try reader.record(.unknownUnit(text), at: node) }
            return text
        }
    }

    /// Records a sanitizer reading and sets value and unit; a unit inside the value must agree with a declared one.
    private static func apply(
        _ reading: LegacyValueSanitizer.Reading, _ reader: inout PayloadReader, at node: Node, declared: String?,
        into quantity: inout Quantity
    ) throws(NormalizationError) {
        for repair in reading.repairs { try reader.record(repair, at: node) }
        quantity.unit = reading.unitInside ?? declared ?? "Wh"
        quantity.unitGiven = reading.unitInside != nil || declared != nil
        quantity.value = reading.value
        if let inside = reading.unitInside, let declared, inside != declared {
            // "14.4kW" declared as W: 14.4 W and 14400 W are both guesses, so the value is unreadable.
            quantity.value = nil
            quantity.unit = declared
            try reader.record(.unitConflict(inValue: inside, declared: declared), at: node)
        }
    }

    /// `number × 10^multiplier`, rounded once from the decimal text; nil when it overflows or underflows.
    static func scaled(_ number: JSONNumber, by multiplier: Int) -> Double? {
        guard multiplier != 0 else { return number.double.isFinite ? number.double : nil }
        let text = number.text
        let split = text.firstIndex(where: { $0 == "e" || $0 == "E" })
        let mantissa = split.map { text[..<$0] } ?? text[...]
        let exponentText = split.map { text[text.index(after: $0)...] } ?? "0"
        // Bounded first so the sum cannot overflow; anything that large is infinite or zero anyway.
        guard abs(multiplier) < 100_000, let exponent = Int(exponentText), abs(exponent) < 100_000,
            let value = Double("\(mantissa)e\(exponent + multiplier)"), value.isFinite, value != 0 || number.double == 0
        else { return nil }
        return value
    }
}
