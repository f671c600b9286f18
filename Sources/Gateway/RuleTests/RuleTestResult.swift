import Rules

/// How one test ended.
public struct RuleTestResult: Sendable {
    /// The test file.
    public var file: String
    /// The test's name.
    public var name: String
    /// Where the test was written.
    public var location: SourceLocation
    /// Why it failed; nil when it passed.
    public var failure: RuleTestFailure?
    /// Wall-clock seconds it took.
    public var seconds: Double

    /// Whether the test passed.
    public var passed: Bool { failure == nil }
}

/// Why a test failed: where, in one line, and the expected/actual lists.
public struct RuleTestFailure: Sendable, Hashable {
    /// The step that failed (1-based), or nil when the test ended with outputs nobody expected.
    public var step: Int?
    /// The step's key (`expect_iec`, `ocpp`, …), or `end of test`.
    public var keyword: String
    /// Where the step was written (the test's own place for the end of the test).
    public var location: SourceLocation
    /// The test clock at that step.
    public var time: EngineTime
    /// One line: what went wrong.
    public var summary: String
    /// The diff and further detail, one line each (without indentation).
    public var details: [String]

    /// `file:line:col: step 5 (expect_iec) at 2026-…: summary`.
    public var headline: String {
        let which = step.map { "step \($0) (\(keyword))" } ?? keyword
        return "\(location): \(which) at \(TestClock.text(time)): \(summary)"
    }

    /// The headline and the details, for people.
    public var report: String {
        ([headline] + details).joined(separator: "\n")
    }
}
