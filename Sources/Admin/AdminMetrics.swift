import Metrics

/// Why the server closed a connection or turned a request away without the backend's help.
enum AdminRefusal: String, Sendable {
    /// Accepted while `maximumConnections` were already open.
    case connectionLimit = "connection_limit"
    /// A request had begun but was not complete within `requestTimeout` (slowloris).
    case requestTimeout = "request_timeout"
    /// The body was longer than `maximumBodyBytes`.
    case bodyTooLarge = "body_too_large"
    /// The bytes were not HTTP/1.1 (or the head exceeded its limit).
    case malformedRequest = "malformed_request"
}

/// The admin server's counters, through swift-metrics so they land in whatever backend the process bootstrapped.
///
/// Handles are made per event rather than kept: a handle made before `MetricsSystem.bootstrap` stays a no-op
/// forever, and the server may well be created first. The Prometheus factory returns the registered counter,
/// so this costs a lookup, which is nothing at admin request rates.
enum AdminMetrics {
    /// `admin_requests_total{path,status}`: every answered request; unknown paths count as "other" so that
    /// scanners cannot grow the label set.
    static func requestAnswered(_ route: AdminRoute?, status: Int) {
        Counter(label: "admin_requests_total",
                dimensions: [("path", route?.rawValue ?? "other"), ("status", String(status))]).increment()
    }

    /// `admin_refused_total{reason}`: connections closed or requests refused by the server's own limits.
    static func refused(_ reason: AdminRefusal) {
        Counter(label: "admin_refused_total", dimensions: [("reason", reason.rawValue)]).increment()
    }
}
