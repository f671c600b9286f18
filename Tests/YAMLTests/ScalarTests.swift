import Testing
import YAML

/// Scalar styles, values after unescaping/folding, tags, and YAML 1.2 core-schema resolution.
@Suite struct ScalarTests {
    private func scalar(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Scalar {
        try #require(try document("v: " + yaml + "\n", sourceLocation: sourceLocation).value("v")?.scalar, sourceLocation: sourceLocation)
    }

    @Test func styles() throws {
        #expect(try scalar("4001").style == .plain)
        #expect(try scalar("\"4001\"").style == .doubleQuoted)
        #expect(try scalar("'x'").style == .singleQuoted)
        let root = try document("lit: |\n  a\n  b\nfold: >\n  a\n  b\n")
        #expect(root.value("lit")?.scalar?.style == .literal)
        #expect(root.value("fold")?.scalar?.style == .folded)
    }

    @Test func quotedNumberIsAStringAndPlainIsANumber() throws {
        let quoted = try scalar("\"4001\"")
        #expect(quoted.value == "4001")
        #expect(quoted.int == nil)
        #expect(quoted.double == nil)
        #expect(quoted.string == "4001")
        let plain = try scalar("4001")
        #expect(plain.int == 4001)
        #expect(plain.double == 4001)
        #expect(plain.string == nil)
        let single = try scalar("'true'")
        #expect(single.bool == nil)
        #expect(single.string == "true")
        #expect(try scalar("''").isNull == false)
        #expect(try scalar("\"null\"").isNull == false)
    }

    @Test func blockScalarValues() throws {
        let root = try document("""
            keep: |+
              a

            strip: |-
              a
              b
            fold: >
              one
              two

              three
            lit: |
              x
                y

            """)
        #expect(root.value("keep")?.text == "a\n\n")
        #expect(root.value("strip")?.text == "a\nb")
        #expect(root.value("fold")?.text == "one two\nthree\n")
        #expect(root.value("lit")?.text == "x\n  y\n")
        #expect(root.value("strip")?.scalar?.int == nil, "block scalars never resolve")
    }

    @Test func escapes() throws {
        #expect(try scalar(#""tab\there \u00e9 \x41 \"q\"""#).value == "tab\there é A \"q\"")
        #expect(try scalar("'it''s'").value == "it's")
        #expect(try scalar("'back\\slash'").value == "back\\slash")
    }

    @Test(arguments: [
        ("0", 0), ("42", 42), ("-17", -17), ("+5", 5), ("007", 7),
        ("0x1F", 31), ("0xff", 255), ("0o17", 15), ("0o0", 0),
        ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
    ])
    func integers(text: String, expected: Int) throws {
        let s = try scalar(text)
        #expect(s.int == expected)
        #expect(s.double == Double(expected))
        #expect(s.string == nil)
        #expect(s.bool == nil)
        #expect(!s.isNull)
    }

    @Test(arguments: [
        "9223372036854775808", "-9223372036854775809", "0xFFFFFFFFFFFFFFFFFF", "99999999999999999999999",
    ])
    func integerOverflowIsNotAnInteger(text: String) throws {
        let s = try scalar(text)
        #expect(s.int == nil)
    }

    @Test func hugeDecimalStillReadsAsAFiniteDouble() throws {
        #expect(try scalar("9223372036854775808").double == 9_223_372_036_854_775_808)
        #expect(try scalar("1e400").double == nil, "overflow to infinity is not a number here")
    }

    @Test(arguments: [
        "0x", "0o", "0o8", "0xG1", "-0x10", "+0x10", "0b101", "1_000", "12abc", "0X1F", "--5", "1 2",
    ])
    func notIntegers(text: String) throws {
        let s = try scalar(text)
        #expect(s.int == nil)
        #expect(s.double == nil)
        #expect(s.string == text)
    }

    @Test(arguments: [
        ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5), ("1e3", 1000), ("2.5E-2", 0.025), ("+1.0", 1), ("6.", 6),
    ])
    func floats(text: String, expected: Double) throws {
        let s = try scalar(text)
        #expect(s.double == expected)
        #expect(s.int == nil)
        #expect(s.string == nil)
    }

    @Test(arguments: [".inf", "-.inf", "+.INF", ".nan", ".NaN", "inf", "nan", "Infinity", "1.2.3", "e5", "1e", "0x1p3", "."])
    func notNumbers(text: String) throws {
        let s = try scalar(text)
        #expect(s.double == nil)
        #expect(s.int == nil)
        #expect(s.string == text)
    }

