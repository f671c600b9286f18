// The small messages: boot, status, device events, data transfer, authorization, security events.
extension Normalizer {
    /// BootNotification: 1.6 names the charge point flat, 2.0.1 nests `chargingStation`.
    static func booted(
        _ reader: inout PayloadReader, _ root: Node, version: OCPPVersion
    ) throws(NormalizationError) -> ChargerEvent {
        switch version {
        case .v16:
            // chargeBoxSerialNumber is the deprecated name of chargePointSerialNumber; either serves.
            let serial = try reader.optionalString(root, "chargePointSerialNumber")
            let box = try reader.optionalString(root, "chargeBoxSerialNumber")
            return .booted(
                vendor: try reader.requiredString(root, "chargePointVendor"),
                model: try reader.requiredString(root, "chargePointModel"), serialNumber: serial ?? box,
                firmwareVersion: try reader.optionalString(root, "firmwareVersion"))
        case .v201:
            let station = try reader.object(reader.required(root, "chargingStation"))
            return .booted(
                vendor: try reader.requiredString(station, "vendorName"),
                model: try reader.requiredString(station, "model"),
                serialNumber: try reader.optionalString(station, "serialNumber"),
                firmwareVersion: try reader.optionalString(station, "firmwareVersion"))
        }
    }

    /// StatusNotification; a status outside the version's list is `.unknown` with the text kept.
    static func status(
        _ reader: inout PayloadReader, _ root: Node, version: OCPPVersion
    ) throws(NormalizationError) -> ConnectorStatusReport {
        let statusNode = try reader.required(root, version == .v16 ? "status" : "connectorStatus")
        let original = try reader.string(statusNode)
        let allowed = ConnectorStatus.defined(in: version)
        let text = try reader.enumeration(statusNode, field: "status", allowed: ConnectorStatus.vocabulary(in: version))
        let status = allowed.first { $0.rawValue == text } ?? .unknown
        switch version {
        case .v16:
            // Connector 0 is the whole charger (EVSE 0); connector n is EVSE n with its single connector.
            let connector = try reader.requiredInt(root, "connectorId")
            return ConnectorStatusReport(
                evseId: connector, connectorId: connector == 0 ? 0 : 1, status: status, original: original,
                errorCode: try reader.enumeration(reader.required(root, "errorCode"), field: "errorCode",
                                                  allowed: ConnectorStatus.errorCodes16),
                info: try reader.optionalString(root, "info"),
                vendorErrorCode: try reader.optionalString(root, "vendorErrorCode"),
                timestamp: try reader.timestamp(root, "timestamp", required: false))
        case .v201:
            return ConnectorStatusReport(
                evseId: try reader.requiredInt(root, "evseId"),
                connectorId: try reader.requiredInt(root, "connectorId"),
                status: status, original: original, timestamp: try reader.timestamp(root, "timestamp", required: true))
        }
    }

    /// NotifyEvent: one `DeviceEvent` per `eventData` entry.
    static func deviceEvents(_ reader: inout PayloadReader, _ root: Node) throws(NormalizationError) -> [DeviceEvent] {
        let list = try reader.required(root, "eventData")
        var events: [DeviceEvent] = []
        for (index, entry) in try reader.array(list).enumerated() {
            let data = try reader.object(reader.element(entry, at: index, of: list))
            let component = try reader.object(reader.required(data, "component"))
            let variable = try reader.object(reader.required(data, "variable"))
            let evse = try reader.optionalObject(component, "evse")
            events.append(DeviceEvent(
                eventId: try reader.requiredInt(data, "eventId"),
                component: try reader.requiredString(component, "name"),
                componentInstance: try reader.optionalString(component, "instance"),
                evseId: try evse.map { node throws(NormalizationError) in try reader.requiredInt(node, "id") },
                connectorId: try evse.flatMap { node throws(NormalizationError) in
                    try reader.optionalInt(node, "connectorId")
                },
                variable: try reader.requiredString(variable, "name"),
                variableInstance: try reader.optionalString(variable, "instance"),
                actualValue: try reader.requiredString(data, "actualValue"),
                trigger: try reader.requiredString(data, "trigger"),
                cleared: try reader.optionalBool(data, "cleared") ?? false,
                timestamp: try reader.timestamp(data, "timestamp", required: true),
                techInfo: try reader.optionalString(data, "techInfo")))
        }
        return events
    }

    /// DataTransfer: `data` stays exactly as sent (vendors hide their own status in it).
    static func dataTransfer(_ reader: inout PayloadReader, _ root: Node) throws(NormalizationError) -> ChargerEvent {
        .dataTransfer(
            vendorId: try reader.requiredString(root, "vendorId"),
            messageId: try reader.optionalString(root, "messageId"), data: root.value["data"])
    }

    /// Authorize: 1.6 `idTag`, 2.0.1 `idToken.idToken`.
    static func authorize(
        _ reader: inout PayloadReader, _ root: Node, version: OCPPVersion
    ) throws(NormalizationError) -> ChargerEvent {
        switch version {
        case .v16: return .authorize(idToken: try reader.requiredString(root, "idTag"))
        case .v201:
            let token = try reader.object(reader.required(root, "idToken"))
            return .authorize(idToken: try reader.requiredString(token, "idToken"))
        }
    }

    /// SecurityEventNotification (2.0.1, and 1.6 with the security extension).
    static func securityEvent(_ reader: inout PayloadReader, _ root: Node) throws(NormalizationError) -> ChargerEvent {
        .securityEvent(
            type: try reader.requiredString(root, "type"),
            timestamp: try reader.timestamp(root, "timestamp", required: true),
            info: try reader.optionalString(root, "techInfo"))
    }
}
