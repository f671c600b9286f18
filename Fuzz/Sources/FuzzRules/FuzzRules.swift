import Rules

/// libFuzzer entry: loads the bytes as the only rule file of a site and renders every diagnostic.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let report = RuleLoader.load([RuleSource(path: "fuzz.yaml", bytes: bytes)])
    precondition(report.errorCount + report.warningCount <= report.diagnostics.count)
    for diagnostic in report.diagnostics { _ = "\(diagnostic)" }
    for site in report.sites { _ = site.graph }
    return 0
}
