import Foundation
import SeededRandom
import Testing
@testable import Rules

/// Random mutations of valid rule files: the loader must answer every one with diagnostics at real places, never crash.
@Suite("Mutations")
struct MutationTests {
    static let seeds: [String] = {
        let files = Fixture.files(in: Fixture.corpus.appendingPathComponent("valid"))
            + [Fixture.repository.appendingPathComponent("rules/default.yaml")]
        return files.compactMap { try? String(contentsOf: $0, encoding: .utf8) }
    }()

    static func mutate(_ text: String, using rng: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        let fragments = ["- ", ": ", "{", "}", "[", "]", "&a ", "*a", "<<: *a", "\"", "'", "\t", "#", "~", "0x", "-1",
                         "16777216", "M_ME_TF_1", "kW", "%", "\u{0}", "é", "!!str ", "? ", "|", ">"]
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let i = Int.random(in: 0..<lines.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[Int.random(in: 0..<lines.count, using: &rng)], at: i)
            case 2:
                var chars = Array(lines[i])
                let at = chars.isEmpty ? 0 : Int.random(in: 0...chars.count, using: &rng)
                chars.insert(contentsOf: fragments.randomElement(using: &rng)!, at: at)
                lines[i] = String(chars)
            case 3:
                if let colon = lines[i].firstIndex(of: ":") {
                    lines[i] = String(lines[i][...colon]) + " " + fragments.randomElement(using: &rng)!
                }
            case 4: lines[i] = " " + lines[i]
            default:
                if !lines[i].isEmpty { lines[i] = String(lines[i].dropLast(Int.random(in: 1...lines[i].count, using: &rng))) }
            }
            if lines.isEmpty { lines = [""] }
        }
        return lines.joined(separator: "\n")
    }

    @Test("2,000 mutants of the valid corpus load without crashing and every diagnostic points into the file")
    func mutants() throws {
        try #require(!Self.seeds.isEmpty)
        var rng = SplitMix64(seed: 0x0CC9_809)
        var rejected = 0
        for n in 0..<2000 {
            let seed = Self.seeds[n % Self.seeds.count]
            let mutant = Self.mutate(seed, using: &rng)
            let report = RuleLoader.load([RuleSource(path: "mutant.yaml", text: mutant)])
            let lineCount = mutant.split(separator: "\n", omittingEmptySubsequences: false).count + 1
            for d in report.diagnostics {
                #expect(d.location.mark.line >= 1 && d.location.mark.line <= lineCount, "mutant \(n): \(d)")
                #expect(d.location.mark.column >= 1, "mutant \(n): \(d)")
                #expect(!d.message.isEmpty)
            }
            if report.errorCount > 0 {
                rejected += 1
                #expect(report.sites.allSatisfy { $0.graph == nil })
            }
        }
        #expect(rejected > 500, "mutations should break most files; only \(rejected) were rejected")
    }
}
