/// The command a master sent, without its transport details.
public enum Command: Hashable, Sendable {
    /// Single command (C_SC_*): the state to set and the qualifier QU.
    case single(Bool, qualifier: UInt8)
    /// Double command (C_DC_*): off or on, and the qualifier QU.
    case double(DoublePointState, qualifier: UInt8)
    /// Set-point, normalized value (C_SE_NA_1 / C_SE_TA_1).
    case setpointNormalized(NormalizedValue)
    /// Set-point, scaled value (C_SE_NB_1 / C_SE_TB_1).
    case setpointScaled(Int16)
    /// Set-point, short floating point (C_SE_NC_1 / C_SE_TC_1).
    case setpointFloat(Float)
}

/// Which step of a command the master asks for.
public enum CommandPhase: Hashable, Sendable {
    /// S/E = 1: reserve the point for the execute that follows.
    case select
    /// S/E = 0: carry the command out.
    case execute
}

/// A command handed to the gateway's handler: answer it, and the station confirms or refuses it to the master.
public struct CommandRequest: Hashable, Sendable {
    /// The command point's address.
    public var address: UInt32
    /// The point's declared command type (without time tag).
    public var typeID: TypeID
    /// The command.
    public var command: Command
    /// Select or execute.
    public var phase: CommandPhase
    /// The master's time tag for the time-tagged command types (58–64).
    public var time: CP56Time2a?
    /// The master's originator address.
    public var originatorAddress: UInt8
    /// The master's remote address, for logs.
    public var master: String
    /// An execute that follows this master's positive select of the same command (the selection is consumed).
    public var followsSelection: Bool

    /// Creates a request.
    public init(address: UInt32, typeID: TypeID, command: Command, phase: CommandPhase, time: CP56Time2a? = nil,
                originatorAddress: UInt8 = 0, master: String = "", followsSelection: Bool = false) {
        self.address = address
        self.typeID = typeID
        self.command = command
        self.phase = phase
        self.time = time
        self.originatorAddress = originatorAddress
        self.master = master
        self.followsSelection = followsSelection
    }
}

/// The gateway's answer to a command.
public enum CommandAnswer: Hashable, Sendable {
    /// Carried out (or, for a select, allowed): positive ACT_CON, and ACT_TERM after an execute.
    case accepted
    /// Refused: negative ACT_CON; the reason goes to the log.
    case rejected(reason: String)
}

/// Where a command refused by the station itself (before any handler) failed.
public enum CommandRefusal: Hashable, Sendable, CustomStringConvertible {
    /// The point requires select-before-operate and no selection is held.
    case selectRequired
    /// Another master's selection holds the point.
    case selectedByAnotherMaster
    /// The selection expired before the execute arrived.
    case selectionExpired
    /// The execute differs from the selected command (value, qualifier or type).
    case differsFromSelection
    /// A command for the point is still being carried out.
    case busy
    /// A double command with state intermediate or indeterminate.
    case invalidState
    /// The ASDU carries more than one object.
    case multipleObjects
    /// DEACT without a selection of this master on the point.
    case nothingToDeactivate

    /// Words for the log.
    public var description: String {
        switch self {
        case .selectRequired: "select-before-operate required"
        case .selectedByAnotherMaster: "point selected by another master"
        case .selectionExpired: "selection expired"
        case .differsFromSelection: "execute differs from the selected command"
        case .busy: "a command for this point is in progress"
        case .invalidState: "double command state must be off or on"
        case .multipleObjects: "one command object per ASDU"
        case .nothingToDeactivate: "no selection to deactivate"
        }
    }
}

extension InformationElement {
    /// The command, S/E and time tag of a command element; nil for every other element.
    var commandParts: (command: Command, select: Bool, time: CP56Time2a?)? {
        switch self {
        case let .singleCommand(state, q): (.single(state, qualifier: q.qualifier), q.select, nil)
        case let .singleCommandWithTime(state, q, t): (.single(state, qualifier: q.qualifier), q.select, t)
        case let .doubleCommand(state, q): (.double(state, qualifier: q.qualifier), q.select, nil)
        case let .doubleCommandWithTime(state, q, t): (.double(state, qualifier: q.qualifier), q.select, t)
        case let .setpointNormalized(v, q): (.setpointNormalized(v), q.select, nil)
        case let .setpointNormalizedWithTime(v, q, t): (.setpointNormalized(v), q.select, t)
        case let .setpointScaled(v, q): (.setpointScaled(v), q.select, nil)
        case let .setpointScaledWithTime(v, q, t): (.setpointScaled(v), q.select, t)
        case let .setpointFloat(v, q): (.setpointFloat(v), q.select, nil)
        case let .setpointFloatWithTime(v, q, t): (.setpointFloat(v), q.select, t)
        default: nil
        }
    }
}
