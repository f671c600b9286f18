/// Identifies one master connection inside the station.
public typealias ConnectionID = Int

/// What the application layer asks the server to do after an incoming ASDU or a command's completion.
enum ApplicationOutput: Hashable, Sendable {
    /// Send this ASDU to the connection the request came from.
    case reply(ASDU)
    /// Send these ASDU octets back (an ASDU of an unknown type, mirrored with COT 44).
    case replyRaw([UInt8])
    /// Hand the command to the gateway's handler; answer with `completeCommand(id:answer:now:)`.
    case dispatch(id: UInt64, CommandRequest)
    /// The station refused a command itself (the negative confirmation follows as a `.reply`); for the log.
    case refused(address: UInt32, CommandRefusal)
}

/// The application behaviour of the controlled station (IEC 60870-5-104 §7 / 101 §7.4): interrogations, reads,
/// clock synchronization, test commands and select-before-operate commands, as a value type without I/O.
///
/// It answers each request with the ASDUs for the asking connection. Commands go out as `.dispatch` and come
/// back through `completeCommand`. Selections belong to one connection and lapse after `selectTimeout`.
struct StationApplication: Sendable {
    /// What the application needs to know about the station.
    struct Configuration: Hashable, Sendable {
        var commonAddress: UInt16
        var selectTimeout: Duration
        var maximumObjectsPerASDU: Int
        var asduParameters: ASDUParameters
    }

    /// A point reserved by a positive select.
    struct Selection: Hashable, Sendable {
        var connection: ConnectionID
        var typeID: TypeID
        var command: Command
        var expires: Duration
    }

    /// A command waiting for the handler's answer.
    struct PendingCommand: Hashable, Sendable {
        var connection: ConnectionID
        var request: ASDU
        var address: UInt32
        var phase: CommandPhase
        var typeID: TypeID
        var command: Command
        /// False once the connection is gone: the answer is then only logged.
        var connectionAlive = true
    }

    let configuration: Configuration
    /// The declared points; commands are checked against them.
    private(set) var points: StationPoints
    private(set) var selections: [UInt32: Selection] = [:]
    private(set) var pending: [UInt64: PendingCommand] = [:]
    private var nextCommandID: UInt64 = 1
    /// Command points whose selection lapsed and that have not been selected since.
    var lapsedSelections: Set<UInt32> = []
    /// The last clock offset a master's C_CS_NA_1 announced (master time − station time), in milliseconds.
    private(set) var clockOffsetMilliseconds: Int64?
    /// Counters of requests and answers.
    private(set) var counters = ApplicationCounters()

    init(configuration: Configuration, points: StationPoints) {
        self.configuration = configuration
        self.points = points
    }

    // MARK: - Incoming ASDUs

    /// Answers one ASDU received from `connection`.
    mutating func handle(_ octets: [UInt8], from connection: ConnectionID, master: String, now: Duration,
                         wallClock: UTCDateTime, image: PointImage) -> [ApplicationOutput] {
        counters.asdusReceived += 1
        var asdu: ASDU
        do {
            asdu = try ASDU.decode(octets, parameters: configuration.asduParameters)
        } catch .unknownTypeID {
            return negativeRaw(octets, .unknownTypeID)
        } catch {
            counters.undecodable += 1
            return []
        }
        let type = asdu.typeID
        guard !type.isMonitoring, type != .M_EI_NA_1 else { return negative(asdu, .unknownTypeID) }
        let broadcastAllowed = type == .C_IC_NA_1 || type == .C_CI_NA_1 || type == .C_CS_NA_1
        let broadcast = asdu.commonAddress == configuration.asduParameters.maximumCommonAddress
        guard asdu.commonAddress == configuration.commonAddress || (broadcastAllowed && broadcast) else {
            return negative(asdu, .unknownCommonAddress)
        }
        // A broadcast is answered with the station's own address (IEC 60870-5-101 §7.2.4).
        asdu.commonAddress = configuration.commonAddress
        switch type {
        case .C_IC_NA_1: return interrogation(asdu, image: image)
        case .C_CI_NA_1: return counterInterrogation(asdu, image: image)
        case .C_RD_NA_1: return read(asdu, image: image)
        case .C_CS_NA_1: return clockSynchronization(asdu, wallClock: wallClock)
        case .C_TS_TA_1:
            guard asdu.causeOfTransmission.cause == .activation else { return negative(asdu, .unknownCause) }
            return [.reply(asdu.answer(.activationConfirmation))]
        default:
            return command(asdu, from: connection, master: master, now: now)
        }
    }

