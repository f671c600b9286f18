import Foundation
import Rules

/// Renders rule-test reports for people (one line per test, diffs for failures) and for CI (JUnit XML).
public enum RuleTestReporting {
    /// The console text of one file: a header, `PASS name` / `FAIL name` lines, each failure's report indented;
    /// nothing for a file that could not be run or whose tests the name filter left out.
    public static func text(_ report: RuleTestFileReport) -> String {
        guard !report.isUnreadable, !report.results.isEmpty else { return "" }
        var lines = ["\(report.path) (site \(report.siteRoot ?? "?"), \(report.results.count) test\(report.results.count == 1 ? "" : "s"))"]
        for result in report.results {
            lines.append("\(result.passed ? "PASS" : "FAIL") \(result.name)")
            if let failure = result.failure {
                lines += failure.report.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The closing summary: `12 tests: 11 passed, 1 failed` (and unreadable files).
    public static func summary(_ reports: [RuleTestFileReport]) -> String {
        let results = reports.flatMap(\.results)
        let failed = results.filter { !$0.passed }.count
        let unreadable = reports.filter(\.isUnreadable).count
        var text = "\(results.count) test\(results.count == 1 ? "" : "s"): \(results.count - failed) passed, \(failed) failed"
        if unreadable > 0 { text += "; \(unreadable) test file\(unreadable == 1 ? "" : "s") could not be run" }
        return text + "\n"
    }

    /// JUnit XML: one `testsuite` per file, one `testcase` per test with its `failure`; an unreadable file is a
    /// suite with one `error`.
    public static func junit(_ reports: [RuleTestFileReport]) -> String {
        let results = reports.flatMap(\.results)
        let total = results.reduce(0) { $0 + $1.seconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"ocpp809 rules test\" tests=\"\(results.count + reports.filter(\.isUnreadable).count)\""
            + " failures=\"\(results.filter { !$0.passed }.count)\" errors=\"\(reports.filter(\.isUnreadable).count)\""
            + " time=\"\(seconds(total))\">\n"
        for report in reports {
            let className = escape(report.path)
            if report.isUnreadable {
                let diagnostics = report.diagnostics.filter { $0.severity == .error }
                xml += "  <testsuite name=\"\(className)\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0\">\n"
                xml += "    <testcase name=\"(test file)\" classname=\"\(className)\" time=\"0\">\n"
                xml += "      <error message=\"\(escape(diagnostics.first?.description ?? "unreadable"))\" type=\"unreadable\">"
                    + escape(DiagnosticRendering.text(diagnostics)) + "</error>\n"
                xml += "    </testcase>\n  </testsuite>\n"
                continue
            }
            let time = report.results.reduce(0) { $0 + $1.seconds }
            xml += "  <testsuite name=\"\(className)\" tests=\"\(report.results.count)\" failures=\"\(report.failures.count)\""
                + " errors=\"0\" time=\"\(seconds(time))\">\n"
            for result in report.results {
                xml += "    <testcase name=\"\(escape(result.name))\" classname=\"\(className)\""
                    + " file=\"\(className)\" line=\"\(result.location.mark.line)\" time=\"\(seconds(result.seconds))\""
                if let failure = result.failure {
                    xml += ">\n      <failure message=\"\(escape(failure.headline))\" type=\"failure\">"
                        + escape(failure.report) + "</failure>\n    </testcase>\n"
                } else {
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// Seconds with millisecond precision.
    private static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value)
    }

    /// Text safe inside XML attributes and elements; characters XML 1.0 cannot hold become U+FFFD.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let allowed = (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || value >= 0x10000
                escaped.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return escaped
    }
}
