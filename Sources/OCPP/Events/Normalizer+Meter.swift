// Meter values: 1.6 strings sanitized, 2.0.1 numbers scaled by their multiplier, every default applied.
extension Normalizer {
    /// The samples in `key` of `parent` (`meterValue`, `transactionData`); one object instead of an array is repaired.
    static func samples(
        _ reader: inout PayloadReader, _ parent: Node, _ key: String, version: OCPPVersion, required: Bool
    ) throws(NormalizationError) -> [MeterSample] {
        let found = required ? try reader.required(parent, key) : try reader.optional(parent, key)
        guard let list = found else { return [] }
        let entries: [Node]
        if let elements = list.elements {
            entries = elements
        } else if list.value.objectValue != nil {
            try reader.record(.objectWhereArrayBelongs, at: list.path)
            entries = [Node(value: list.value, path: list.path)]
        } else {
            throw PayloadReader.wrongType(list, "an array of meter values")
        }
        var samples: [MeterSample] = []
        for entry in entries {
            let meterValue = try reader.object(entry)
            // 1.6 and 2.0.1 both require the timestamp; an unusable one is a note, not a lost sample.
            let timestamp = try reader.timestamp(meterValue, "timestamp", required: true)
            let values = try reader.required(meterValue, "sampledValue")
            guard let elements = values.elements else { throw PayloadReader.wrongType(values, "an array") }
            var sampled: [SampledValue] = []
            for element in elements {
                let object = try reader.object(element)
                sampled.append(try sampledValue(&reader, object, version: version))
            }
            samples.append(MeterSample(timestamp: timestamp, values: sampled))
        }
        return samples
    }

    /// One sampled value of either version.
    static func sampledValue(
        _ reader: inout PayloadReader, _ node: Node, version: OCPPVersion
    ) throws(NormalizationError) -> SampledValue {
        let start = reader.repairs.count
        var sample = SampledValue(value: nil, raw: "")
        if let measurand = try reader.optional(node, "measurand") {
            sample.measurand = try reader.enumeration(
                measurand, field: "measurand", allowed: MeterVocabulary.measurands)
        }
        if let phase = try reader.optional(node, "phase") {
            sample.phase = try reader.enumeration(phase, field: "phase", allowed: MeterVocabulary.phases)
        }
        if let location = try reader.optional(node, "location") {
            sample.location = try reader.enumeration(location, field: "location", allowed: MeterVocabulary.locations)
        }
        if let context = try reader.optional(node, "context") {
            sample.context = try reader.enumeration(context, field: "context", allowed: MeterVocabulary.contexts)
        }
        switch version {
        case .v16: try legacyValue(&reader, node, into: &sample)
        case .v201: try numericValue(&reader, node, into: &sample)
        }
        sample.repairs = reader.repairs(since: start)
        return sample
    }

    /// 1.6: `value` is a decimal string, `unit` an enumeration defaulting to Wh, no multiplier.
    private static func legacyValue(
        _ reader: inout PayloadReader, _ node: Node, into sample: inout SampledValue
    ) throws(NormalizationError) {
        if let format = try reader.optional(node, "format") {
            sample.format = try reader.enumeration(format, field: "format", allowed: MeterVocabulary.formats)
        }
        let unitNode = try reader.optional(node, "unit")
        let declared = try declaredUnit(&reader, unitNode, version: .v16)
        let valueNode = try reader.required(node, "value")
        if sample.format == "SignedData" {
            // A signature, not a number: kept as sent, never read as one.
            sample.raw = try reader.string(valueNode)
            sample.unit = declared ?? "Wh"
            return
        }
        let reading: LegacyValueSanitizer.Reading
        if let number = valueNode.value.numberValue {
            sample.raw = number.text
            try reader.record(.numberWhereStringBelongs, at: valueNode.path)
            reading = number.double.isFinite
                ? .init(value: number.double, unitInside: nil, repairs: [])
                : .init(value: nil, unitInside: nil, repairs: [.unreadableValue(number.text)])
        } else {
            sample.raw = try reader.string(valueNode)
            reading = LegacyValueSanitizer.read(sample.raw)
        }
        try apply(reading, &reader, at: valueNode.path, declared: declared, into: &sample)
    }

    /// 2.0.1: `value` is a number; `unitOfMeasure.multiplier` is a power of ten folded into it.
    private static func numericValue(
        _ reader: inout PayloadReader, _ node: Node, into sample: inout SampledValue
    ) throws(NormalizationError) {
        var declared: String?
        if let measureNode = try reader.optional(node, "unitOfMeasure") {
            let measure = try reader.object(measureNode)
            let unitNode = try reader.optional(measure, "unit")
            declared = try declaredUnit(&reader, unitNode, version: .v201)
            sample.multiplier = try reader.optionalInt(measure, "multiplier") ?? 0
        }
        let valueNode = try reader.required(node, "value")
        if let number = valueNode.value.numberValue {
            sample.raw = number.text
            sample.unit = declared ?? "Wh"
            sample.value = scaled(number, by: sample.multiplier)
            if sample.value == nil { try reader.record(.unreadableValue(number.text), at: valueNode.path) }
            return
        }
        sample.raw = try reader.string(valueNode)
        try reader.record(.stringWhereNumberBelongs, at: valueNode.path)
        try apply(LegacyValueSanitizer.read(sample.raw), &reader, at: valueNode.path, declared: declared, into: &sample)
        if let value = sample.value, let number = JSONNumber(text: "\(value)") {
            sample.value = scaled(number, by: sample.multiplier)
        }
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
            try reader.record(.unitSpelling(from: text, to: unit), at: node.path)
            return unit
        case .unknown:
            // 2.0.1 allows custom units; 1.6 has a closed list.
            if version == .v16 { try reader.record(.unknownUnit(text), at: node.path) }
            return text
        }
    }

    /// Records a sanitizer reading and sets value and unit; a unit inside the value must agree with a declared one.
    private static func apply(
        _ reading: LegacyValueSanitizer.Reading, _ reader: inout PayloadReader, at path: String, declared: String?,
        into sample: inout SampledValue
    ) throws(NormalizationError) {
        for repair in reading.repairs { try reader.record(repair, at: path) }
        sample.unit = reading.unitInside ?? declared ?? "Wh"
        sample.value = reading.value
        if let inside = reading.unitInside, let declared, inside != declared {
            // "14.4kW" declared as W: 14.4 W and 14400 W are both guesses, so the value is unreadable.
            sample.value = nil
            sample.unit = declared
            try reader.record(.unitConflict(inValue: inside, declared: declared), at: path)
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