    /// Drops the connection's selections; commands still with the handler will not be answered to it.
    mutating func connectionClosed(_ connection: ConnectionID) {
        selections = selections.filter { $0.value.connection != connection }
        for (id, command) in pending where command.connection == connection {
            pending[id]?.connectionAlive = false
        }
    }

    /// Serves a new set of points: selections survive on command points that keep their address and type.
    mutating func replacePoints(_ points: StationPoints) {
        self.points = points
        selections = selections.filter { address, selection in points.commands[address]?.typeID == selection.typeID }
        lapsedSelections = lapsedSelections.filter { points.commands[$0] != nil }
    }

    // MARK: - Interrogation, read, clock

    private mutating func interrogation(_ asdu: ASDU, image: PointImage) -> [ApplicationOutput] {
        guard case let .interrogation(qualifier)? = asdu.objects.first?.element else { return [] }
        switch asdu.causeOfTransmission.cause {
        case .activation: break
        case .deactivation:
            // Every answer is queued at once, so there is nothing left to stop.
            return [.reply(asdu.answer(.deactivationConfirmation, negative: true))]
        default: return negative(asdu, .unknownCause)
        }
        let cause: Cause
        let members: [UInt32]
        if qualifier == 20 {
            cause = .interrogatedByStation
            members = image.points.monitorOrder.filter {
                guard let point = image.points.monitor[$0] else { return false }
                return point.inStationInterrogation && !point.typeID.isIntegratedTotals
            }
        } else if let group = Cause.interrogatedByGroup(Int(qualifier) - 20) {
            cause = group
            let number = Int(qualifier) - 20
            members = image.points.monitorOrder.filter {
                guard let point = image.points.monitor[$0] else { return false }
                return point.groups.contains(number) && !point.typeID.isIntegratedTotals
            }
        } else {
            return [.reply(asdu.answer(.activationConfirmation, negative: true))]
        }
        counters.interrogations += 1
        let objects = members.compactMap { address in
            image.points.monitor[address].flatMap { image.object(at: address, as: $0.typeID.nonTimeTagged) }
        }
        return [.reply(asdu.answer(.activationConfirmation))]
            + pack(objects, cause: cause, originator: asdu.causeOfTransmission.originatorAddress).map { .reply($0) }
            + [.reply(asdu.answer(.activationTermination))]
    }

    private mutating func counterInterrogation(_ asdu: ASDU, image: PointImage) -> [ApplicationOutput] {
        guard case let .counterInterrogation(qualifier)? = asdu.objects.first?.element else { return [] }
        guard asdu.causeOfTransmission.cause == .activation else { return negative(asdu, .unknownCause) }
        let cause: Cause
        let group: Int?
        switch qualifier.request {
        case 5: (cause, group) = (.requestedByGeneralCounter, nil)
        case 1...4:
            let number = Int(qualifier.request)
            (cause, group) = (Cause.requestedByCounterGroup(number) ?? .requestedByGeneralCounter, number)
        default: return [.reply(asdu.answer(.activationConfirmation, negative: true))]
        }
        // The totals are the chargers' own registers: the station can read them, never freeze or reset them.
        guard qualifier.freeze == 0 else { return [.reply(asdu.answer(.activationConfirmation, negative: true))] }
        counters.counterInterrogations += 1
        let objects = image.points.monitorOrder.compactMap { address -> InformationObject? in
            guard let point = image.points.monitor[address], point.typeID.isIntegratedTotals,
                  group == nil || point.counterGroup == group else { return nil }
            return image.object(at: address, as: .M_IT_NA_1)
        }
        return [.reply(asdu.answer(.activationConfirmation))]
            + pack(objects, cause: cause, originator: asdu.causeOfTransmission.originatorAddress).map { .reply($0) }
            + [.reply(asdu.answer(.activationTermination))]
    }

