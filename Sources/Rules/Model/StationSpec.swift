/// APCI parameters of the IEC 104 link.
public struct LinkParameters: Sendable, Hashable {
    /// Maximum unacknowledged I-frames sent.
    public var k = 12
    /// Acknowledge after this many received I-frames.
    public var w = 8
    /// Connection establishment timeout, seconds.
    public var t0: Double = 30
    /// Send/test APDU timeout, seconds.
    public var t1: Double = 15
    /// Acknowledgement timeout, seconds.
    public var t2: Double = 10
    /// Idle time before TESTFR, seconds.
    public var t3: Double = 20
}

/// What happens when the event queue is full.
public enum OverflowPolicy: String, Sendable, Hashable, CaseIterable {
    /// Drop the oldest queued event (counted and logged).
    case dropOldest = "drop_oldest"
    /// Drop the new event (counted and logged).
    case dropNewest = "drop_newest"
}

/// The IEC 104 controlled station as written in `station:`.
public struct Station: Sendable {
    /// The station's common address.
    public var commonAddress: Int = 1
    /// Listen address, `HOST:PORT`.
    public var listen = "0.0.0.0:2404"
    /// Link parameters.
    public var link = LinkParameters()
    /// Allowed master IP addresses; empty means any.
    public var masters: [String] = []
    /// Simultaneous master connections.
    public var maxConnections = 4
    /// Capacity of the queue kept while no master is active.
    public var eventQueueCapacity = 10_000
    /// What a full queue drops.
    public var overflow = OverflowPolicy.dropOldest
    /// How long a select stays armed, seconds.
    public var selectTimeout: Double = 10
    /// Ask chargers for GetCompositeSchedule before answering general interrogation.
    public var compositeScheduleRefresh = false
    /// How long to wait for those answers, seconds.
    public var compositeScheduleTimeout: Double = 2
    /// Where `station:` was written.
    public var location: SourceLocation?
}

/// Sanitizer policy for non-conformant charger payloads.
public enum SanitizerPolicy: String, Sendable, Hashable, CaseIterable {
    /// Answer non-conformant payloads with a CALLERROR.
    case strict
    /// Repair what can be repaired, mark unreadable values invalid, count every repair.
    case lenient
}

/// The OCPP central system as written in `ocpp:`.
public struct CentralSystem: Sendable {
    /// Listen address, `HOST:PORT`.
    public var listen = "0.0.0.0:9000"
    /// Accept identities not listed in `chargers`.
    public var acceptUnknownChargers = false
    /// Default sanitizer policy.
    public var sanitizer = SanitizerPolicy.lenient
    /// Default time zone for timestamps without one.
    public var timezone = "UTC"
    /// Timeout of outgoing calls, seconds.
    public var callTimeout: Double = 30
    /// Subprotocol assumed when a charger offers none; nil refuses such chargers.
    public var fallbackSubprotocol: String?
    /// The `wss://` endpoint (security profiles 2 and 3); nil serves plain `ws://` only.
    public var tls: CentralSystemTLS?
}

/// The OCPP central system's TLS endpoint as written in `ocpp.tls`; paths are resolved against the rule file's
/// folder, and read only when the gateway starts (so a site validates in CI without its keys).
public struct CentralSystemTLS: Sendable, Hashable {
    /// Listen address, `HOST:PORT`.
    public var listen = "0.0.0.0:9443"
    /// PEM file with the server certificate chain, leaf first.
    public var certificate = ""
    /// PEM file with the server's unencrypted private key.
    public var privateKey = ""
    /// PEM file with the authorities that sign chargers' client certificates (profile 3); nil asks for none.
    public var clientCertificateAuthorities: String?
}
