import Testing
import YAML

/// Streams: empty input, several documents, encodings.
@Suite struct StreamTests {
    @Test(arguments: ["", "\n\n", "   ", "# only a comment\n# and another\n", "\u{FEFF}"])
    func inputWithoutContentHasNoDocuments(text: String) {
        let stream = YAMLParser.parse(text)
        #expect(stream.documents.isEmpty)
        #expect(stream.errors.isEmpty)
    }

    @Test func emptyByteArray() {
        let stream = YAMLParser.parse([UInt8]())
        #expect(stream.documents.isEmpty)
        #expect(stream.errors.isEmpty)
    }

    @Test func explicitEmptyDocumentIsANullScalar() throws {
        let root = try document("---\n")
        #expect(root.scalar?.isNull == true)
        #expect(root.span == span(2, 1, 2, 1))
    }

    @Test func multipleDocuments() throws {
        let stream = YAMLParser.parse("a: 1\n---\nb: 2\n...\n--- 3\n--- [x]\n")
        #expect(stream.errors.isEmpty)
        #expect(stream.documents.count == 4)
        #expect(stream.documents[0].keys == ["a"])
        #expect(stream.documents[0].span.start == at(1, 1))
        #expect(stream.documents[1].keys == ["b"])
        #expect(stream.documents[1].span.start == at(3, 1))
        #expect(stream.documents[2].scalar?.int == 3)
        #expect(stream.documents[2].span == span(5, 5, 5, 6))
        #expect(stream.documents[3].sequence?.first?.text == "x")
    }

    @Test func duplicateKeysInSeveralDocumentsAreAllReported() {
        let stream = YAMLParser.parse("a: 1\na: 2\n---\nb: 1\nb: 2\n")
        #expect(stream.documents.count == 2)
        #expect(stream.errors == [
            YAMLError(.duplicateKey(key: "a", first: at(1, 1)), at: at(2, 1)),
            YAMLError(.duplicateKey(key: "b", first: at(4, 1)), at: at(5, 1)),
        ])
    }

    @Test func yamlDirective() throws {
        let root = try document("%YAML 1.1\n---\na: 1\n")
        #expect(root.value("a")?.scalar?.int == 1)
    }

    @Test func utf8ByteOrderMark() throws {
        let stream = YAMLParser.parse([0xEF, 0xBB, 0xBF] + Array("é: 1\n".utf8))
        #expect(stream.errors.isEmpty)
        #expect(stream.documents.first?.key("é")?.span == span(1, 1, 1, 2))
    }

    @Test func utf16WithByteOrderMark() throws {
        let text = "ü: [1, \"日本\"]\n"
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [le, be] {
            let stream = YAMLParser.parse(bytes)
            #expect(stream.errors.isEmpty)
            let root = try #require(stream.documents.first)
            #expect(root.value("ü")?.item(1)?.text == "日本")
            #expect(root.value("ü")?.item(1)?.span == span(1, 8, 1, 12))
        }
    }

    @Test func stringAndBytesAgree() throws {
        let text = "a: [1, {b: c}]\n"
        let fromString = YAMLParser.parse(text)
        let fromBytes = YAMLParser.parse(Array(text.utf8))
        #expect(fromString.documents.map(\.span) == fromBytes.documents.map(\.span))
        #expect(fromString.documents.first?.value("a")?.item(1)?.value("b")?.text == "c")
    }

    @Test func errorsAreComparableAndPrintable() {
        let error = YAMLError(.tooDeep(limit: 64), at: at(3, 9))
        #expect(error.description == "3:9: nesting deeper than 64 levels")
        #expect(error.related == nil)
        #expect(error.isFatal)
        #expect(error != YAMLError(.tooDeep(limit: 64), at: at(3, 10)))
    }
}