    private mutating func read(_ asdu: ASDU, image: PointImage) -> [ApplicationOutput] {
        guard asdu.causeOfTransmission.cause == .request else { return negative(asdu, .unknownCause) }
        guard let address = asdu.objects.first?.address, let point = image.points.monitor[address],
              let object = image.object(at: address, as: point.typeID) else {
            return negative(asdu, .unknownObjectAddress)
        }
        counters.reads += 1
        let cot = CauseOfTransmission(.request, originatorAddress: asdu.causeOfTransmission.originatorAddress)
        return [.reply(ASDU(typeID: point.typeID, causeOfTransmission: cot, commonAddress: configuration.commonAddress,
                            objects: [object]))]
    }

    /// Confirms with the master's time. The gateway does not set the host clock (that is NTP's job); it keeps
    /// the offset so it can be reported.
    private mutating func clockSynchronization(_ asdu: ASDU, wallClock: UTCDateTime) -> [ApplicationOutput] {
        guard case let .clockSynchronization(time)? = asdu.objects.first?.element else { return [] }
        guard asdu.causeOfTransmission.cause == .activation else { return negative(asdu, .unknownCause) }
        counters.clockSynchronizations += 1
        if let masterTime = time.dateTime {
            clockOffsetMilliseconds = masterTime.millisecondsSince1970 - wallClock.millisecondsSince1970
        }
        return [.reply(asdu.answer(.activationConfirmation))]
    }

    // MARK: - Helpers

    /// Packs objects into as few ASDUs as the size limits allow, starting a new one whenever the type changes.
    func pack(_ objects: [InformationObject], cause: Cause, originator: UInt8) -> [ASDU] {
        var result: [ASDU] = []
        let cot = CauseOfTransmission(cause, originatorAddress: originator)
        for object in objects {
            let type = object.element.typeID
            let limit = min(configuration.maximumObjectsPerASDU,
                            ASDU.maximumObjectCount(of: type, isSequence: false, parameters: configuration.asduParameters))
            if let last = result.last, last.typeID == type, last.objects.count < limit {
                result[result.count - 1].objects.append(object)
            } else {
                result.append(ASDU(typeID: type, causeOfTransmission: cot, commonAddress: configuration.commonAddress,
                                   objects: [object]))
            }
        }
        return result
    }

    /// The request mirrored with a negative cause (44–47).
    mutating func negative(_ asdu: ASDU, _ cause: Cause) -> [ApplicationOutput] {
        counters.countNegative(cause)
        return [.reply(asdu.answer(cause, negative: true))]
    }

    /// Raw octets mirrored with a negative cause, for an ASDU the codec cannot decode further.
    private mutating func negativeRaw(_ octets: [UInt8], _ cause: Cause) -> [ApplicationOutput] {
        counters.countNegative(cause)
        guard octets.count >= configuration.asduParameters.headerLength else { return [] }
        var mirrored = octets
        mirrored[2] = (octets[2] & 0x80) | 0x40 | cause.rawValue
        return [.replyRaw(mirrored)]
    }

    mutating func makeCommandID() -> UInt64 {
        defer { nextCommandID += 1 }
        return nextCommandID
    }

    mutating func recordPending(_ id: UInt64, _ command: PendingCommand) { pending[id] = command }
    mutating func removePending(_ id: UInt64) -> PendingCommand? { pending.removeValue(forKey: id) }
    mutating func setSelection(_ selection: Selection?, at address: UInt32) { selections[address] = selection }
    mutating func countCommand(_ update: (inout ApplicationCounters) -> Void) { update(&counters) }
}

extension ASDU {
    /// This ASDU sent back with another cause (and the P/N bit), keeping the originator address and objects.
    func answer(_ cause: Cause, negative: Bool = false) -> ASDU {
        var copy = self
        copy.causeOfTransmission.cause = cause
        copy.causeOfTransmission.isNegative = negative
        return copy
    }
}
