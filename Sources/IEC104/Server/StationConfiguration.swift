import Logging

/// Everything a `StationServer` is configured with.
public struct StationConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The TCP port (2404 is the standard's; 0 picks a free one).
    public var port: Int
    /// The common address of ASDU (station address).
    public var commonAddress: UInt16
    /// The APCI parameters of every link.
    public var link: LinkParameters
    /// The field sizes of every ASDU.
    public var asdu: ASDUParameters
    /// Master IP addresses allowed to connect; nil admits any address.
    public var allowedMasters: Set<String>?
    /// The most connections open at once (active and standby together); more are closed on accept.
    public var maximumConnections: Int
    /// The capacity of the spontaneous-event queue, in events.
    public var eventQueueCapacity: Int
    /// What a full event queue drops.
    public var overflowPolicy: OverflowPolicy
    /// How long a selection waits for its execute.
    public var selectTimeout: Duration
    /// How long the command handler may take before the station answers with a negative ACT_CON.
    public var commandTimeout: Duration
    /// The most information objects in one ASDU (1 disables packing).
    public var maximumObjectsPerASDU: Int
    /// The most answers (interrogation replies, confirmations) waiting on one connection; more are dropped, counted.
    public var maximumPendingReplies: Int
    /// Where the station logs.
    public var logger: Logger

    /// Creates a configuration with the standard's link parameters and the 104 field sizes.
    public init(host: String = "0.0.0.0", port: Int = 2404, commonAddress: UInt16 = 1,
                link: LinkParameters = .standard, asdu: ASDUParameters = .iec104,
                allowedMasters: Set<String>? = nil, maximumConnections: Int = 4,
                eventQueueCapacity: Int = 100_000, overflowPolicy: OverflowPolicy = .dropOldest,
                selectTimeout: Duration = .seconds(10), commandTimeout: Duration = .seconds(60),
                maximumObjectsPerASDU: Int = 127, maximumPendingReplies: Int = 10_000,
                logger: Logger = Logger(label: "ocpp809.iec104")) {
        self.host = host
        self.port = port
        self.commonAddress = commonAddress
        self.link = link
        self.asdu = asdu
        self.allowedMasters = allowedMasters
        self.maximumConnections = maximumConnections
        self.eventQueueCapacity = eventQueueCapacity
        self.overflowPolicy = overflowPolicy
        self.selectTimeout = selectTimeout
        self.commandTimeout = commandTimeout
        self.maximumObjectsPerASDU = maximumObjectsPerASDU
        self.maximumPendingReplies = maximumPendingReplies
        self.logger = logger
    }
}

/// Counters of the server around the links: connections, switch-overs and dropped replies.
public struct ServerCounters: Hashable, Sendable {
    /// Connections accepted.
    public var connectionsAccepted = 0
    /// Connections closed on accept because their address is not on the allow-list.
    public var refusedNotAllowed = 0
    /// Connections closed on accept because the connection limit was reached.
    public var refusedLimit = 0
    /// Times a STARTDT on a standby connection took over from the active one.
    public var switchovers = 0
    /// Replies dropped because a connection had `maximumPendingReplies` waiting.
    public var repliesDropped = 0
    /// Connections closed because their byte stream was not valid APDUs.
    public var framingErrors = 0
    /// Commands the handler did not answer within `commandTimeout`.
    public var commandTimeouts = 0
    /// Published updates refused (unknown address, value not fitting the type).
    public var publishRejected = 0
    /// End-of-initialization messages sent.
    public var endOfInitializationSent = 0

    /// Creates zeroed counters.
    public init() {}
}

/// The state of one master connection, as reported by `StationServer.status()`.
public struct ConnectionStatus: Hashable, Sendable {
    /// The station's identifier of the connection.
    public var id: ConnectionID
    /// The master's address and port.
    public var remote: String
    /// The link state.
    public var state: ServerLink.State
    /// Whether this connection is the redundancy group's active one (spontaneous events go here).
    public var isActive: Bool
    /// The link's counters.
    public var link: LinkCounters
    /// Replies waiting for the send window.
    public var pendingReplies: Int
}

/// A snapshot of the station: connections and every counter.
public struct StationStatus: Hashable, Sendable {
    /// Open connections.
    public var connections: [ConnectionStatus]
    /// Events waiting for a master.
    public var queuedEvents: Int
    /// The event queue's counters.
    public var queue: EventQueueCounters
    /// The application layer's counters.
    public var application: ApplicationCounters
    /// The server's counters.
    public var server: ServerCounters
    /// Link counters summed over every connection closed so far and the open ones.
    public var links: LinkCounters
    /// The last offset a master's clock synchronization announced (master − station), in milliseconds.
    public var clockOffsetMilliseconds: Int64?

    /// Whether a master is active (has started data transfer).
    public var hasActiveMaster: Bool { connections.contains(where: \.isActive) }
}
