import Testing
import YAML

/// Spans are 1-based, end-exclusive, and count columns in Unicode scalars as libyaml does.
@Suite struct MarkTests {
    @Test func blockMappingScalars() throws {
        let root = try document("station:\n  common_address: 4001\n  listen: \"0.0.0.0:2404\"\n")
        #expect(root.span == span(1, 1, 4, 1), "a block mapping ends where the next token (here the end) starts")
        let station = try #require(root.value("station"))
        #expect(root.key("station")?.span == span(1, 1, 1, 8))
        #expect(station.span == span(2, 3, 4, 1))
        #expect(station.key("common_address")?.span == span(2, 3, 2, 17))
        #expect(station.value("common_address")?.span == span(2, 19, 2, 23))
        #expect(station.value("listen")?.span == span(3, 11, 3, 25), "quotes are part of the span")
    }

    @Test func blockSequences() throws {
        let root = try document("points:\n  - a\n  - bb\nindentless:\n- x\n- y\nafter: 1\n")
        let points = try #require(root.value("points"))
        #expect(points.span == span(2, 3, 4, 1))
        #expect(points.item(0)?.span == span(2, 5, 2, 6))
        #expect(points.item(1)?.span == span(3, 5, 3, 7))
        let indentless = try #require(root.value("indentless"))
        #expect(indentless.span.start == at(5, 1))
        #expect(indentless.span.end == at(7, 1), "an indentless sequence ends at the next key")
        #expect(indentless.item(1)?.span == span(6, 3, 6, 4))
        #expect(root.value("after")?.span == span(7, 8, 7, 9))
    }

    @Test func flowCollections() throws {
        let root = try document("b: [x, {y: z}, []]\nc: {k: [1,2], 'q': \"v\"}\n")
        let b = try #require(root.value("b"))
        #expect(b.span == span(1, 4, 1, 19), "a flow sequence spans its brackets")
        #expect(b.item(0)?.span == span(1, 5, 1, 6))
        let inner = try #require(b.item(1))
        #expect(inner.span == span(1, 8, 1, 14))
        #expect(inner.key("y")?.span == span(1, 9, 1, 10))
        #expect(inner.value("y")?.span == span(1, 12, 1, 13))
        #expect(b.item(2)?.span == span(1, 16, 1, 18))
        let c = try #require(root.value("c"))
        #expect(c.span == span(2, 4, 2, 24))
        #expect(c.value("k")?.span == span(2, 8, 2, 13))
        #expect(c.value("k")?.item(1)?.span == span(2, 11, 2, 12))
        #expect(c.key("q")?.span == span(2, 15, 2, 18))
        #expect(c.value("q")?.span == span(2, 20, 2, 23))
    }

    @Test func multiByteCharactersCountOneColumnEach() throws {
        // é and ü are 2 bytes, 日本語 3 bytes each, 🚗 4 bytes (outside the BMP).
        let root = try document("é: ü\nname: \"日本語\"\n🚗: [ä, ö]\nz: 1\n")
        #expect(root.key("é")?.span == span(1, 1, 1, 2))
        #expect(root.value("é")?.span == span(1, 4, 1, 5))
        #expect(root.value("name")?.span == span(2, 7, 2, 12))
        #expect(root.value("name")?.text == "日本語")
        #expect(root.key("🚗")?.span == span(3, 1, 3, 2))
        let list = try #require(root.value("🚗"))
        #expect(list.span == span(3, 4, 3, 10))
        #expect(list.item(1)?.span == span(3, 8, 3, 9))
        #expect(root.value("z")?.span == span(4, 4, 4, 5))
    }

    @Test func combiningMarksCountAsTheirOwnScalars() throws {
        // "e" + U+0301 is one grapheme but two Unicode scalars; libyaml counts scalars.
        let root = try document("k: \"e\u{301}\" \nn: 1\n")
        #expect(root.value("k")?.span == span(1, 4, 1, 8))
    }

    @Test func blockScalarsSpanTheirIndicatorToTheEndOfTheirText() throws {
        let root = try document("k: |\n  line1\n  line2\nm: >-\n  f1\n  f2\nn: x\n")
        #expect(root.value("k")?.span == span(1, 4, 4, 1))
        #expect(root.value("m")?.span == span(4, 4, 7, 1))
        #expect(root.value("n")?.span == span(7, 4, 7, 5))
    }

    @Test func multiLineScalars() throws {
        let root = try document("plain: one\n  two\nquoted: \"a\n  b\"\n")
        let plain = try #require(root.value("plain"))
        #expect(plain.text == "one two")
        #expect(plain.span == span(1, 8, 2, 6))
        let quoted = try #require(root.value("quoted"))
        #expect(quoted.text == "a b")
        #expect(quoted.span == span(3, 9, 4, 5))
    }

    @Test func crlfLineBreaks() throws {
        let root = try document("a: 1\r\nb:\r\n  - x\r\n")
        #expect(root.value("b")?.span.start == at(3, 3))
        #expect(root.value("b")?.item(0)?.span == span(3, 5, 3, 6))
    }

    @Test func documentMarkersAndComments() throws {
        let root = try document("# yaml-language-server: $schema=x.json\n---\n# c\nversion: 1  # trailing\n...\n")
        #expect(root.span.start == at(4, 1))
        #expect(root.value("version")?.span == span(4, 10, 4, 11))
    }

    @Test func marksOrderAndPrint() {
        #expect(at(1, 9) < at(2, 1))
        #expect(at(2, 1) < at(2, 3))
        #expect(!(at(2, 3) < at(2, 3)))
        #expect(at(12, 7).description == "12:7")
    }
}
