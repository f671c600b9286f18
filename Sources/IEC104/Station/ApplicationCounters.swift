/// Counters of the station's application layer, a plain value the server sums and reports.
public struct ApplicationCounters: Hashable, Sendable {
    /// ASDUs received from masters.
    public var asdusReceived = 0
    /// ASDUs that could not be decoded (truncated, inconsistent length) and were dropped.
    public var undecodable = 0
    /// Station and group interrogations answered.
    public var interrogations = 0
    /// Counter interrogations answered.
    public var counterInterrogations = 0
    /// Reads answered.
    public var reads = 0
    /// Clock synchronizations confirmed.
    public var clockSynchronizations = 0
    /// Negative answers with COT 44 (unknown type).
    public var unknownType = 0
    /// Negative answers with COT 45 (unknown cause).
    public var unknownCause = 0
    /// Negative answers with COT 46 (unknown common address).
    public var unknownCommonAddress = 0
    /// Negative answers with COT 47 (unknown object address).
    public var unknownObjectAddress = 0
    /// Commands handed to the gateway's handler (selects and executes).
    public var commandsDispatched = 0
    /// Commands the handler accepted.
    public var commandsAccepted = 0
    /// Commands the handler rejected.
    public var commandsRejected = 0
    /// Commands the station refused before the handler (select-before-operate, busy, bad state).
    public var commandsRefused = 0
    /// Of those, executes refused because the point requires a selection.
    public var refusedWithoutSelect = 0
    /// Selections that lapsed before their execute.
    public var selectionsExpired = 0
    /// Selections cancelled by DEACT.
    public var deactivations = 0

    /// Creates zeroed counters.
    public init() {}

    /// Counts a negative answer by its cause.
    mutating func countNegative(_ cause: Cause) {
        switch cause {
        case .unknownTypeID: unknownType += 1
        case .unknownCause: unknownCause += 1
        case .unknownCommonAddress: unknownCommonAddress += 1
        case .unknownObjectAddress: unknownObjectAddress += 1
        default: break
        }
    }

    /// Counts a command the station refused itself.
    mutating func countRefusal(_ refusal: CommandRefusal) {
        commandsRefused += 1
        if refusal == .selectRequired { refusedWithoutSelect += 1 }
    }
}
