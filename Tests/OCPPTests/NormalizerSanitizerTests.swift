import Testing
@testable import OCPP

/// The legacy value sanitizer and meter values of both versions: what is repaired, what is refused, never invented.
@Suite struct NormalizerSanitizerTests {
    typealias F = NormalizerFixture

    @Test func unitInsideTheValueIsTakenWithARepair() throws {
        for text in ["14.4kW", "14.4 kW", " 14.4kW "] {
            let (value, result) = try F.value16(#"{"value":"\#(text)","measurand":"Power.Active.Import"}"#)
            #expect(value.value == 14.4)
            #expect(value.unit == "kW")
            #expect(value.raw == text)
            #expect(value.repairs.contains(.unitInsideValue("kW")))
            #expect(result.repairs.contains(.init(path: F.valuePath, repair: .unitInsideValue("kW"))))
        }
        let (volts, _) = try F.value16(#"{"value":"230V","measurand":"Voltage"}"#)
        #expect(volts.value == 230)
        #expect(volts.unit == "V")
        #expect(volts.repairs == [.unitInsideValue("V")])
    }

    @Test func unitInsideTheValueMustAgreeWithTheDeclaredUnit() throws {
        let (conflict, result) = try F.value16(#"{"value":"14.4kW","unit":"W"}"#)
        #expect(conflict.value == nil, "14.4 W and 14400 W are both guesses")
        #expect(conflict.unit == "W")
        #expect(conflict.repairs == [.unitInsideValue("kW"), .unitConflict(inValue: "kW", declared: "W")])
        #expect(result.repairs.map(\.path) == [F.valuePath, F.valuePath])
        let (agreeing, _) = try F.value16(#"{"value":"14.4kW","unit":"kW"}"#)
        #expect(agreeing.value == 14.4)
        #expect(agreeing.repairs == [.unitInsideValue("kW")])
        let (respelled, _) = try F.value16(#"{"value":"14.4 kw","unit":"kW"}"#)
        #expect(respelled.value == 14.4, "the unit inside is matched ignoring case")
    }

    @Test func numberWhereAStringBelongs() throws {
        let (value, result) = try F.value16(#"{"value":14.4}"#)
        #expect(value.value == 14.4)
        #expect(value.raw == "14.4")
        #expect(result.repairs == [.init(path: F.valuePath, repair: .numberWhereStringBelongs)])
    }

    @Test func decimalComma() throws {
        let (value, result) = try F.value16(#"{"value":"1,5"}"#)
        #expect(value.value == 1.5)
        #expect(result.repairs == [.init(path: F.valuePath, repair: .decimalComma)])
        let (withUnit, _) = try F.value16(#"{"value":"14,4 kW"}"#)
        #expect(withUnit.value == 14.4)
        #expect(withUnit.repairs == [.decimalComma, .unitInsideValue("kW")])
        let (thousands, _) = try F.value16(#"{"value":"1.234,5"}"#)
        #expect(thousands.value == nil, "a thousands separator is not guessed")
    }

    @Test(arguments: ["", " ", "NaN", "nan", "inf", "-inf", "Infinity", "garbage", "-", ".", "1e999", "14.4xyz",
        "0x1p3", "1.2.3", "14.4e", "--1", "kW"])
    func unreadableValuesAreNilNeverZero(text: String) throws {
        let (value, result) = try F.value16(#"{"value":"\#(text)"}"#)
        #expect(value.value == nil)
        #expect(value.raw == text)
        #expect(result.repairs == [.init(path: F.valuePath, repair: .unreadableValue(text))])
        let error = try F.failure(.v16, "MeterValues",
            #"{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"\#(text)"}]}]}"#,
            policy: .strict)
        #expect(error.path == F.valuePath)
    }

    @Test(arguments: [("0", 0.0), ("-1", -1), ("+2.5", 2.5), ("1e3", 1000), ("1.5E-3", 0.0015), (".5", 0.5),
        ("5.", 5), ("12345678.901", 12345678.901), ("007", 7)])
    func strictDecimals(text: String, expected: Double) throws {
        let (value, result) = try F.value16(#"{"value":"\#(text)"}"#, policy: .strict)
        #expect(value.value == expected)
        #expect(result.repairs.isEmpty)
    }

    @Test func unitSpellings() throws {
        let cases: [(String, String)] = [("Celcius", "Celsius"), ("Hz", "Hertz"), ("kw", "kW"), ("WH", "Wh"),
            ("%", "Percent"), ("°C", "Celsius")]
        for (sent, normalized) in cases {
            let (value, result) = try F.value16(#"{"value":"20","unit":"\#(sent)"}"#)
            #expect(value.unit == normalized)
            #expect(value.value == 20)
            #expect(result.repairs == [.init(path: "$.meterValue[0].sampledValue[0].unit",
                repair: .unitSpelling(from: sent, to: normalized))])
        }
        let (unknown, result) = try F.value16(#"{"value":"20","unit":"furlongs"}"#)
        #expect(unknown.unit == "furlongs")
        #expect(unknown.value == 20)
        #expect(result.repairs.map(\.repair) == [.unknownUnit("furlongs")])
    }

    @Test func measurandAndOtherEnumerationsInTheWrongCase() throws {
        let (value, result) = try F.value16(
            #"{"value":"7","measurand":"power.active.import","phase":"l1","location":"outlet","context":"sample.clock"}"#)
        #expect(value.measurand == "Power.Active.Import")
        #expect(value.phase == "L1")
        #expect(value.location == "Outlet")
        #expect(value.context == "Sample.Clock")
        #expect(result.repairs.first == .init(path: "$.meterValue[0].sampledValue[0].measurand",
            repair: .measurandCase(from: "power.active.import", to: "Power.Active.Import")))
        #expect(result.repairs.count == 4)
        let (unknown, _) = try F.value16(#"{"value":"7","measurand":"Power.Imaginary"}"#)
        #expect(unknown.measurand == "Power.Imaginary")
        #expect(unknown.repairs == [.unknownMeasurand("Power.Imaginary")])
    }

    @Test func defaultsOf16() throws {
        let (value, result) = try F.value16(#"{"value":"10"}"#, policy: .strict)
        #expect(value == SampledValue(value: 10, raw: "10", unit: "Wh", multiplier: 0,
            measurand: "Energy.Active.Import.Register", phase: nil, location: "Outlet", context: "Sample.Periodic",
            format: "Raw", repairs: []))
        #expect(result.repairs.isEmpty)
    }

    @Test func signedDataIsKeptAsSentAndNotRead() throws {
        let (value, result) = try F.value16(#"{"value":"ABCD1234","format":"SignedData"}"#, policy: .strict)
        #expect(value.value == nil)
        #expect(value.raw == "ABCD1234")
        #expect(value.format == "SignedData")
        #expect(result.repairs.isEmpty)
    }

    @Test func meterValuesOf16() throws {
        let result = try F.normalized(.v16, "MeterValues", #"""
            {"connectorId":2,"transactionId":42,"meterValue":[
              {"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"100"},{"value":"11","unit":"kW","measurand":"Power.Active.Import"}]},
              {"timestamp":"2026-11-24T10:00:01.5Z","sampledValue":[]}]}
            """#, policy: .strict)
        guard case .meterValues(let report) = try #require(result.events.first) else { throw NormalizerUnexpected() }
        #expect(report.evseId == 2)
        #expect(report.transactionId == "42")
        #expect(report.samples.count == 2)
        #expect(report.samples[0].timestamp?.millisecondsSince1970 == F.tenOClock)
        #expect(report.samples[0].values.map(\.value) == [100, 11])
        #expect(report.samples[0].values.map(\.unit) == ["Wh", "kW"])
        #expect(report.samples[1].timestamp?.millisecondsSince1970 == F.tenOClock + 1500)
        #expect(report.samples[1].values.isEmpty, "an empty sampledValue is a sample without values")
    }

    @Test func meterValueAsAnObjectIsOneElement() throws {
        let json = #"{"connectorId":1,"meterValue":{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"5"}]}}"#
        let result = try F.normalized(.v16, "MeterValues", json)
        guard case .meterValues(let report) = try #require(result.events.first) else { throw NormalizerUnexpected() }
        #expect(report.samples.count == 1)
        #expect(report.samples[0].values.first?.value == 5)
        #expect(result.repairs == [.init(path: "$.meterValue", repair: .objectWhereArrayBelongs)])
        #expect(try F.failure(.v16, "MeterValues", json, policy: .strict).path == "$.meterValue")
    }

    @Test func strictPolicyRefusesWithThePath() throws {
        let json = #"{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"14.4kW"}]}]}"#
        let error = try F.failure(.v16, "MeterValues", json, policy: .strict)
        #expect(error.path == F.valuePath)
        #expect(error.refusedRepair == .unitInsideValue("kW"))
        let comma = try F.failure(.v16, "MeterValues", json.normalizerReplacing("14.4kW", "1,5"), policy: .strict)
        #expect(comma.refusedRepair == .decimalComma)
    }

    @Test func multiplierOf201() throws {
        let (kilo, result) = try F.value201(#"{"value":14.4,"unitOfMeasure":{"unit":"W","multiplier":3}}"#,
            policy: .strict)
        #expect(kilo.value == 14400)
        #expect(kilo.unit == "W")
        #expect(kilo.multiplier == 3)
        #expect(kilo.raw == "14.4")
        #expect(result.repairs.isEmpty)
        let (deci, _) = try F.value201(#"{"value":144,"unitOfMeasure":{"unit":"kW","multiplier":-1}}"#)
        #expect(deci.value == 14.4, "rounded once from the decimal text, not 144 × 0.1")
        #expect(deci.unit == "kW")
        let (exponent, _) = try F.value201(#"{"value":1.44e1,"unitOfMeasure":{"multiplier":2}}"#)
        #expect(exponent.value == 1440)
        #expect(exponent.unit == "Wh", "2.0.1's default unit")
        let (plain, _) = try F.value201(#"{"value":7}"#, policy: .strict)
        #expect(plain == SampledValue(value: 7, raw: "7"))
    }

    @Test func multiplierOutOfRangeIsUnreadable() throws {
        let (huge, result) = try F.value201(#"{"value":1.5,"unitOfMeasure":{"multiplier":400}}"#)
        #expect(huge.value == nil)
        #expect(result.repairs == [.init(path: F.valuePath, repair: .unreadableValue("1.5"))])
        let (tiny, _) = try F.value201(#"{"value":1.5,"unitOfMeasure":{"multiplier":-400}}"#)
        #expect(tiny.value == nil, "underflow to 0 would invent a zero")
        let (zero, _) = try F.value201(#"{"value":0,"unitOfMeasure":{"multiplier":-400}}"#)
        #expect(zero.value == 0)
    }

    @Test func stringWhereA201NumberBelongs() throws {
        let (value, result) = try F.value201(#"{"value":"1,5","unitOfMeasure":{"unit":"kW","multiplier":3}}"#)
        #expect(value.value == 1500)
        #expect(result.repairs.map(\.repair) == [.stringWhereNumberBelongs, .decimalComma])
        let error = try F.failure(.v201, "MeterValues",
            #"{"evseId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"14.4"}]}]}"#,
            policy: .strict)
        #expect(error.path == F.valuePath)
        #expect(error.refusedRepair == .stringWhereNumberBelongs)
    }

    @Test func unitsOf201() throws {
        let (hertz, none) = try F.value201(#"{"value":50,"unitOfMeasure":{"unit":"Hz"},"measurand":"Frequency"}"#)
        #expect(hertz.unit == "Hertz")
        #expect(none.repairs.isEmpty, "Hz is 2.0.1's own spelling")
        let (custom, customRepairs) = try F.value201(#"{"value":3,"unitOfMeasure":{"unit":"kPa"}}"#)
        #expect(custom.unit == "kPa")
        #expect(customRepairs.repairs.isEmpty, "2.0.1 allows custom units")
        let (cased, casedRepairs) = try F.value201(#"{"value":3,"unitOfMeasure":{"unit":"kw"}}"#)
        #expect(cased.unit == "kW")
        #expect(casedRepairs.repairs == [.init(path: "$.meterValue[0].sampledValue[0].unitOfMeasure.unit",
            repair: .unitSpelling(from: "kw", to: "kW"))])
    }

    @Test func wrongTypesAreErrorsWithThePath() throws {
        let error = try F.failure(.v201, "MeterValues",
            #"{"evseId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":true}]}]}"#)
        #expect(error.path == F.valuePath)
        let missing = try F.failure(.v16, "MeterValues", #"{"connectorId":1,"meterValue":[{"sampledValue":[]}]}"#)
        #expect(missing.path == "$.meterValue[0].timestamp")
        let multiplier = try F.failure(.v201, "MeterValues",
            #"{"evseId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":1,"unitOfMeasure":{"multiplier":1.5}}]}]}"#)
        #expect(multiplier.path == "$.meterValue[0].sampledValue[0].unitOfMeasure.multiplier")
    }

    @Test func sanitizerReadsDirectly() {
        #expect(LegacyValueSanitizer.read("14.4kW")
            == .init(value: 14.4, unitInside: "kW", repairs: [.unitInsideValue("kW")]))
        #expect(LegacyValueSanitizer.read("50 Hz")
            == .init(value: 50, unitInside: "Hertz", repairs: [.unitInsideValue("Hertz")]))
        #expect(LegacyValueSanitizer.read("-3,25A") == .init(value: -3.25, unitInside: "A",
            repairs: [.decimalComma, .unitInsideValue("A")]))
        #expect(LegacyValueSanitizer.read("\t12\r\n")
            == .init(value: 12, unitInside: nil, repairs: [.surroundingWhitespace]))
        #expect(LegacyValueSanitizer.read("12 parsecs") == .init(value: nil, unitInside: nil,
            repairs: [.unreadableValue("12 parsecs")]))
    }

    @Test func repairsHaveStableNames() {
        #expect(ValueRepair.unitInsideValue("kW").name == "unitInsideValue")
        #expect(ValueRepair.unitSpelling(from: "Hz", to: "Hertz").name == "unitSpelling")
        #expect(ValueRepair.unitConflict(inValue: "kW", declared: "W").dropsValue)
        #expect(!ValueRepair.decimalComma.dropsValue)
    }
}
