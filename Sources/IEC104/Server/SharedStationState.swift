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
