/// A monitored point of the station: where it lives, how it is sent and which interrogations include it.
public struct MonitorPoint: Hashable, Sendable {
    /// The information object address.
    public var address: UInt32
    /// The type of spontaneous and read transmissions (e.g. M_ME_TF_1); interrogations use its untimed twin.
    public var typeID: TypeID
    /// Whether station interrogation (QOI 20) reports the point.
    public var inStationInterrogation: Bool
    /// Interrogation groups 1...16 that report the point.
    public var groups: Set<Int>
    /// Counter group 1...4 of an integrated total (every total answers the general counter request).
    public var counterGroup: Int?

    /// Creates a monitored point.
    public init(address: UInt32, typeID: TypeID, inStationInterrogation: Bool = true, groups: Set<Int> = [],
                counterGroup: Int? = nil) {
        self.address = address
        self.typeID = typeID
        self.inStationInterrogation = inStationInterrogation
        self.groups = groups
        self.counterGroup = counterGroup
    }
}

/// A command point of the station: the command type it accepts and whether it must be selected first.
public struct CommandPoint: Hashable, Sendable {
    /// The information object address.
    public var address: UInt32
    /// The command type without time tag; its time-tagged twin (58–64) is accepted as well.
    public var typeID: TypeID
    /// Select-before-operate: a direct execute is refused with a negative ACT_CON.
    public var requiresSelect: Bool

    /// Creates a command point.
    public init(address: UInt32, typeID: TypeID, requiresSelect: Bool = false) {
        self.address = address
        self.typeID = typeID.nonTimeTagged
        self.requiresSelect = requiresSelect
    }
}

/// Why a station's point declarations were refused.
public enum PointDeclarationError: Error, Hashable, Sendable {
    /// Two points of the same direction share an address.
    case duplicateAddress(UInt32)
    /// The type is not a monitoring type (for a monitor point) or not a command type (for a command point).
    case wrongDirection(address: UInt32, TypeID)
    /// An interrogation group outside 1...16 or a counter group outside 1...4.
    case groupOutOfRange(address: UInt32, group: Int)
    /// A counter group on a point that is not an integrated total.
    case counterGroupOnNonCounter(address: UInt32)
    /// The address does not fit the configured IOA size.
    case addressOutOfRange(UInt32)
}

/// The checked point declarations of a station, indexed by address.
public struct StationPoints: Sendable {
    /// Monitored points by address.
    public let monitor: [UInt32: MonitorPoint]
    /// Command points by address.
    public let commands: [UInt32: CommandPoint]
    /// Monitored points in address order, the order interrogations report them in.
    public let monitorOrder: [UInt32]

    /// Checks and indexes the declarations.
    public init(monitor: [MonitorPoint], commands: [CommandPoint] = [],
                parameters: ASDUParameters = .iec104) throws(PointDeclarationError) {
        var monitorIndex: [UInt32: MonitorPoint] = [:]
        for point in monitor {
            guard point.address <= parameters.maximumInformationObjectAddress else {
                throw .addressOutOfRange(point.address)
            }
            guard point.typeID.isMonitoring, point.typeID != .M_EI_NA_1 else {
                throw .wrongDirection(address: point.address, point.typeID)
            }
            if let bad = point.groups.first(where: { !(1...16).contains($0) }) {
                throw .groupOutOfRange(address: point.address, group: bad)
            }
            if let group = point.counterGroup {
                guard point.typeID.isIntegratedTotals else { throw .counterGroupOnNonCounter(address: point.address) }
                guard (1...4).contains(group) else { throw .groupOutOfRange(address: point.address, group: group) }
            }
            guard monitorIndex.updateValue(point, forKey: point.address) == nil else {
                throw .duplicateAddress(point.address)
            }
        }
        var commandIndex: [UInt32: CommandPoint] = [:]
        for point in commands {
            guard point.address <= parameters.maximumInformationObjectAddress else {
                throw .addressOutOfRange(point.address)
            }
            guard point.typeID.isCommand else { throw .wrongDirection(address: point.address, point.typeID) }
            guard commandIndex.updateValue(point, forKey: point.address) == nil else {
                throw .duplicateAddress(point.address)
            }
        }
        self.monitor = monitorIndex
        self.commands = commandIndex
        monitorOrder = monitorIndex.keys.sorted()
    }
}
