import Foundation
import Gateway
import Rules

/// The demo site, read once from the repository: every fuzzed test file that parses runs against it in memory,
/// so the runner, the simulated station and central system, and the engine behind them are fuzzed too.
private let site: MemoryFiles = {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let text = (try? String(contentsOf: repository.appendingPathComponent("rules/default.yaml"), encoding: .utf8)) ?? ""
    return MemoryFiles([RuleSource(path: "site/default.yaml", text: text)])
}()

/// libFuzzer entry: the bytes as a rule-test file next to the demo site (`site: default.yaml`), parsed and run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleTests(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let report = RuleTestRunner(provider: site).run(file: "site/fuzz.test.yaml", bytes: bytes)
    for diagnostic in report.diagnostics { _ = "\(diagnostic)" }
    for result in report.results { _ = result.failure.map { "\($0)" } }
    return 0
}
