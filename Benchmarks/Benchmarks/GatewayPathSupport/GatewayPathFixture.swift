import Gateway
import IEC104
import OCPP
import Rules

/// What the gateway-path benchmarks and their profiling driver share, built once before anything is measured.
public struct GatewayPathFixture: Sendable {
    /// 2026-11-24T10:00:00Z, the benchmarks' engine time zero.
    public static let t0: EngineTime = 1_795_514_400

    /// The repository root: this file sits in Benchmarks/Benchmarks/GatewayPathSupport/.
    public static let repository: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/")
    }()

    /// `rules/default.yaml`, the demo site.
    public let graph: RuleGraph
    /// The station's declarations for it (the type of each monitor address).
    public let stationPoints: StationPoints
    /// The station's common address.
    public let commonAddress: UInt16
    /// The official 1.6 MeterValues request schema.
    public let schema: JSONSchema
    /// CP004's six-value MeterValues, normalized, power 14.4 kW and 14.6 kW (0.2 apart: the 0.1 kW deadband passes);
    /// no sample timestamp, so the time given to the engine counts.
    public let powerEvents: [[ChargerEvent]]
    /// CP004's six-value frame as text, timestamps one second apart, power alternating "14.4kW" / "14.6kW".
    public let powerFrames: [String]
    /// CP001's energy register alone (Wh), normalized, rising 6.1 Wh per message (22 kW at one message a second);
    /// no sample timestamp. The register drops back once per pool round, which restarts the derivation once.
    public let registerEvents: [[ChargerEvent]]

    public init() {
        let path = Self.repository + "/rules/default.yaml"
        let report = RuleLoader.load(paths: [path])
        guard let graph = report.sites.first?.graph else {
            preconditionFailure("\(path) loads: \(report.diagnostics.prefix(3))")
        }
        self.graph = graph
        guard let points = try? GatewayEngine.stationPoints(for: graph).points else {
            preconditionFailure("the demo site's station points declare")
        }
        stationPoints = points
        commonAddress = UInt16(clamping: graph.station.commonAddress)
        guard let schema = OfficialSchemas.bundled.schema(for: "MeterValues", .request, version: .v16) else {
            preconditionFailure("the bundled 1.6 MeterValues schema loads")
        }
        self.schema = schema

        powerFrames = (0..<256).map { Self.powerFrame(power: $0 % 2 == 0 ? "14.4kW" : "14.6kW", second: $0) }
        powerEvents = ["14.4kW", "14.6kW"].map {
            Self.untimed(Self.normalized(Self.powerFrame(power: $0, second: 0), identity: "CP004"))
        }
        let register = Self.untimed(Self.normalized(
            #"[2,"1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"12345600","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]"#,
            identity: "CP001"))
        registerEvents = (0..<1000).map { index in
            register.map { event in
                guard case var .meterValues(report) = event else { return event }
                report.samples[0].values[0].value = 12_345_600 + 6.1 * Double(index)
                return .meterValues(report)
            }
        }
    }

    /// A new engine on the demo site with `charger` connected over 1.6 (its refresh requests dropped).
    public func connectedEngine(_ path: MonitorPath, charger: String) -> GatewayEngine {
        var engine = GatewayEngine(graph: graph, path: path)
        _ = engine.chargerConnected(charger, version: .v16, at: Self.t0)
        return engine
    }

    /// The whole path for one CALL of CP004: frame parser → schema check → normalizer (lenient) → engine → one
    /// I-frame per update sent. Returns the octets sent.
    public func frameToAPDUs(_ frame: String, engine: inout GatewayEngine, encoder: inout UpdateEncoder,
                             at time: EngineTime) -> Int {
        guard case let .frame(.call(id, action, payload)) = RPCFrameParser.parse(frame, version: .v16) else {
            preconditionFailure("the benchmark frame is a CALL")
        }
        guard schema.validate(.object(payload)).isEmpty else {
            preconditionFailure("the benchmark frame passes the schema")
        }
        let call = IncomingCall(identity: "CP004", version: .v16, id: id, action: action, payload: payload)
        guard case let .success(normalized) = Normalizer.normalize(call, policy: .lenient) else {
            preconditionFailure("the benchmark frame normalizes")
        }
        var octets = 0
        for output in engine.received(normalized.events, action: action, from: "CP004", at: time) {
            guard case let .publish(update) = output, let apdu = encoder.apdu(update) else { continue }
            octets += apdu.count
        }
        return octets
    }

    /// The OCPPMessages benchmark's frame (six values, one `"14.4kW"` needing repair), at t0 + `second`.
    public static func powerFrame(power: String, second: Int) -> String {
        let stamp = "2026-11-24T10:\(twoDigits(second / 60 % 60)):\(twoDigits(second % 60))Z"
        return #"[2,"19223201","MeterValues",{"connectorId":1,"transactionId":42,"meterValue":[{"timestamp":""#
            + stamp
            + #"","sampledValue":[{"value":""#
            + power
            + #"","measurand":"Power.Active.Import","unit":"kW"},{"value":"12345.6","measurand":"Energy.Active.Import.Register","unit":"kWh"},{"value":"230.1","measurand":"Voltage","phase":"L1","unit":"V"},{"value":"31.9","measurand":"Current.Import","phase":"L1","unit":"A"},{"value":"22","measurand":"Power.Offered","unit":"kW"},{"value":"35","measurand":"Temperature","unit":"Celsius","location":"Body"}]}]}]"#
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// A 1.6 frame's events, the way the central system hands them to the engine.
    public static func normalized(_ frame: String, identity: String) -> [ChargerEvent] {
        guard case let .frame(.call(id, action, payload)) = RPCFrameParser.parse(frame, version: .v16),
              case let .success(normalized) = Normalizer.normalize(
                  IncomingCall(identity: identity, version: .v16, id: id, action: action, payload: payload),
                  policy: .lenient) else {
            preconditionFailure("the fixture frame normalizes")
        }
        return normalized.events
    }

    /// The events with every sample's timestamp removed, so the engine uses the time it is given.
    public static func untimed(_ events: [ChargerEvent]) -> [ChargerEvent] {
        events.map { event in
            guard case var .meterValues(report) = event else { return event }
            for index in report.samples.indices { report.samples[index].timestamp = nil }
            return .meterValues(report)
        }
    }
}

/// Turns the engine's point updates into the I-frames the station would send, one APDU per update.
///
/// IEC104 has no public way to turn a `PointUpdate` into an `InformationObject` (`PointImage.element` is internal),
/// so the element is built here for the kinds this path sends (short floats, with and without time tag).
public struct UpdateEncoder: Sendable {
    let points: StationPoints
    let commonAddress: UInt16
    var send = SequenceNumber.zero

    public init(points: StationPoints, commonAddress: UInt16) {
        self.points = points
        self.commonAddress = commonAddress
    }

    /// The APDU octets of an update; nil for one that only changes the station's image.
    public mutating func apdu(_ update: PointUpdate) -> [UInt8]? {
        guard let cause = update.transmission.cause else { return nil }
        guard let type = points.monitor[update.address]?.typeID else {
            preconditionFailure("the engine publishes declared points only")
        }
        let asdu = ASDU(typeID: type, causeOfTransmission: CauseOfTransmission(cause), commonAddress: commonAddress,
                        objects: [InformationObject(address: update.address, PointImage.element(
                            update.value, quality: update.quality, time: update.time, as: type))])
        guard let octets = try? APDU.information(send: send, receive: .zero, asdu: asdu.encoded()).encoded() else {
            preconditionFailure("the update encodes")
        }
        send = send.successor
        return octets
    }
}
