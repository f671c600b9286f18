import Testing
import YAML

/// Duplicate keys are non-fatal errors naming both places; the first entry is kept and reading goes on.
@Suite struct DuplicateKeyTests {
    @Test func duplicateKeyNamesBothPlacesAndKeepsTheFirst() throws {
        let stream = YAMLParser.parse("a: 1\nb: 2\na: 3\n")
        #expect(stream.errors == [YAMLError(.duplicateKey(key: "a", first: at(1, 1)), at: at(3, 1))])
        let error = try #require(stream.errors.first)
        #expect(!error.isFatal)
        #expect(error.message == "duplicate key 'a'")
        #expect(error.description == "3:1: duplicate key 'a'")
        #expect(error.related?.message == "'a' first written here")
        #expect(error.related?.mark == at(1, 1))
        let root = try #require(stream.documents.first)
        #expect(root.keys == ["a", "b"])
        #expect(root.value("a")?.scalar?.int == 1)
    }

    @Test func severalDuplicatesAreAllReportedInOrder() throws {
        let stream = YAMLParser.parse("a: 1\na: 2\nb: 1\nb: [x]\na: {z: 3}\nc: end\n")
        #expect(stream.errors == [
            YAMLError(.duplicateKey(key: "a", first: at(1, 1)), at: at(2, 1)),
            YAMLError(.duplicateKey(key: "b", first: at(3, 1)), at: at(4, 1)),
            YAMLError(.duplicateKey(key: "a", first: at(1, 1)), at: at(5, 1)),
        ])
        #expect(stream.errors.allSatisfy { !$0.isFatal })
        let root = try #require(stream.documents.first)
        #expect(root.keys == ["a", "b", "c"])
        #expect(root.value("b")?.scalar?.int == 1)
        #expect(root.value("c")?.text == "end", "reading goes on after duplicates")
    }

    @Test func duplicatesInNestedAndFlowMappings() throws {
        let stream = YAMLParser.parse("""
            chargers:
              - id: CP1
                template: t
                id: CP2
            site: {name: x, name: y}

            """)
        #expect(stream.errors == [
            YAMLError(.duplicateKey(key: "id", first: at(2, 5)), at: at(4, 5)),
            YAMLError(.duplicateKey(key: "name", first: at(5, 8)), at: at(5, 17)),
        ])
        let root = try #require(stream.documents.first)
        #expect(root.value("chargers")?.item(0)?.value("id")?.text == "CP1")
        #expect(root.value("site")?.value("name")?.text == "x")
    }

    @Test func sameKeyInDifferentMappingsIsFine() throws {
        let root = try document("a: {k: 1}\nb: {k: 2}\nc:\n  - k: 1\n  - k: 2\n")
        #expect(root.value("c")?.sequence?.count == 2)
    }

    @Test func keysCompareByTextWhateverTheirStyle() {
        let stream = YAMLParser.parse("\"a\": 1\na: 2\n'a': 3\n")
        #expect(stream.errors.map(\.mark) == [at(2, 1), at(3, 1)])
        #expect(stream.documents.first?.mapping?.count == 1)
    }

    @Test func duplicatesDoNotStopOtherErrors() {
        let stream = YAMLParser.parse("a: 1\na: 2\nb: *missing\n")
        #expect(stream.errors == [
            YAMLError(.duplicateKey(key: "a", first: at(1, 1)), at: at(2, 1)),
            YAMLError(.undefinedAlias(name: "missing"), at: at(3, 4)),
        ])
        #expect(stream.documents.isEmpty)
    }

    @Test func manyDistinctKeysStayFast() {
        // Regression: the duplicate check was linear per key (quadratic per mapping): 20,000 keys took minutes.
        var text = ""
        for i in 0..<50_000 { text += "key\(i): \(i)\n" }
        var stream: YAMLStream?
        let elapsed = seconds { stream = YAMLParser.parse(text) }
        #expect(stream?.errors.isEmpty == true)
        #expect(stream?.documents.first?.mapping?.count == 50_000)
        #expect(elapsed < 10, "50,000 keys took \(elapsed) s")
    }

    @Test func manyDuplicatesStayFast() {
        var text = ""
        for _ in 0..<20_000 { text += "same: 1\n" }
        var stream: YAMLStream?
        let elapsed = seconds { stream = YAMLParser.parse(text) }
        #expect(stream?.errors.count == 19_999)
        #expect(stream?.documents.first?.mapping?.count == 1)
        #expect(elapsed < 10)
    }
}
