import SeededRandom
import Testing
@testable import OCPP

/// The JSON reader's accepted forms, the writer, the accessors, and randomized round trips.
@Suite struct JSONTests {
    static let meterValues = #"[2,"19223201","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"14.4kW","measurand":"Power.Active.Import"}]}]}]"#

    @Test func literalsAndWhitespace() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse(" \t\r\ntrue\n\r\t ") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("[ true , false , null ]") == .array([.bool(true), .bool(false), .null]))
    }

    @Test(arguments: [
        "0", "-0", "1", "-1", "10", "123456789", "0.5", "-0.5", "14.40", "14.4", "1e3", "1E3", "1e+3", "1e-3",
        "1.5E-07", "-0.0e0", "0e0", "1e05", "9007199254740993", "123456789012345678901234567890", "0.1", "1e22",
        "1e23", "1e-22", "4.9e-324", "1.7976931348623157e308", "1e400", "-1e400", "1e-400", "0.000000000000000001",
    ])
    func numbersKeepTheirTextAndRoundCorrectly(text: String) throws {
        let number = try #require(try JSONParser.parse(text).numberValue)
        #expect(number.text == text)
        #expect(number.double.bitPattern == Double(text)?.bitPattern, "the same Double strtod gives")
    }

    @Test func randomNumbersAgreeWithStrtod() throws {
        var rng = SplitMix64(seed: 0x4A53_4F4E)
        for _ in 0..<10_000 {
            let text = randomNumberText(&rng, digits: 1...18, maxExponent: 30)
            let number = try #require(try JSONParser.parse(text).numberValue, "\(text)")
            #expect(number.text == text)
            #expect(number.double.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test func strings() throws {
        #expect(try JSONParser.parse(#""""#) == .string(""))
        #expect(try JSONParser.parse(#""plain ASCII""#) == .string("plain ASCII"))
        #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try JSONParser.parse(#""\u0041\u00e9\u20AC\uD83D\uDE00\u0000""#) == .string("Aé€😀\u{0}"))
        #expect(try JSONParser.parse("\"é€😀\u{10FFFF}\u{7F}\"") == .string("é€😀\u{10FFFF}\u{7F}"))
        #expect(try JSONParser.parse("\"a\\n€ b😀\\u00e9\"") == .string("a\n€ b😀é"), "raw UTF-8 after an escape")
        #expect(try JSONParser.parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
    }

    @Test func containers() throws {
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse("{}") == .object(JSONObject()))
        #expect(try JSONParser.parse(" [ [ ] , { } ] ") == .array([.array([]), .object(JSONObject())]))
        let object = try #require(try JSONParser.parse(#"{ "b" : 1 , "a" : [2, {"c": null}] }"#).objectValue)
        #expect(object.keys == ["b", "a"], "members stay in the order written")
        #expect(object["a"] == .array([.number(JSONNumber(2)), .object(JSONObject(["c": .null]))]))
    }

    @Test func everyEntryPointAgrees() throws {
        let text = Self.meterValues
        let bytes = Array(text.utf8)
        let expected = try JSONParser.parse(text)
        #expect(try JSONParser.parse(bytes) == expected)
        #expect(try JSONParser.parse(([0x20] + bytes + [0x20])[1...]) == expected)
        #expect(try JSONParser.parse(bytes.lazy.map { $0 }) == expected, "a collection without contiguous storage")
        #expect(try bytes.withUnsafeBytes { raw throws(JSONError) in try JSONParser.parse(raw) } == expected)
    }

    @Test func meterValuesFrameKeepsNumberText() throws {
        let frame = try JSONParser.parse(Self.meterValues)
        #expect(frame[0]?.numberValue?.int == 2)
        #expect(frame[1]?.stringValue == "19223201")
        #expect(frame[2]?.stringValue == "MeterValues")
        let payload = try #require(frame[3])
        #expect(payload["connectorId"]?.numberValue == JSONNumber(1))
        let sample = payload["meterValue"]?[0]?["sampledValue"]?[0]
        #expect(sample?["value"]?.stringValue == "14.4kW", "a unit suffix stays in the string for the sanitizer")
        #expect(sample?["measurand"]?.stringValue == "Power.Active.Import")
        #expect(frame.serialized() == Self.meterValues)

        let numeric = try JSONParser.parse(#"{"value":14.40,"other":1.44e1,"third":14.4}"#)
        #expect(numeric["value"]?.numberValue?.text == "14.40")
        #expect(numeric["other"]?.numberValue?.text == "1.44e1")
        #expect(numeric["value"]?.numberValue?.double == 14.4)
        #expect(numeric["value"] != numeric["third"], "numbers compare by what was written")
        #expect(numeric.serialized() == #"{"value":14.40,"other":1.44e1,"third":14.4}"#)
    }

    @Test func writerEscapesOnlyWhatItMust() throws {
        let value = JSONValue.string("q\" b\\ s/ \u{0}\u{8}\n\u{1F} \u{7F} é€😀")
        #expect(value.serialized() == #""q\" b\\ s/ \u0000\u0008\u000a\u001f "# + "\u{7F} é€😀\"")
        var object = JSONObject()
        object["z"] = .number(JSONNumber(14.4))
        object["a\"b"] = .array([.null, .bool(true), .bool(false), .number(JSONNumber(-3))])
        object["e"] = .object(JSONObject())
        #expect(JSONValue.object(object).serialized() == #"{"z":14.4,"a\"b":[null,true,false,-3],"e":{}}"#)
        var bytes = Array("prefix:".utf8)
        JSONValue.array([]).write(into: &bytes)
        #expect(bytes == Array("prefix:[]".utf8), "write(into:) appends")
    }

    @Test func accessors() throws {
        let value = try JSONParser.parse(#"{"s":"x","n":1.50,"b":true,"a":[1],"o":{},"z":null}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.numberValue?.text == "1.50")
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [.number(JSONNumber(1))])
        #expect(value["o"]?.objectValue == JSONObject())
        #expect(value["z"]?.isNull == true)
        #expect(value["s"]?.isNull == false)
        #expect(value["missing"] == nil)
        #expect(value["s"]?.numberValue == nil && value["n"]?.stringValue == nil && value["a"]?.boolValue == nil)
        #expect(value["o"]?.arrayValue == nil && value["a"]?.objectValue == nil)
        #expect(value[0] == nil, "an object has no indices")
        #expect(value["a"]?[0] == .number(JSONNumber(1)))
        #expect(value["a"]?[1] == nil && value["a"]?[-1] == nil)
        #expect(value["a"]?["key"] == nil, "an array has no keys")
    }

    @Test func randomValuesRoundTrip() throws {
        var rng = SplitMix64(seed: 809)
        for _ in 0..<2_000 {
            let value = randomValue(&rng, depth: 0)
            let text = value.serialized()
            #expect(try JSONParser.parse(text) == value, "\(text)")
            var bytes: [UInt8] = []
            value.write(into: &bytes)
            #expect(bytes == Array(text.utf8))
        }
    }

    @Test func randomBytesNeverTrap() {
        var rng = SplitMix64(seed: 104)
        let alphabet = Array(#"{}[],:"\ -+.0123456789eEtrufalsn/bu"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        for round in 0..<10_000 {
            let length = Int.random(in: 0...48, using: &rng)
            let bytes = (0..<length).map { _ in
                round.isMultiple(of: 2) ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng) ?? 0
            }
            checkParses(bytes)
        }
    }

    @Test func mutationsOfValidJSONNeverTrap() {
        var rng = SplitMix64(seed: 2026)
        var seeds = [Array(Self.meterValues.utf8), Array(#"[3,"1",{"status":"Accepted","interval":300}]"#.utf8)]
        seeds += (0..<30).map { _ in Array(randomValue(&rng, depth: 0).serialized().utf8) }
        let tokens = Array(#"{}[],:"\0123456789.-eu"#.utf8) + [0x20, 0x00, 0xC3, 0xA9, 0xED, 0xFF]
        for _ in 0..<10_000 {
            var bytes = seeds.randomElement(using: &rng) ?? []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0...bytes.count, using: &rng)
                let token = tokens.randomElement(using: &rng) ?? 0
                switch Int.random(in: 0..<5, using: &rng) {
                case 0 where at < bytes.count: bytes[at] = token
                case 1: bytes.insert(token, at: at)
                case 2 where at < bytes.count: bytes.remove(at: at)
                case 3: bytes.insert(contentsOf: bytes[at...].prefix(8), at: at)
                default: bytes = Array(bytes.prefix(at))
                }
            }
            checkParses(bytes)
        }
    }

    /// Parses arbitrary bytes: a value must round-trip, an error must point inside the input.
    private func checkParses(_ bytes: [UInt8]) {
        do {
            let value = try JSONParser.parse(bytes)
            #expect(try JSONParser.parse(value.serialized()) == value, "\(bytes)")
        } catch {
            #expect((0...bytes.count).contains(error.offset) && error.path.hasPrefix("$"), "\(bytes): \(error)")
        }
    }
}

