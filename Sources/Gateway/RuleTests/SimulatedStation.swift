import IEC104
import Rules

/// The IEC 104 station as a test sees it: the point image, interrogations, and the station's own command checks
/// (select-before-operate bookkeeping, busy points) before a command reaches the engine.
struct SimulatedStation {
    /// Why the station refused a published update (an engine bug, since the engine publishes only its points).
    struct PublishRefusal: Error {
        let message: String
    }

    /// What became of a command SCADA sent.
    enum CommandIntake {
        /// Refused by the station itself; the engine never sees it.
        case refused(IECObservation)
        /// Passed on to the engine under this ticket.
        case dispatched(CommandTicket, CommandRequest)
    }

    private struct Entry {
        var value: PointValue
        var quality: QualityDescriptor
        var time: UTCDateTime?
    }

    private struct Selection {
        var type: TypeID
        var command: Command
        var expires: EngineTime
    }

    private struct Pending {
        var request: CommandRequest
        var sentType: TypeID
    }

    private let points: StationPoints
    private let selectTimeout: Double
    private var image: [UInt32: Entry] = [:]
    private var selections: [UInt32: Selection] = [:]
    private var lapsed: Set<UInt32> = []
    private var pending: [CommandTicket: Pending] = [:]
    private var nextTicket: CommandTicket = 1

    /// The station of a site: every monitor and command point of the graph.
    init(graph: RuleGraph) throws(PointDeclarationError) {
        points = try GatewayEngine.stationPoints(for: graph).points
        selectTimeout = graph.station.selectTimeout
        for (address, point) in points.monitor {
            image[address] = Entry(value: .placeholder(for: point.typeID), quality: [.invalid, .notTopical], time: nil)
        }
    }

    // MARK: - Monitor direction

    /// Applies an update to the image; returns the ASDU it sends (nil for image-only updates).
    mutating func publish(_ update: PointUpdate, at now: EngineTime, step: Int) throws(PublishRefusal) -> IECObservation? {
        guard let point = points.monitor[update.address] else {
            throw PublishRefusal(message: "the engine published IOA \(update.address), which is no monitor point of the station")
        }
        guard update.value.fits(point.typeID) else {
            throw PublishRefusal(message: "the engine published \(update.value) to IOA \(update.address), which is \(point.typeID)")
        }
        let time = update.time ?? UTCDateTime(millisecondsSince1970: TestClock.milliseconds(now))
        image[update.address] = Entry(value: update.value, quality: update.quality, time: time)
        let cot: Int
        switch update.transmission {
        case .imageOnly: return nil
        case .spontaneous: cot = 3
        case .periodic: cot = 1
        case .background: cot = 2
        }
        return observation(update.address, as: point.typeID, cot: cot, step: step)
    }

    /// The answer to a general (group nil) or group interrogation: untimed types, COT 20 or 20 + group.
    func interrogation(group: Int?, step: Int) -> [IECObservation] {
        points.monitorOrder.compactMap { address in
            guard let point = points.monitor[address], !point.typeID.isIntegratedTotals else { return nil }
            guard group.map(point.groups.contains) ?? point.inStationInterrogation else { return nil }
            return observation(address, as: point.typeID.nonTimeTagged, cot: 20 + (group ?? 0), step: step)
        }
    }

    /// The answer to a counter interrogation: every integrated total (or those of one counter group) as
    /// M_IT_NA_1, COT 37 or 37 + group.
    func counterInterrogation(group: Int?, step: Int) -> [IECObservation] {
        points.monitorOrder.compactMap { address in
            guard let point = points.monitor[address], point.typeID.isIntegratedTotals,
                  group == nil || point.counterGroup == group else { return nil }
            return observation(address, as: .M_IT_NA_1, cot: 37 + (group ?? 0), step: step)
        }
    }

    private func observation(_ address: UInt32, as type: TypeID, cot: Int, step: Int) -> IECObservation? {
        guard let entry = image[address] else { return nil }
        var quality = entry.quality
        if case let .counter(reading) = entry.value {
            // An integrated total carries only its reading's IV flag.
            quality = reading.invalid || quality.contains(.invalid) ? .invalid : []
        }
        return IECObservation(type: type, ioa: Int(address), cot: cot,
                              kind: .point(entry.value, quality: quality, time: type.isTimeTagged ? entry.time : nil), step: step)
    }

    // MARK: - Commands

    /// A command from SCADA: the station's checks, as `StationApplication` makes them, then the engine's turn.
    mutating func receive(ioa: Int, type: TypeID, command: Command, select: Bool, at now: EngineTime,
                          step: Int) -> CommandIntake {
        let address = UInt32(ioa)
        func refused(_ reason: String, cot: Int = 7) -> CommandIntake {
            .refused(IECObservation(type: type, ioa: ioa, cot: cot,
                                    kind: .confirmation(positive: false, select: select, reason: reason), step: step))
        }
        guard let point = points.commands[address], point.typeID == type.nonTimeTagged else {
            return refused("unknown information object address", cot: 47)
        }
        if let held = selections[address], now >= held.expires {
            selections[address] = nil
            lapsed.insert(address)
        }
        if case let .double(state, _) = command, state != .off, state != .on {
            return refused(CommandRefusal.invalidState.description)
        }
        guard !pending.values.contains(where: { $0.request.address == address }) else {
            return refused(CommandRefusal.busy.description)
        }
        var followsSelection = false
        if !select {
            if let held = selections[address] {
                followsSelection = true
                selections[address] = nil
                guard held.type == type.nonTimeTagged, held.command == command else {
                    return refused(CommandRefusal.differsFromSelection.description)
                }
            } else if point.requiresSelect {
                return refused((lapsed.contains(address) ? CommandRefusal.selectionExpired : .selectRequired).description)
            }
        }
        let ticket = nextTicket
        nextTicket += 1
        let request = CommandRequest(address: address, typeID: type.nonTimeTagged, command: command,
                                     phase: select ? .select : .execute, master: "test", followsSelection: followsSelection)
        pending[ticket] = Pending(request: request, sentType: type)
        return .dispatched(ticket, request)
    }

    /// The engine answered a command: the confirmation SCADA gets (nil for a ticket the station does not know).
    mutating func complete(_ ticket: CommandTicket, _ answer: CommandAnswer, at now: EngineTime, step: Int) -> IECObservation? {
        guard let command = pending.removeValue(forKey: ticket) else { return nil }
        let select = command.request.phase == .select
        let positive = answer == .accepted
        if positive, select {
            lapsed.remove(command.request.address)
            selections[command.request.address] = Selection(type: command.request.typeID, command: command.request.command,
                                                            expires: now + selectTimeout)
        }
        var reason: String?
        if case let .rejected(words) = answer { reason = words }
        return IECObservation(type: command.sentType, ioa: Int(command.request.address), cot: 7,
                              kind: .confirmation(positive: positive, select: select, reason: reason), step: step)
    }
}
