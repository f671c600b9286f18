// The common case of a 1.6 sampled value, read without the general reader's bookkeeping.
extension Normalizer {
    /// The members of a 1.6 sampled value the normalizer reads.
    private enum LegacyMember: Int {
        case measurand, phase, location, context, format, unit, value

        /// The member names, at the positions of the cases' raw values.
        static let names = StringVocabulary(["measurand", "phase", "location", "context", "format", "unit", "value"])
    }

    /// Appends the 1.6 sampled value `object` to `values` and returns true when it needs no repair and has nothing
    /// wrong; returns false and appends nothing for any other. (Appended here rather than returned, which would
    /// copy the value once more on its way into the array.)
    ///
    /// Nearly every sampled value a charger sends is one: each member it has is a string the normalizer knows
    /// as it is (a listed measurand, phase, location, context, format and standard unit) and the value is a
    /// plain decimal. Such a value is read in one pass over its members, with no path kept for a repair that
    /// cannot happen. Anything else (a `null`, another type, a missing value, a respelling, a signature, a unit
    /// inside the value) returns false, and the general reader, which reads a value like this one to exactly the
    /// same result, takes it.
    static func appendPlainLegacyValue(_ object: JSONObject, to values: inout [SampledValue]) -> Bool {
        var measurand = SampledValue.defaultMeasurand
        var phase: String?
        var location = SampledValue.defaultLocation
        var context = SampledValue.defaultContext
        var format = SampledValue.defaultFormat
        var unit: String?
        var raw: String?
        for position in object.members.indices {
            // Members it does not read are ignored, as the general reader ignores them.
            guard let index = LegacyMember.names.firstIndex(of: object.members[position].key),
                  let member = LegacyMember(rawValue: index) else { continue }
            guard case let .string(text) = object.members[position].value else { return false }
            switch member {
            case .measurand:
                guard let index = MeterVocabulary.measurands.firstIndex(of: text) else { return false }
                measurand = MeterVocabulary.measurands.entries[index]
            case .phase:
                guard MeterVocabulary.phases.contains(text) else { return false }
                phase = text
            case .location:
                guard MeterVocabulary.locations.contains(text) else { return false }
                location = text
            case .context:
                guard MeterVocabulary.contexts.contains(text) else { return false }
                context = text
            case .format:
                guard MeterVocabulary.formats.contains(text), text != "SignedData" else { return false }
                format = text
            case .unit:
                // What `MeterVocabulary.unit` calls standard in 1.6: a listed unit, kept as written.
                guard MeterVocabulary.units.contains(text) else { return false }
                unit = text
            case .value:
                raw = text
            }
        }
        guard let raw, let value = LegacyValueSanitizer.decimal(raw) else { return false }
        values.append(SampledValue(
            value: value, raw: raw, unit: unit ?? MeterVocabulary.defaultUnit(of: measurand), measurand: measurand,
            phase: phase, location: location,
            context: context, format: format))
        return true
    }
}
