/// The APCI parameters of one 104 link (IEC 60870-5-104 §9.6): window sizes and timeouts.
///
/// t0 (connection establishment) is not here: it belongs to the transport, before a link exists.
public struct LinkParameters: Hashable, Sendable {
    /// k: the most I-frames the station sends before it must wait for an acknowledgement (1...32767).
    public let k: Int
    /// w: the station acknowledges at the latest after receiving w I-frames (1...k).
    public let w: Int
    /// t1: how long a sent I-frame or test frame may wait for its acknowledgement or confirmation.
    public let t1: Duration
    /// t2: how long a received I-frame may stay unacknowledged when there is no data to send (< t1).
    public let t2: Duration
    /// t3: how long the link may be idle (no frame received) before the station sends TESTFR act.
    public let t3: Duration

    /// The standard's defaults: k 12, w 8, t1 15 s, t2 10 s, t3 20 s.
    public static let standard = LinkParameters(unchecked: 12, 8, .seconds(15), .seconds(10), .seconds(20))

    /// Creates parameters, checking the relations the standard requires.
    public init(k: Int = 12, w: Int = 8, t1: Duration = .seconds(15), t2: Duration = .seconds(10),
                t3: Duration = .seconds(20)) throws(LinkParametersError) {
        // k ≤ 32767 keeps "unacknowledged frames" unambiguous modulo 32768.
        guard (1...Int(SequenceNumber.modulus - 1)).contains(k) else { throw .kOutOfRange(k) }
        guard (1...k).contains(w) else { throw .wOutOfRange(w: w, k: k) }
        guard t1 > .zero, t2 > .zero, t3 > .zero else { throw .nonPositiveTimeout }
        guard t2 < t1 else { throw .t2NotBelowT1 }
        self.init(unchecked: k, w, t1, t2, t3)
    }

    private init(unchecked k: Int, _ w: Int, _ t1: Duration, _ t2: Duration, _ t3: Duration) {
        self.k = k
        self.w = w
        self.t1 = t1
        self.t2 = t2
        self.t3 = t3
    }
}

/// Why link parameters were refused.
public enum LinkParametersError: Error, Hashable, Sendable {
    /// k must be in 1...32767.
    case kOutOfRange(Int)
    /// w must be in 1...k.
    case wOutOfRange(w: Int, k: Int)
    /// Every timeout must be positive.
    case nonPositiveTimeout
    /// The standard requires t2 < t1, so an acknowledgement arrives before the peer's t1 expires.
    case t2NotBelowT1
}
