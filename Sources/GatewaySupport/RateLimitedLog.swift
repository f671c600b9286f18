import Logging
import NIOCore

/// Writes one line per interval at most for a recurring event, with the number of occurrences it stands for.
///
/// Shared by the IEC 104 and OCPP servers, whose refusals and drops can come in floods (scanners, a looping peer).
package struct RateLimitedLog: Sendable {
    /// The shortest time between two lines.
    package let interval: Duration
    private var last: Duration?
    private var suppressed = 0

    /// A log writing at most one line per `interval`.
    package init(interval: Duration = .seconds(10)) { self.interval = interval }

    /// Logs `message` unless a line went out less than `interval` ago; the next line reports the skipped ones.
    /// `now` is a monotonic instant (the event loop's uptime clock by default).
    package mutating func warning(_ message: @autoclosure () -> String, logger: Logger,
                                  now: Duration = .nanoseconds(Int64(clamping: NIODeadline.now().uptimeNanoseconds))) {
        if let last, now - last < interval {
            suppressed += 1
            return
        }
        let skipped = suppressed
        last = now
        suppressed = 0
        logger.warning("\(message())\(skipped > 0 ? " (and \(skipped) more since the last report)" : "")")
    }
}
