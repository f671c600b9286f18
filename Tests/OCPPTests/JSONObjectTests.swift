import SeededRandom
import Testing
@testable import OCPP

/// The object type's storage: member order, lookups with and without the key index of large objects, Unicode
/// key equality, duplicate keys as the reader reports them, and equality.
@Suite struct JSONObjectTests {
    /// `{"k0":0,"k1":1,…}` with `count` members.
    static func numbered(_ count: Int) -> String {
        "{" + (0..<count).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}"
    }

    @Test func membersKeepTheirOrderThroughChanges() {
        var object = JSONObject(["b": .number(JSONNumber(1)), "a": .number(JSONNumber(2))])
        object["c"] = .null
        object["b"] = .bool(true)
        #expect(object.keys == ["b", "a", "c"], "replacing a value keeps its place")
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
        #expect(object["a"] == nil && object["b"] == .bool(true) && object.count == 2)
        object["a"] = .string("back")
        #expect(object.keys == ["b", "c", "a"], "a removed key comes back at the end")
    }

    @Test(arguments: [JSONObject.indexedCount - 1, JSONObject.indexedCount, JSONObject.indexedCount + 1, 200])
    func lookupsWithAndWithoutTheKeyIndex(count: Int) throws {
        var object = try #require(try JSONParser.parse(Self.numbered(count)).objectValue)
        for index in 0..<count { #expect(object["k\(index)"] == .number(JSONNumber(index))) }
        #expect(object["k\(count)"] == nil)
        #expect(object.value(named: "k0") == .number(JSONNumber(0)))
        // Shrinking below the index size and growing past it again keeps every lookup right.
        for index in stride(from: 0, to: count, by: 2) { object["k\(index)"] = nil }
        for index in 0..<count { #expect(object["k\(index)"] == (index.isMultiple(of: 2) ? nil : .number(JSONNumber(index)))) }
        for index in 0..<count { object["n\(index)"] = .null }
        #expect(object["n\(count - 1)"] == .null && object["k1"] == .number(JSONNumber(1)))
        #expect(object.keys.count == object.count)
        #expect(object.keys.suffix(count) == (0..<count).map { "n\($0)" }[...])
    }

    @Test func canonicallyEquivalentKeysAreTheSameKey() throws {
        // "é" precomposed and decomposed, and the Kelvin sign, which is canonically a "K".
        let object = try #require(try JSONParser.parse(#"{"\u00e9":1,"\u212a":2,"plain":3}"#).objectValue)
        #expect(object["e\u{301}"] == .number(JSONNumber(1)))
        #expect(object["K"] == .number(JSONNumber(2)))
        #expect(object.value(named: "K") == .number(JSONNumber(2)), "a name lookup falls back for non-ASCII keys")
        #expect(object.value(named: "plain") == .number(JSONNumber(3)))
        var built = JSONObject()
        built["K"] = .null
        built["\u{212A}"] = .bool(true)
        #expect(built.keys == ["K"] && built["K"] == .bool(true), "setting an equivalent key replaces the value")
    }

    @Test(arguments: [2, 40])
    func repeatedKeysAreReportedWhereTheyRepeat(count: Int) throws {
        // The repeat is written decomposed, so only Unicode equivalence makes it the same key.
        let members = (0..<count).map { #""k\#($0)":\#($0)"# } + [#""\u00e9":1"#, #""e\u0301":2"#]
        let text = "{" + members.joined(separator: ",") + "}"
        let offset = try #require(text.utf8.indices.last { text.utf8[$0] == UInt8(ascii: ",") })
        let error = try #require(throws: JSONError.self) { try JSONParser.parse(text) }
        #expect(error.kind == .duplicateKey("e\u{301}"))
        #expect(error.offset == text.utf8.distance(from: text.utf8.startIndex, to: offset) + 1)
        #expect(error.path == #"$["é"]"#)
    }

    @Test func nameLookupsAgreeWithStringLookups() throws {
        var rng = SplitMix64(seed: 0x4F42_4A45)
        let keys = ["value", "unit", "phase", "K", "\u{212A}", "é", "e\u{301}", "measurand", "k", "", "valu", "values"]
        for _ in 0..<2_000 {
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                object[keys.randomElement(using: &rng) ?? ""] = .number(JSONNumber(Int.random(in: 0...9, using: &rng)))
            }
            #expect(object.value(named: "value") == object["value"])
            #expect(object.value(named: "unit") == object["unit"])
            #expect(object.value(named: "K") == object["K"])
            #expect(object.value(named: "measurand") == object["measurand"])
        }
    }

    @Test func equalityIsSameMembersInSameOrder() throws {
        let read = try #require(try JSONParser.parse(Self.numbered(30)).objectValue)
        var built = JSONObject()
        for index in 0..<30 { built["k\(index)"] = .number(JSONNumber(index)) }
        #expect(read == built)
        #expect(read.hashValue == built.hashValue)
        var reordered = JSONObject()
        for index in (0..<30).reversed() { reordered["k\(index)"] = .number(JSONNumber(index)) }
        #expect(read != reordered, "key order is part of an object's identity, as before")
        var decomposed = JSONObject()
        decomposed["e\u{301}"] = .null
        #expect(decomposed == JSONObject(["é": .null]))
        #expect(decomposed.hashValue == JSONObject(["é": .null]).hashValue)
    }
}
