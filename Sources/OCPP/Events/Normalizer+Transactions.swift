// Transactions: 1.6 StartTransaction / StopTransaction and 2.0.1 TransactionEvent as one `TransactionEvent`.
extension Normalizer {
    /// 1.6 StartTransaction; the transaction id is the one the central system assigned (the request has none).
    static func started16(
        _ reader: inout PayloadReader, _ root: Node, assigned: String?
    ) throws(NormalizationError) -> TransactionEvent {
        // 1.6 has one connector per EVSE: connector n is EVSE n, connector 1.
        let connector = try reader.requiredInt(root, "connectorId")
        return TransactionEvent(
            kind: .started, transactionId: assigned, evseId: connector, connectorId: 1,
            idToken: try reader.requiredString(root, "idTag"),
            meterWh: try reader.number(reader.required(root, "meterStart")).double,
            timestamp: try reader.timestamp(root, "timestamp", required: true))
    }

    /// 1.6 StopTransaction; `transactionId: null` leaves the transaction unknown (nil) with a repair.
    static func stopped16(_ reader: inout PayloadReader, _ root: Node) throws(NormalizationError) -> TransactionEvent {
        var transactionId: String?
        if let node = reader.member(root, "transactionId"), node.value.isNull {
            try reader.record(.nullTransactionId, at: node)
        } else {
            transactionId = try reader.number(reader.required(root, "transactionId")).text
        }
        var reason = "Local"
        if let node = try reader.optional(root, "reason") {
            reason = try reader.enumeration(node, field: "reason", allowed: stopReasons16)
        }
        return TransactionEvent(
            kind: .ended, transactionId: transactionId, idToken: try reader.optionalString(root, "idTag"),
            meterWh: try reader.number(reader.required(root, "meterStop")).double, stopReason: reason,
            samples: try samples(&reader, root, "transactionData", version: .v16, required: false),
            timestamp: try reader.timestamp(root, "timestamp", required: true))
    }

    /// 2.0.1 TransactionEvent.
    static func transactionEvent201(
        _ reader: inout PayloadReader, _ root: Node
    ) throws(NormalizationError) -> TransactionEvent {
        let kindNode = try reader.required(root, "eventType")
        let kindText = try reader.enumeration(kindNode, field: "eventType", allowed: eventTypes201)
        guard let kind = TransactionEvent.Kind(rawValue: kindText) else {
            // Without its kind the event cannot be placed in the transaction's life; refused even when lenient.
            throw NormalizationError(path: reader.path(kindNode), message: "unknown eventType \(kindText)")
        }
        let info = try reader.object(reader.required(root, "transactionInfo"))
        var stopped: String?
        if let node = try reader.optional(info, "stoppedReason") {
            stopped = try reader.enumeration(node, field: "stoppedReason", allowed: stopReasons201)
        }
        var evseId: Int?
        var connectorId: Int?
        if let evse = try reader.optionalObject(root, "evse") {
            evseId = try reader.requiredInt(evse, "id")
            connectorId = try reader.optionalInt(evse, "connectorId")
        }
        var idToken: String?
        if let token = try reader.optionalObject(root, "idToken") {
            idToken = try reader.requiredString(token, "idToken")
        }
        return TransactionEvent(
            kind: kind, transactionId: try reader.requiredString(info, "transactionId"), evseId: evseId,
            connectorId: connectorId, idToken: idToken,
            // The spec lets an end omit stoppedReason only when the reason is Local.
            stopReason: stopped ?? (kind == .ended ? "Local" : nil),
            triggerReason: try reader.requiredString(root, "triggerReason"),
            chargingState: try reader.optionalString(info, "chargingState"),
            seqNo: try reader.requiredInt(root, "seqNo"), offline: try reader.optionalBool(root, "offline") ?? false,
            samples: try samples(&reader, root, "meterValue", version: .v201, required: false),
            timestamp: try reader.timestamp(root, "timestamp", required: true))
    }

    /// 2.0.1 transaction event types.
    static let eventTypes201 = StringVocabulary(["Started", "Updated", "Ended"])

    /// 1.6 StopTransaction reasons.
    static let stopReasons16 = StringVocabulary([
        "EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot", "Remote", "SoftReset",
        "UnlockCommand", "DeAuthorized",
    ])

    /// 2.0.1 stopped reasons.
    static let stopReasons201 = StringVocabulary([
        "DeAuthorized", "EmergencyStop", "EnergyLimitReached", "EVDisconnected", "GroundFault", "ImmediateReset",
        "Local", "LocalOutOfCredit", "MasterPass", "Other", "OvercurrentFault", "PowerLoss", "PowerQuality", "Reboot",
        "Remote", "SOCLimitReached", "StoppedByEV", "TimeLimitReached", "Timeout",
    ])
}
