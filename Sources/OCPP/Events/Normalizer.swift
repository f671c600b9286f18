import Foundation

/// Turns incoming CALLs of either version into `ChargerEvent`s, repairing what real chargers get wrong.
public enum Normalizer {
    /// Normalizes a validated-or-repaired incoming CALL.
    ///
    /// Returns the events (usually one, none for actions that carry no event) and the repairs made; in strict
    /// mode a value that needs repair returns a `NormalizationError` with its JSON path instead. A wrong type or
    /// a missing member is an error in both modes, never a trap. `assignedTransactionId` is the id the central
    /// system gave a 1.6 StartTransaction, which the request itself cannot carry.
    public static func normalize(
        _ call: IncomingCall, policy: SanitizerPolicy = .lenient, assignedTransactionId: String? = nil,
        timeZone: TimeZone? = nil
    ) -> Result<NormalizedCall, NormalizationError> {
        var reader = PayloadReader(policy: policy, zone: timeZone)
        let root = reader.root(call.payload)
        do throws(NormalizationError) {
            let events = try events(call, root, &reader, assignedTransactionId: assignedTransactionId)
            return .success(NormalizedCall(events: events, repairs: reader.repairs))
        } catch {
            return .failure(error)
        }
    }

    /// The events of one action.
    private static func events(
        _ call: IncomingCall, _ root: Node, _ reader: inout PayloadReader, assignedTransactionId: String?
    ) throws(NormalizationError) -> [ChargerEvent] {
        switch (call.version, call.action) {
        case (_, "BootNotification"): [try booted(&reader, root, version: call.version)]
        case (_, "Heartbeat"): [.heartbeat]
        case (_, "StatusNotification"): [.status(try status(&reader, root, version: call.version))]
        case (_, "MeterValues"): [.meterValues(try meterValues(&reader, root, version: call.version))]
        case (.v16, "StartTransaction"): [.transaction(try started16(&reader, root, assigned: assignedTransactionId))]
        case (.v16, "StopTransaction"): [.transaction(try stopped16(&reader, root))]
        case (.v201, "TransactionEvent"): [.transaction(try transactionEvent201(&reader, root))]
        case (.v201, "NotifyEvent"): [.notifyEvent(try deviceEvents(&reader, root))]
        case (_, "DataTransfer"): [try dataTransfer(&reader, root)]
        case (_, "Authorize"): [try authorize(&reader, root, version: call.version)]
        case (_, "SecurityEventNotification"): [try securityEvent(&reader, root)]
        default: []
        }
    }

    /// MeterValues of either version; a 1.6 connector is an EVSE.
    private static func meterValues(
        _ reader: inout PayloadReader, _ root: Node, version: OCPPVersion
    ) throws(NormalizationError) -> MeterValuesReport {
        switch version {
        case .v16:
            let connector = try reader.requiredInt(root, "connectorId")
            var transactionId: String?
            if let node = try reader.optional(root, "transactionId") { transactionId = try reader.number(node).text }
            let samples = try samples(&reader, root, "meterValue", version: .v16, required: true)
            return MeterValuesReport(evseId: connector, transactionId: transactionId, samples: samples)
        case .v201:
            let evse = try reader.requiredInt(root, "evseId")
            let samples = try samples(&reader, root, "meterValue", version: .v201, required: true)
            return MeterValuesReport(evseId: evse, samples: samples)
        }
    }
}
