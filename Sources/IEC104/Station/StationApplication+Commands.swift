extension StationApplication {
    /// A single, double or set-point command: checks, select-before-operate, then the handler.
    mutating func command(_ asdu: ASDU, from connection: ConnectionID, master: String,
                          now: Duration) -> [ApplicationOutput] {
        guard let base = asdu.typeID.commandBase else { return negative(asdu, .unknownTypeID) }
        let cause = asdu.causeOfTransmission.cause
        guard cause == .activation || cause == .deactivation else { return negative(asdu, .unknownCause) }
        guard asdu.objects.count == 1, let object = asdu.objects.first,
              let parts = object.element.commandParts else {
            return refuse(asdu, at: asdu.objects.first?.address ?? 0, .multipleObjects)
        }
        let address = object.address
        guard let point = points.commands[address], point.typeID == base else {
            return negative(asdu, .unknownObjectAddress)
        }
        expireSelection(at: address, now: now)
        if cause == .deactivation {
            guard let held = selections[address], held.connection == connection else {
                return refuse(asdu, at: address, .nothingToDeactivate, confirmation: .deactivationConfirmation)
            }
            setSelection(nil, at: address)
            countCommand { $0.deactivations += 1 }
            return [.reply(asdu.answer(.deactivationConfirmation))]
        }
        if case let .double(state, _) = parts.command, state != .off, state != .on {
            return refuse(asdu, at: address, .invalidState)
        }
        guard !pending.values.contains(where: { $0.address == address }) else { return refuse(asdu, at: address, .busy) }

        let phase: CommandPhase = parts.select ? .select : .execute
        if let held = selections[address], held.connection != connection {
            return refuse(asdu, at: address, .selectedByAnotherMaster)
        }
        var followsSelection = false
        if phase == .execute {
            if let held = selections[address] {
                followsSelection = true
                setSelection(nil, at: address)
                guard held.typeID == base, held.command == parts.command else {
                    return refuse(asdu, at: address, .differsFromSelection)
                }
            } else if point.requiresSelect {
                return refuse(asdu, at: address, lapsedSelections.contains(address) ? .selectionExpired : .selectRequired)
            }
        }
        let id = makeCommandID()
        recordPending(id, PendingCommand(connection: connection, request: asdu, address: address, phase: phase,
                                         typeID: base, command: parts.command))
        countCommand { $0.commandsDispatched += 1 }
        let request = CommandRequest(address: address, typeID: base, command: parts.command, phase: phase,
                                     time: parts.time, originatorAddress: asdu.causeOfTransmission.originatorAddress,
                                     master: master, followsSelection: followsSelection)
        return [.dispatch(id: id, request)]
    }

    /// The handler answered: returns the connection to answer and the ASDUs to send it (nil when it is gone).
    mutating func completeCommand(id: UInt64, answer: CommandAnswer,
                                  now: Duration) -> (connection: ConnectionID, replies: [ASDU])? {
        guard let command = removePending(id) else { return nil }
        switch answer {
        case .accepted: countCommand { $0.commandsAccepted += 1 }
        case .rejected: countCommand { $0.commandsRejected += 1 }
        }
        guard command.connectionAlive else { return nil }
        guard answer == .accepted else {
            return (command.connection, [command.request.answer(.activationConfirmation, negative: true)])
        }
        switch command.phase {
        case .select:
            lapsedSelections.remove(command.address)
            setSelection(Selection(connection: command.connection, typeID: command.typeID, command: command.command,
                                   expires: now + configuration.selectTimeout), at: command.address)
            return (command.connection, [command.request.answer(.activationConfirmation)])
        case .execute:
            return (command.connection, [command.request.answer(.activationConfirmation),
                                         command.request.answer(.activationTermination)])
        }
    }

    /// Removes a lapsed selection, remembering it so the refusal can say "expired" rather than "not selected".
    private mutating func expireSelection(at address: UInt32, now: Duration) {
        guard let held = selections[address], now >= held.expires else { return }
        setSelection(nil, at: address)
        lapsedSelections.insert(address)
        countCommand { $0.selectionsExpired += 1 }
    }

    /// A command refused by the station: negative confirmation, mirrored.
    private mutating func refuse(_ asdu: ASDU, at address: UInt32, _ refusal: CommandRefusal,
                                 confirmation: Cause = .activationConfirmation) -> [ApplicationOutput] {
        countCommand { $0.countRefusal(refusal) }
        return [.refused(address: address, refusal), .reply(asdu.answer(confirmation, negative: true))]
    }
}
