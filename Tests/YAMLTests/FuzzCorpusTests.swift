import Foundation
import Testing
import YAML

/// Replays the fuzzer's committed corpus (Fuzz/Corpus/FuzzYAML) with the invariants the fuzz target checks,
/// so inputs that once crashed or broke a promise stay covered by `swift test`.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/FuzzYAML")

    static var files: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)) ?? [])
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func corpusIsThere() {
        #expect(Self.files.count >= 10, "no corpus at \(Self.corpus.path)")
    }

    @Test(arguments: files)
    func replay(file: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: file))
        let stream = YAMLParser.parse(bytes)
        let fatal = stream.errors.filter(\.isFatal)
        #expect(fatal.count <= 1)
        if !fatal.isEmpty {
            #expect(stream.errors.last?.isFatal == true)
            #expect(stream.documents.isEmpty)
        }
        var pending = stream.documents
        var budget = 200_000
        while let node = pending.popLast(), budget > 0 {
            budget -= 1
            #expect(!(node.span.end < node.span.start), "\(file.lastPathComponent): \(node.span)")
            #expect(node.span.start.line >= 1 && node.span.start.column >= 1)
            switch node.content {
            case .scalar(let scalar):
                if let i = scalar.int { #expect(scalar.double == Double(i)) }
            case .sequence(let items): pending += items
            case .mapping(let pairs): for pair in pairs { pending += [pair.key, pair.value] }
            }
        }
    }
}
