/// The bounds that keep a misbehaving or hostile client from tying up the admin server.
public struct AdminServerLimits: Sendable, Hashable {
    /// How long a client may take to deliver one complete request, counted from when the connection opens or
    /// its previous response went out; also how long an idle keep-alive connection stays open.
    public var requestTimeout: Duration
    /// The most connections open at once; further ones are closed on accept.
    public var maximumConnections: Int
    /// The largest request body accepted (413 and close beyond it); no route reads a body.
    public var maximumBodyBytes: Int
    /// The largest request head (request line and headers) accepted (400 and close beyond it).
    public var maximumHeadBytes: Int

    /// Limits with defaults suited to a loopback operator interface.
    public init(requestTimeout: Duration = .seconds(10), maximumConnections: Int = 64,
                maximumBodyBytes: Int = 64 * 1024, maximumHeadBytes: Int = 16 * 1024) {
        self.requestTimeout = requestTimeout
        self.maximumConnections = maximumConnections
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumHeadBytes = maximumHeadBytes
    }
}
