import Foundation

/// Instants as RFC 3339 text with milliseconds, for log lines and the admin API. A format style is a value, so
/// it is made once and shared instead of building a formatter per line.
enum ISOTime {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `2026-11-25T02:12:08.699Z`.
    static func text(_ date: Date) -> String { style.format(date) }
}
