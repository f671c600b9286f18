import Testing
import YAML

/// Depth, alias-expansion and input-size limits against hostile input.
@Suite struct LimitTests {
    private func nestedFlowLists(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth) + "\n"
    }

    @Test func sixtyFourNestedListsAreFine() throws {
        var node = try document(nestedFlowLists(64))
        var depth = 1
        while let inner = node.item(0), inner.sequence != nil {
            node = inner
            depth += 1
        }
        #expect(depth == 64)
        #expect(node.item(0)?.text == "x")
        #expect(node.span == span(1, 64, 1, 67))
    }

    @Test func sixtyFiveNestedListsAreTooDeep() throws {
        let error = try fatal(nestedFlowLists(65))
        #expect(error == YAMLError(.tooDeep(limit: 64), at: at(1, 65)))
        #expect(error.message == "nesting deeper than 64 levels")
    }

    @Test func tooDeepInBlockStyleIsReportedAtTheCollectionThatCrossesTheLimit() throws {
        // 64 mappings `k:` each indented one more space, then a 65th.
        var text = ""
        for level in 0..<65 { text += String(repeating: " ", count: level) + "k:\n" }
        text += String(repeating: " ", count: 65) + "v\n"
        let error = try fatal(text)
        #expect(error == YAMLError(.tooDeep(limit: 64), at: at(65, 65)))

        var fine = ""
        for level in 0..<64 { fine += String(repeating: " ", count: level) + "k:\n" }
        fine += String(repeating: " ", count: 64) + "v\n"
        _ = try document(fine)
    }

    @Test func mixedNestingCountsSequencesAndMappings() throws {
        let limits = YAMLLimits(maxDepth: 3)
        _ = try document("a: [{b: c}]\n", limits: limits)
        #expect(try fatal("a: [{b: [c]}]\n", limits: limits) == YAMLError(.tooDeep(limit: 3), at: at(1, 9)))
        #expect(try fatal("- - - - x\n", limits: limits) == YAMLError(.tooDeep(limit: 3), at: at(1, 7)))
    }

    @Test(arguments: ["flow lists", "flow maps", "block lists"])
    func tenThousandLevelsFailFastWithoutCrashing(style: String) throws {
        let depth = 10_000
        let text: String
        switch style {
        case "flow lists": text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        case "flow maps": text = String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth)
        default: text = String(repeating: "- ", count: depth) + "x\n"
        }
        var stream: YAMLStream?
        let elapsed = seconds { stream = YAMLParser.parse(text) }
        #expect(elapsed < 2, "\(style): \(elapsed) s")
        #expect(stream?.documents.isEmpty == true)
        #expect(stream?.errors.map(\.kind) == [.tooDeep(limit: 64)])
    }

    @Test func unclosedDeepNestingAlsoFailsOnDepthFirst() throws {
        let error = try fatal(String(repeating: "[", count: 100_000))
        #expect(error.kind == .tooDeep(limit: 64))
    }

    /// The classic "billion laughs": each level lists the previous one nine times.
    private func billionLaughs(levels: Int) -> String {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<levels {
            let previous = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(previous)]\n"
        }
        return text
    }

    @Test func billionLaughsIsRefusedFast() throws {
        let text = billionLaughs(levels: 10)
        var stream: YAMLStream?
        let elapsed = seconds { stream = YAMLParser.parse(text) }
        #expect(elapsed < 1, "\(elapsed) s")
        #expect(stream?.documents.isEmpty == true)
        let error = try #require(stream?.errors.first)
        #expect(stream?.errors.count == 1)
        #expect(error.kind == .expansionTooLarge(limit: 5_000_000))
        #expect(error.message == "aliases expand to more than 5000000 nodes")
        // Level n expands to s(n) = 1 + 9·s(n−1) nodes, s(0) = 10: s(5) ≈ 0.6 M fits, and the ninth alias
        // of level 6 (line 7) takes the document past 5 M.
        #expect(error.mark == at(7, 50))
    }

    @Test func smallAliasFanOutIsFine() throws {
        let root = try document(billionLaughs(levels: 4))
        // s(n) = 1 + 9·s(n−1), s(0) = 10.
        #expect(root.value("a0")?.expandedSize == 10)
        #expect(root.value("a3")?.expandedSize == 7381)
        #expect(root.value("a3")?.item(8)?.item(8)?.item(8)?.item(8)?.text == "lol")
    }

    @Test func expansionLimitIsExact() throws {
        // b = [*a, *a] with a = [x, y]: 1 + 2 × 3 = 7 nodes; with the root, both keys and `a`: 13.
        let text = "a: &a [x, y]\nb: [*a, *a]\n"
        let root = try document(text)
        #expect(root.expandedSize == 13)
        _ = try document(text, limits: YAMLLimits(maxExpandedNodes: 13))
        let error = try fatal(text, limits: YAMLLimits(maxExpandedNodes: 12))
        #expect(error == YAMLError(.expansionTooLarge(limit: 12), at: at(2, 4)), "reported at the list that crosses the limit")
    }

    @Test func expansionLimitCoversTheWholeStream() throws {
        // Each document is small, but together they pass the limit: many small bombs must not add up unchecked.
        let one = "--- {a: &a [1, 2, 3, 4], b: [*a, *a, *a]}\n"
        let limits = YAMLLimits(maxExpandedNodes: 60)
        let single = YAMLParser.parse(one, limits: limits)
        #expect(single.errors.isEmpty)
        let size = try #require(single.documents.first?.expandedSize)
        #expect(size == 24)
        #expect(YAMLParser.parse(one + one, limits: limits).errors.isEmpty)
        let error = try fatal(one + one + one, limits: limits)
        #expect(error.kind == .expansionTooLarge(limit: 60))
        #expect(error.mark.line == 3)
    }

    @Test func manyTinyDocumentsAreBoundedToo() throws {
        let error = try fatal(String(repeating: "--- x\n", count: 11), limits: YAMLLimits(maxExpandedNodes: 10))
        #expect(error == YAMLError(.expansionTooLarge(limit: 10), at: at(11, 5)))
    }

    @Test func inputSizeCap() throws {
        let limits = YAMLLimits(maxBytes: 10)
        _ = try document("a: 1234567", limits: limits)
        let error = try fatal("a: 12345678", limits: limits)
        #expect(error == YAMLError(.inputTooLarge(bytes: 11, limit: 10), at: at(1, 1)))
        #expect(error.message == "file is 11 bytes; the limit is 10 bytes")
    }

    @Test func defaultInputCapIs32MiBAndIsCheckedBeforeParsing() throws {
        #expect(YAMLLimits.default.maxBytes == 32 * 1024 * 1024)
        #expect(YAMLLimits.default.maxDepth == 64)
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 32 * 1024 * 1024 + 1)
        var stream: YAMLStream?
        let elapsed = seconds { stream = YAMLParser.parse(bytes) }
        #expect(stream?.errors == [YAMLError(.inputTooLarge(bytes: 32 * 1024 * 1024 + 1, limit: 32 * 1024 * 1024), at: at(1, 1))])
        #expect(elapsed < 1)
    }

    @Test func longSequencesStayLinear() {
        // Regression: appending to a sequence copied every item read so far.
        var text = "chargers:\n"
        for i in 0..<50_000 { text += "  - {id: CP\(i), template: ac22, ioa_base: \(i * 10)}\n" }
        var stream: YAMLStream?
        let elapsed = seconds { stream = YAMLParser.parse(text) }
        #expect(stream?.errors.isEmpty == true)
        #expect(stream?.documents.first?.value("chargers")?.sequence?.count == 50_000)
        #expect(elapsed < 20, "50,000 chargers took \(elapsed) s")
    }
}
