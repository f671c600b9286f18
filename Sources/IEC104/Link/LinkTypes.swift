/// What the driver of a `ServerLink` must do after an event, in order.
public enum LinkAction: Hashable, Sendable {
    /// Write this frame to the connection.
    case send(APDU)
    /// Hand a received ASDU (raw octets, in order of arrival) to the application.
    case deliver(asdu: [UInt8])
    /// The master started data transfer (STARTDT): the application may send ASDUs.
    case dataTransferStarted
    /// Data transfer is stopped (STOPDT con was sent): ASDUs are refused until the next STARTDT.
    case dataTransferStopped
    /// A send was refused (window full, stop pending) and sending is possible again: resume the queue.
    case readyToSend
    /// Close the connection (or, after `connectionLost`, acknowledge that it is closed).
    ///
    /// `unacknowledged` holds the ASDUs sent but never acknowledged, oldest first: the server may send
    /// them again on the next active connection (at-least-once delivery).
    case close(LinkCloseReason, unacknowledged: [[UInt8]])
}

/// Why a link was closed.
public enum LinkCloseReason: Hashable, Sendable {
    /// A received I-frame's N(S) is not the expected V(R).
    case sequenceError(expected: SequenceNumber, received: SequenceNumber)
    /// A received N(R) acknowledges frames never sent (outside oldest-unacknowledged...V(S)).
    case invalidAcknowledgement(received: SequenceNumber, oldestUnacknowledged: SequenceNumber,
                                next: SequenceNumber)
    /// An I-frame arrived while data transfer was stopped (before STARTDT, or after STOPDT act).
    case informationWhileStopped
    /// A U-frame the controlled station never expects (STARTDT con, STOPDT con).
    case unexpectedFrame(UFunction)
    /// t1 expired before the oldest sent I-frame was acknowledged.
    case acknowledgementTimeout
    /// t1 expired before the TESTFR con answering our TESTFR act.
    case testFrameTimeout
    /// The application asked to close.
    case local
    /// The transport reported the connection closed (peer close, I/O error, framing error).
    case connectionLost
}

/// The outcome of offering an ASDU to the link.
public enum LinkSendResult: Hashable, Sendable {
    /// Write this I-frame; the link keeps the ASDU until it is acknowledged.
    case transmit(APDU)
    /// The link did not take the ASDU; it stays with the caller.
    case refused(LinkSendRefusal)
}

/// Why the link did not take an ASDU. The link never queues: the caller keeps refused ASDUs.
public enum LinkSendRefusal: Error, Hashable, Sendable {
    /// k I-frames are unacknowledged; `readyToSend` follows when an acknowledgement frees the window.
    case windowFull
    /// Data transfer is not started (before STARTDT); `dataTransferStarted` follows.
    case notStarted
    /// Data transfer is being stopped (STOPDT act sent or received); no new I-frames until it is started again.
    case stopping
    /// The link is closed.
    case closed
    /// The ASDU is empty or longer than 249 octets.
    case invalidLength(Int)
}

/// Per-link counters, a plain value the server can read and sum.
public struct LinkCounters: Hashable, Sendable {
    /// I-frames received (including one that closed the link).
    public var informationFramesReceived = 0
    /// S-frames received.
    public var supervisoryFramesReceived = 0
    /// U-frames received.
    public var unnumberedFramesReceived = 0
    /// I-frames sent.
    public var informationFramesSent = 0
    /// S-frames sent.
    public var supervisoryFramesSent = 0
    /// U-frames sent.
    public var unnumberedFramesSent = 0
    /// Our I-frames the master acknowledged (by S- or I-frame).
    public var framesAcknowledged = 0
    /// S-frames sent because w I-frames were received.
    public var windowAcknowledgements = 0
    /// S-frames sent because t2 expired.
    public var t2Acknowledgements = 0
    /// TESTFR act sent because t3 expired.
    public var t3TestFrames = 0
    /// TESTFR con received for our TESTFR act.
    public var testFramesConfirmed = 0
    /// TESTFR con received without an outstanding TESTFR act (ignored).
    public var unexpectedTestConfirmations = 0
    /// ASDUs refused because k frames were unacknowledged.
    public var windowFullRefusals = 0
    /// t1 expiries (acknowledgement or test frame); each also closes the link.
    public var t1Timeouts = 0
    /// Closes, by reason.
    public var closes = CloseCounters()

    /// Creates zeroed counters.
    public init() {}

    /// Link closes by reason.
    public struct CloseCounters: Hashable, Sendable {
        /// Received N(S) was not the expected V(R).
        public var sequenceError = 0
        /// Received N(R) acknowledged frames never sent.
        public var invalidAcknowledgement = 0
        /// An I-frame arrived before STARTDT or during STOPDT.
        public var informationWhileStopped = 0
        /// A U-frame the controlled station never expects (STARTDT/STOPDT con).
        public var unexpectedFrame = 0
        /// t1 expired waiting for the ack of a sent I-frame.
        public var acknowledgementTimeout = 0
        /// t1 expired waiting for TESTFR con.
        public var testFrameTimeout = 0
        /// The application closed the link.
        public var local = 0
        /// The transport went away.
        public var connectionLost = 0

        /// Creates zeroed counters.
        public init() {}

        /// Counts one close.
        mutating func count(_ reason: LinkCloseReason) {
            switch reason {
            case .sequenceError: sequenceError += 1
            case .invalidAcknowledgement: invalidAcknowledgement += 1
            case .informationWhileStopped: informationWhileStopped += 1
            case .unexpectedFrame: unexpectedFrame += 1
            case .acknowledgementTimeout: acknowledgementTimeout += 1
            case .testFrameTimeout: testFrameTimeout += 1
            case .local: local += 1
            case .connectionLost: connectionLost += 1
            }
        }
    }
}