/// A random number text: optional sign, integer part, fraction and exponent, with trailing zeros kept.
private func randomNumberText(_ rng: inout SplitMix64, digits: ClosedRange<Int>, maxExponent: Int) -> String {
    func digitString(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
    }
    var text = Bool.random(using: &rng) ? "-" : ""
    let total = Int.random(in: digits, using: &rng)
    let integer = Int.random(in: 1...total, using: &rng)
    text += integer == 1 ? digitString(1) : String(Int.random(in: 1...9, using: &rng)) + digitString(integer - 1)
    if integer < total { text += "." + digitString(total - integer) }
    if Bool.random(using: &rng) {
        text += ["e", "E", "e+", "e-", "E-"].randomElement(using: &rng) ?? "e"
        text += String(Int.random(in: 0...maxExponent, using: &rng))
    }
    return text
}

/// A random value a few levels deep, with strings full of characters the writer must escape or keep.
private func randomValue(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
    let characters: [Character] = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é",
                                   "€", "😀", "\u{FFFF}", "\u{10FFFF}", "\u{2028}"]
    func string() -> String {
        String((0..<Int.random(in: 0...6, using: &rng)).map { _ in characters.randomElement(using: &rng) ?? "a" })
    }
    switch Int.random(in: 0..<(depth < 4 ? 7 : 4), using: &rng) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2: return .number(JSONNumber(text: randomNumberText(&rng, digits: 1...20, maxExponent: 400)) ?? JSONNumber(0))
    case 3: return .string(string())
    case 4, 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
    default:
        var object = JSONObject()
        for _ in 0..<Int.random(in: 0...4, using: &rng) { object[string()] = randomValue(&rng, depth: depth + 1) }
        return .object(object)
    }
}
