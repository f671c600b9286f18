/// What the driver of a `MasterLink` must do after an event, in order.
public enum MasterLinkAction: Hashable, Sendable {
    /// Write this frame to the connection.
    case send(APDU)
    /// Hand a received ASDU (raw octets, in order of arrival) to the application.
    case deliver(asdu: [UInt8])
    /// STARTDT con arrived: the station sends data and the master may send ASDUs.
    case dataTransferStarted
    /// STOPDT con arrived: the station sends no more I-frames until the next STARTDT.
    case dataTransferStopped
    /// A send was refused because k frames were unacknowledged, and an acknowledgement freed the window.
    case readyToSend
    /// Close the connection (or, after `connectionLost`, acknowledge that it is closed).
    ///
    /// `unacknowledged` holds the ASDUs sent but never acknowledged, oldest first, so the caller can tell
    /// which commands may not have reached the station.
    case close(MasterCloseReason, unacknowledged: [[UInt8]])
}

/// Why a master link was closed.
public enum MasterCloseReason: Hashable, Sendable {
    /// A received I-frame's N(S) is not the expected V(R).
    case sequenceError(expected: SequenceNumber, received: SequenceNumber)
    /// A received N(R) acknowledges frames never sent (outside oldest-unacknowledged...V(S)).
    case invalidAcknowledgement(received: SequenceNumber, oldestUnacknowledged: SequenceNumber,
                                next: SequenceNumber)
    /// An I-frame arrived while data transfer was not started (before STARTDT con, or after STOPDT con).
    case informationWhileStopped
    /// A U-frame the controlling station never expects (STARTDT act, STOPDT act).
    case unexpectedFrame(UFunction)
    /// t1 expired before STARTDT con answered our STARTDT act.
    case startTimeout
    /// t1 expired before STOPDT con answered our STOPDT act.
    case stopTimeout
    /// t1 expired before the oldest sent I-frame was acknowledged.
    case acknowledgementTimeout
    /// t1 expired before the TESTFR con answering our TESTFR act.
    case testFrameTimeout
    /// The received bytes were not a valid APDU.
    case framingError(APDUDecodingError)
    /// The application asked to close.
    case local
    /// The transport reported the connection closed (peer close, I/O error, truncated frame).
    case connectionLost
}

/// Per-link counters of the controlling station, a plain value a load test can read and sum.
public struct MasterLinkCounters: Hashable, Sendable {
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
    /// Our I-frames the station acknowledged (by S- or I-frame).
    public var framesAcknowledged = 0
    /// S-frames sent because w I-frames were received.
    public var windowAcknowledgements = 0
    /// S-frames sent because t2 expired.
    public var t2Acknowledgements = 0
    /// S-frames sent at once because a stop was pending or requested (the station waits for them to confirm).
    public var stopAcknowledgements = 0
    /// TESTFR act sent because t3 expired.
    public var t3TestFrames = 0
    /// TESTFR con received for our TESTFR act.
    public var testFramesConfirmed = 0
    /// TESTFR, STARTDT or STOPDT con received without our matching act outstanding (ignored).
    public var unexpectedConfirmations = 0
    /// ASDUs refused because k frames were unacknowledged.
    public var windowFullRefusals = 0
    /// t1 expiries (STARTDT, STOPDT, acknowledgement or test frame); each also closes the link.
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
        /// An I-frame arrived while data transfer was not started.
        public var informationWhileStopped = 0
        /// A U-frame the controlling station never expects (STARTDT/STOPDT act).
        public var unexpectedFrame = 0
        /// t1 expired waiting for STARTDT con.
        public var startTimeout = 0
        /// t1 expired waiting for STOPDT con.
        public var stopTimeout = 0
        /// t1 expired waiting for the ack of a sent I-frame.
        public var acknowledgementTimeout = 0
        /// t1 expired waiting for TESTFR con.
        public var testFrameTimeout = 0
        /// The byte stream was not valid APCI.
        public var framingError = 0
        /// The application closed the link.
        public var local = 0
        /// The transport went away.
        public var connectionLost = 0

        /// Creates zeroed counters.
        public init() {}

        /// Counts one close.
        mutating func count(_ reason: MasterCloseReason) {
            switch reason {
            case .sequenceError: sequenceError += 1
            case .invalidAcknowledgement: invalidAcknowledgement += 1
            case .informationWhileStopped: informationWhileStopped += 1
            case .unexpectedFrame: unexpectedFrame += 1
            case .startTimeout: startTimeout += 1
            case .stopTimeout: stopTimeout += 1
            case .acknowledgementTimeout: acknowledgementTimeout += 1
            case .testFrameTimeout: testFrameTimeout += 1
            case .framingError: framingError += 1
            case .local: local += 1
            case .connectionLost: connectionLost += 1
            }
        }
    }
}