    @Test(arguments: [("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false)])
    func booleans(text: String, expected: Bool) throws {
        let s = try scalar(text)
        #expect(s.bool == expected)
        #expect(s.string == nil)
        #expect(s.int == nil)
    }

    @Test(arguments: ["yes", "no", "on", "off", "y", "n", "Yes", "ON", "tRUE"])
    func yaml11BooleansStayStrings(text: String) throws {
        let s = try scalar(text)
        #expect(s.bool == nil)
        #expect(s.string == text)
    }

    @Test(arguments: ["~", "null", "Null", "NULL", ""])
    func nulls(text: String) throws {
        let s = try scalar(text)
        #expect(s.isNull)
        #expect(s.string == nil)
        #expect(s.bool == nil)
        #expect(s.int == nil)
    }

    @Test func nullStringsThatAreNotNull() throws {
        #expect(try scalar("nULL").isNull == false)
        #expect(try scalar("'~'").isNull == false)
        #expect(try scalar("!!str").isNull == false, "an explicit !!str empty scalar is the empty string")
        #expect(try scalar("!!str").string == "")
    }

    @Test func explicitStrTagNeverResolves() throws {
        let s = try scalar("!!str 12")
        #expect(s.tag == "tag:yaml.org,2002:str")
        #expect(s.style == .plain)
        #expect(s.value == "12")
        #expect(s.int == nil)
        #expect(s.double == nil)
        #expect(s.string == "12")
        #expect(try scalar("!!str true").bool == nil)
        #expect(try scalar("!!str null").isNull == false)
        #expect(try scalar("!!str ~").string == "~")
    }

    @Test func explicitCoreTagsResolveEvenWhenQuoted() throws {
        let int = try scalar("!!int \"12\"")
        #expect(int.int == 12)
        #expect(int.string == nil, "a value is a string or an integer, not both")
        #expect(try scalar("!!float \"1.5\"").double == 1.5)
        #expect(try scalar("!!float 2").int == nil)
        #expect(try scalar("!!float 2").double == 2)
        #expect(try scalar("!!bool 'false'").bool == false)
        #expect(try scalar("!!null ''").isNull)
        #expect(try scalar("!!int 1.5").double == nil, "a wrong explicit tag does not fall back to another type")
    }

    @Test func nonSpecificAndCustomTagsAreStrings() throws {
        let bang = try scalar("! 12")
        #expect(bang.tag == "!")
        #expect(bang.int == nil)
        #expect(bang.string == "12")
        let custom = try scalar("!secret abc")
        #expect(custom.tag == "!secret")
        #expect(custom.string == "abc")
    }

    @Test func collectionTags() throws {
        let root = try document("m: !!map {a: 1}\ns: !!seq [1]\nu: [1]\n")
        #expect(root.value("m")?.tag == "tag:yaml.org,2002:map")
        #expect(root.value("s")?.tag == "tag:yaml.org,2002:seq")
        #expect(root.value("u")?.tag == nil)
    }

    @Test func kindDescriptions() throws {
        let root = try document("m: {}\ns: []\nn: ~\nb: true\ni: 3\nd: 2.5\nt: text\nq: '3'\ninf: .inf\n")
        #expect(root.value("m")?.kindDescription == "a mapping")
        #expect(root.value("s")?.kindDescription == "a list")
        #expect(root.value("n")?.kindDescription == "null")
        #expect(root.value("b")?.kindDescription == "a boolean")
        #expect(root.value("i")?.kindDescription == "an integer")
        #expect(root.value("d")?.kindDescription == "a number")
        #expect(root.value("t")?.kindDescription == "a string")
        #expect(root.value("q")?.kindDescription == "a string")
        #expect(root.value("inf")?.kindDescription == "a string")
    }

    @Test func accessorsMatchContent() throws {
        let root = try document("m: {a: 1}\ns: [1, 2]\nx: y\n")
        #expect(root.mapping?.count == 3)
        #expect(root.sequence == nil)
        #expect(root.scalar == nil)
        #expect(root.value("s")?.sequence?.count == 2)
        #expect(root.value("s")?.mapping == nil)
        #expect(root.value("x")?.scalar == Scalar(value: "y", style: .plain))
    }
}
