import Testing
import YAML

/// Anchors, aliases and `<<` merge keys.
@Suite struct AliasMergeTests {
    @Test func aliasesShareTheAnchoredNode() throws {
        let root = try document("base: &b\n  unit: kW\n  scale: 2\ncopy: *b\nlist: &l [1, 2]\nagain: *l\n")
        let base = try #require(root.value("base"))
        let copy = try #require(root.value("copy"))
        #expect(base.anchor == "b")
        #expect(copy.keys == ["unit", "scale"])
        #expect(copy.span == base.span, "an alias reports where the anchored node was written")
        #expect(copy.value("unit")?.span == span(2, 9, 2, 11))
        #expect(root.value("again")?.sequence?.map(\.text) == ["1", "2"])
        #expect(root.value("list")?.anchor == "l")
    }

    @Test func anchoredScalarsAndRedefinedAnchors() throws {
        let root = try document("a: &x first\nb: *x\nc: &x second\nd: *x\n")
        #expect(root.value("b")?.text == "first")
        #expect(root.value("d")?.text == "second", "an alias refers to the latest node with that anchor")
    }

    @Test func aliasesCountTowardsExpandedSize() throws {
        let root = try document("a: &a [1, 2, 3]\nb: [*a, *a]\n")
        #expect(root.value("a")?.expandedSize == 4)
        #expect(root.value("b")?.expandedSize == 9)
        #expect(root.expandedSize == 1 + 2 + 4 + 9)
    }

    @Test func undefinedAliasIsFatal() throws {
        let error = try fatal("a: 1\nb: *nope\nc: 2\n")
        #expect(error == YAMLError(.undefinedAlias(name: "nope"), at: at(2, 4)))
        #expect(error.message == "undefined alias '*nope'")
    }

    @Test func aliasBeforeItsAnchorAndRecursiveAliasesAreUndefined() throws {
        #expect(try fatal("a: *later\nb: &later 1\n").kind == .undefinedAlias(name: "later"))
        #expect(try fatal("a: &self [1, *self]\n") == YAMLError(.undefinedAlias(name: "self"), at: at(1, 14)))
    }

    @Test func singleMerge() throws {
        let root = try document("""
            base: &base {unit: kW, scale: 1, gi: true}
            point:
              <<: *base
              scale: 1000

            """)
        let point = try #require(root.value("point"))
        #expect(point.keys == ["scale", "unit", "gi"])
        #expect(point.value("scale")?.scalar?.int == 1000, "explicit keys win")
        #expect(point.value("unit")?.text == "kW")
        #expect(point.mapping?.map(\.merged) == [false, true, true])
        #expect(point.value("unit")?.span == span(1, 20, 1, 22), "merged values keep their own span")
    }

    @Test func explicitKeysWinEvenWhenWrittenBeforeTheMerge() throws {
        let root = try document("b: &b {x: 1, y: 2}\nm: {y: 9, <<: *b}\n")
        #expect(root.value("m")?.value("y")?.scalar?.int == 9)
        #expect(root.value("m")?.value("x")?.scalar?.int == 1)
    }

    @Test func listMergeEarlierWins() throws {
        let root = try document("""
            a: &a {k: from_a, only_a: 1}
            b: &b {k: from_b, only_b: 2}
            m:
              <<: [*a, *b]
              own: 3

            """)
        let m = try #require(root.value("m"))
        #expect(m.keys == ["own", "k", "only_a", "only_b"])
        #expect(m.value("k")?.text == "from_a")
    }

    @Test func twoMergeKeysEarlierWins() throws {
        let root = try document("a: &a {k: 1}\nb: &b {k: 2, j: 3}\nm:\n  <<: *a\n  <<: *b\n")
        #expect(root.value("m")?.value("k")?.scalar?.int == 1)
        #expect(root.value("m")?.value("j")?.scalar?.int == 3)
    }

    @Test func inlineMergeAndNestedMerges() throws {
        let root = try document("""
            a: &a {x: 1}
            b: &b {<<: *a, y: 2}
            c: {<<: [*b, {z: 3}]}

            """)
        let c = try #require(root.value("c"))
        #expect(Set(c.keys) == ["x", "y", "z"])
        #expect(c.mapping?.allSatisfy(\.merged) == true)
    }

    @Test func quotedOrTaggedMergeKeyIsAnOrdinaryKey() throws {
        let root = try document("a: &a {x: 1}\nm: {\"<<\": *a}\nn: {!!str <<: *a}\n")
        #expect(root.value("m")?.keys == ["<<"])
        #expect(root.value("n")?.keys == ["<<"])
        #expect(root.value("m")?.value("<<")?.keys == ["x"])
    }

    @Test(arguments: [
        ("m:\n  <<: 1\n", 2, 7),
        ("m:\n  <<: [1, 2]\n", 2, 7),
        ("a: &a {x: 1}\nm:\n  <<: [*a, plain]\n", 3, 7),
        ("m: {<<: [[x]]}\n", 1, 9),
        ("m: {<<: ~}\n", 1, 9),
    ])
    func invalidMergeIsFatal(text: String, line: Int, column: Int) throws {
        let error = try fatal(text)
        #expect(error == YAMLError(.invalidMerge, at: at(line, column)))
        #expect(error.message == "a '<<' merge needs a mapping or a list of mappings")
    }

    @Test func mergeDoesNotHideDuplicateExplicitKeys() {
        let stream = YAMLParser.parse("a: &a {x: 1}\nm:\n  <<: *a\n  y: 1\n  y: 2\n")
        #expect(stream.errors == [YAMLError(.duplicateKey(key: "y", first: at(4, 3)), at: at(5, 3))])
    }

    @Test func anchorsDoNotCrossDocuments() throws {
        let error = try fatal("--- &x 1\n--- *x\n")
        #expect(error == YAMLError(.undefinedAlias(name: "x"), at: at(2, 5)))
    }
}
