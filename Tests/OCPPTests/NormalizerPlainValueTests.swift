import SeededRandom
import Testing
@testable import OCPP

/// The one-pass reading of plain 1.6 sampled values gives exactly what the general reader gives, and the
/// general reader's paths are spelled as before.
@Suite struct NormalizerPlainValueTests {
    /// Members a random sampled value is made of: plain ones, and ones that need a repair or are wrong.
    static let candidates: [(String, [JSONValue])] = [
        ("value", [.string("14.4"), .string("-0"), .string("1e3"), .string(".5"), .string("14.4kW"), .string(" 1"),
                   .string("1,5"), .string(""), .string("NaN"), .number(JSONNumber(3)), .null, .bool(true)]),
        ("measurand", [.string("Power.Active.Import"), .string("Energy.Active.Import.Register"), .string("power.active.import"),
                       .string("Nonsense"), .null, .number(JSONNumber(1))]),
        ("unit", [.string("kW"), .string("Wh"), .string("K"), .string("\u{212A}"), .string("kw"), .string("Celcius"),
                  .string("parsec"), .null, .array([])]),
        ("phase", [.string("L1"), .string("L1-N"), .string("l1"), .null]),
        ("location", [.string("Outlet"), .string("Body"), .string("outlet")]),
        ("context", [.string("Sample.Periodic"), .string("Trigger"), .string("trigger")]),
        ("format", [.string("Raw"), .string("SignedData"), .string("raw"), .null]),
        ("unitOfMeasure", [.object(JSONObject(["unit": .string("W")]))]),
        ("extra", [.string("ignored"), .null]),
    ]

    @Test func plainValuesAreReadAsTheGeneralReaderReadsThem() throws {
        var rng = SplitMix64(seed: 0x504C_4149)
        var plain = 0
        for _ in 0..<5_000 {
            var object = JSONObject()
            for (name, values) in Self.candidates where Int.random(in: 0..<3, using: &rng) > 0 {
                // Mostly the first (plain) value, so that many whole values are plain.
                object[name] = Int.random(in: 0..<10, using: &rng) < 8 ? values.first : values.randomElement(using: &rng)
            }
            var reader = PayloadReader(policy: .lenient, zone: nil)
            let root = reader.root(object)
            let general = Result { () throws(NormalizationError) in
                try Normalizer.sampledValue(&reader, root, version: .v16)
            }
            var values: [SampledValue] = []
            guard Normalizer.appendPlainLegacyValue(object, to: &values) else {
                #expect(values.isEmpty)
                continue
            }
            plain += 1
            #expect(values.count == 1)
            #expect(reader.repairs.isEmpty, "a plain value needs no repair: \(object)")
            #expect(general == .success(try #require(values.first)), "\(object)")
        }
        #expect(plain > 300, "the random values must include plain ones, or the test proves little")
    }

    @Test func theDefaultsAreTheInitializers() {
        let defaults = SampledValue(value: nil, raw: "")
        #expect(defaults.measurand == SampledValue.defaultMeasurand)
        #expect(defaults.location == SampledValue.defaultLocation)
        #expect(defaults.context == SampledValue.defaultContext)
        #expect(defaults.unit == SampledValue.defaultUnit)
        #expect(defaults.format == SampledValue.defaultFormat)
    }

    @Test func pathsAreSpelledOnlyWhenAsked() {
        var paths = PayloadPaths()
        let list = paths.member("meterValue", of: PayloadPaths.root)
        let entry = paths.element(10, of: list)
        let values = paths.member("sampledValue", of: entry)
        let value = paths.member("value", of: paths.element(0, of: values))
        #expect(paths.text(of: PayloadPaths.root) == "$")
        #expect(paths.text(of: value) == "$.meterValue[10].sampledValue[0].value")
        #expect(paths.text(ofMember: "unit", of: entry) == "$.meterValue[10].unit")
        let far = paths.element(1_234_567, of: list)
        #expect(paths.text(of: far) == "$.meterValue[1234567]")
    }
}
