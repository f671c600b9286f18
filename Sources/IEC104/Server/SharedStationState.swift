import Logging

/// The part of the station that publishers on any thread touch: the image, the event queue and the
/// bookkeeping of drop logging. It lives behind one lock; everything else stays on the station's event loop.
struct SharedStationState: Sendable {
    var image: PointImage
    var queue: EventQueue
    /// A drain of the queue is already scheduled on the event loop.
    var drainScheduled = false
    /// Published updates refused.
    var publishRejected = 0
    /// Drops not yet logged, and when the last drop line was written.
    var dropsSinceLog = 0
    var lastDropLog: Duration?

    /// Counts a drop; returns the number to log now, or nil while the last line is younger than `interval`.
    mutating func noteDrop(now: Duration, interval: Duration) -> Int? {
        dropsSinceLog += 1
        if let last = lastDropLog, now - last < interval { return nil }
        lastDropLog = now
        defer { dropsSinceLog = 0 }
        return dropsSinceLog
    }
}

/// Writes one line per interval at most for a recurring event, with the number of occurrences it stands for.
struct RateLimitedLog: Sendable {
    let interval: Duration
    private var last: Duration?
    private var suppressed = 0

    init(interval: Duration = .seconds(10)) { self.interval = interval }

    /// Logs `message` unless a line went out less than `interval` ago; the next line reports the skipped ones.
    mutating func warning(_ message: @autoclosure () -> String, logger: Logger, now: Duration) {
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
