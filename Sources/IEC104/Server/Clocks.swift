#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The clocks of the station: a monotonic one for protocol timers, the UTC wall clock for time tags.
enum StationClock {
    /// Monotonic time since an arbitrary origin, as link state machines take it.
    static func monotonic() -> Duration {
        .nanoseconds(Int64(clamping: NIODeadline.now().uptimeNanoseconds))
    }

    /// The current UTC time from the system's real-time clock.
    static func wallClock() -> UTCDateTime {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UTCDateTime(millisecondsSince1970: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    /// A monotonic instant as an event-loop deadline.
    static func deadline(_ instant: Duration) -> NIODeadline {
        let (seconds, attoseconds) = instant.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanoseconds.overflow, seconds >= 0 else { return seconds < 0 ? .uptimeNanoseconds(0) : .distantFuture }
        return .uptimeNanoseconds(UInt64(nanoseconds.partialValue + attoseconds / 1_000_000_000))
    }
}

extension LinkCounters {
    /// Adds another link's counters (closed links are summed into the station's totals).
    static func += (lhs: inout LinkCounters, rhs: LinkCounters) {
        lhs.informationFramesReceived += rhs.informationFramesReceived
        lhs.supervisoryFramesReceived += rhs.supervisoryFramesReceived
        lhs.unnumberedFramesReceived += rhs.unnumberedFramesReceived
        lhs.informationFramesSent += rhs.informationFramesSent
        lhs.supervisoryFramesSent += rhs.supervisoryFramesSent
        lhs.unnumberedFramesSent += rhs.unnumberedFramesSent
        lhs.framesAcknowledged += rhs.framesAcknowledged
        lhs.windowAcknowledgements += rhs.windowAcknowledgements
        lhs.t2Acknowledgements += rhs.t2Acknowledgements
        lhs.t3TestFrames += rhs.t3TestFrames
        lhs.testFramesConfirmed += rhs.testFramesConfirmed
        lhs.unexpectedTestConfirmations += rhs.unexpectedTestConfirmations
        lhs.windowFullRefusals += rhs.windowFullRefusals
        lhs.t1Timeouts += rhs.t1Timeouts
        lhs.closes.sequenceError += rhs.closes.sequenceError
        lhs.closes.invalidAcknowledgement += rhs.closes.invalidAcknowledgement
        lhs.closes.informationWhileStopped += rhs.closes.informationWhileStopped
        lhs.closes.unexpectedFrame += rhs.closes.unexpectedFrame
        lhs.closes.acknowledgementTimeout += rhs.closes.acknowledgementTimeout
        lhs.closes.testFrameTimeout += rhs.closes.testFrameTimeout
        lhs.closes.local += rhs.closes.local
        lhs.closes.connectionLost += rhs.closes.connectionLost
    }
}
