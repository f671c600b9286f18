import ArgumentParser
import Foundation
import Logging
import OCPP
import Rules
import TransportSecurity

/// `ocpp809 ocpp …`: the OCPP central system on its own.
struct OCPPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpp",
        abstract: "Run the OCPP central system on its own, to check chargers before the site goes live.",
        subcommands: [OCPPServeCommand.self]
    )
}

/// Serves chargers over OCPP-J with the standard answers and prints what they send as JSON lines.
struct OCPPServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Accept chargers over OCPP-J 1.6 and 2.0.1; print every message they send as a JSON line.",
        discussion: """
        Chargers connect to ws://HOST:PORT/ANY/PATH/IDENTITY. Every CALL is checked against the official schema \
        (violations are answered with a CALLERROR naming the JSON path) and answered with a standard reply: \
        boot accepted, id tags accepted, fresh transaction ids. Standard output gets one JSON object per event: \
        listening, connected, disconnected, call, normalized (events and repairs), schema_violation, \
        normalization_failed, invalid_frame, outcome. A line on standard \
        input sends a CALL to a charger and prints its outcome:
          {"to": "CP001", "call": "TriggerMessage", "payload": {"requestedMessage": "StatusNotification"}}
        or a typed request, written in the charger's own version and its answer checked against the schema:
          {"to": "CP001", "request": {"SetChargingProfile": {"evse": 0, "limit": 11000, "unit": "W",
                                      "purpose": "ChargePointMaxProfile"}}}
        (also ClearChargingProfile {"profile_id"}, GetCompositeSchedule {"evse", "duration"},
        TriggerMessage {"message", "evse"}, GetVariables {"variables": [["Component", "Variable"]]}),
        and {"status": true} prints the connected chargers and the sanitizer's repairs per charger and kind.
        With --tls-listen (and --tls-certificate, --tls-key) chargers can also connect over wss://; with \
        --tls-client-ca they are asked for a client certificate. Without --listen, a TLS-only server has no plain \
        listener. With rule files, the site's ocpp.listen, ocpp.tls, ocpp.call_timeout and ocpp.unknown_chargers \
        apply unless a flag says otherwise; identities the site does not list are refused with HTTP 404 (unless \
        unknown_chargers: accept), and each \
        charger's security profile applies: 1 HTTP Basic (user = identity, password = the secret its \
        `credentials` names), 2 HTTP Basic over TLS, 3 TLS with a client certificate whose common name is the \
        identity (2 and 3 are refused with 403 on plain ws://); each charger's sanitizer policy applies too.
        """
    )

    @Argument(help: "Rule files or directories; when given, only the site's chargers may connect.")
    var paths: [String] = []

    @Option(help: "Plain ws:// listen address HOST:PORT (default: the site's ocpp.listen, else 0.0.0.0:9000; none when only --tls-listen is given).")
    var listen: String?

    @Option(help: "TLS wss:// listen address HOST:PORT; needs --tls-certificate and --tls-key (default: the site's ocpp.tls).")
    var tlsListen: String?

    @Option(help: "PEM file with the server certificate chain, leaf first.")
    var tlsCertificate: String?

    @Option(help: "PEM file with the server's unencrypted private key.")
    var tlsKey: String?

    @Option(help: "PEM file with the authorities that sign chargers' client certificates (security profile 3).")
    var tlsClientCa: String?

    @Option(help: "How long a charger has to answer a CALL, seconds (default: the site's ocpp.call_timeout, else 30).")
    var callTimeout: Double?

    @Option(help: "The most chargers connected at once; more are refused with HTTP 503.")
    var maxConnections: Int = 1000

    @Option(help: "Legacy sanitizer: lenient (repair what can safely be repaired, every repair reported) or strict.")
    var sanitizer: SanitizerMode = .lenient

    func validate() throws {
        if let callTimeout, !(callTimeout > 0 && callTimeout <= 3600) {
            throw ValidationError("--call-timeout must be more than 0 and at most 3600 seconds")
        }
        if tlsListen == nil, tlsCertificate != nil || tlsKey != nil || tlsClientCa != nil {
            throw ValidationError("--tls-certificate, --tls-key and --tls-client-ca need --tls-listen")
        }
        if tlsListen != nil, tlsCertificate == nil || tlsKey == nil {
            throw ValidationError("--tls-listen needs --tls-certificate and --tls-key")
        }
    }

    func run() async throws {
        let site = try paths.isEmpty ? nil : RulePaths.parse(paths).singleSite()
        let listeners = try makeListeners(site: site?.centralSystem)
        let (admission, admissionProblems) = site.map {
            ChargerAdmission.load($0, tls: (listening: listeners.contains { $0.tls != nil },
                                            clientCertificates: listeners.contains { $0.tls?.requestsClientCertificates == true }))
        } ?? (nil, [])
        let chargerCount = site?.chargers.count
        let callTimeout = callTimeout ?? site?.centralSystem.callTimeout ?? 30
        let output = JSONLines()
        let responder = StandardResponder()
        var logger = Logger(label: "ocpp809.ocpp")
        logger.logLevel = .info
        let central = OCPP.CentralSystem(handler: { call in
            output.emit(["event": "call", "charger": call.identity, "version": call.version.rawValue, "id": call.id,
                         "action": call.action, "payload": Self.foundationValue(.object(call.payload))])
            return responder.answer(call)
        }, callTimeout: .milliseconds(Int64(callTimeout * 1000)), policy: { [sanitizer] identity in
            sanitizer == .strict ? .strict : admission?.sanitizer(for: identity) ?? .lenient
        }, timeZone: { identity in admission?.timeZone(for: identity) },
           logger: logger, observer: { event in
            output.emit(Self.json(event))
        })
        let server = OCPPWebSocketServer(configuration: OCPPServerConfiguration(listeners: listeners,
                                                                                   maximumConnections: maxConnections,
                                                                                   logger: logger),
                                         delegate: central) { handshake in
            admission?.decide(handshake) ?? .accept
        }
        let addresses = try await server.start()
        for (listener, address) in zip(listeners, addresses) {
            output.emit(["event": "listening", "address": address, "tls": listener.tls != nil,
                         "client_certificates": listener.tls?.requestsClientCertificates ?? false,
                         "known_chargers": chargerCount ?? NSNull()])
        }
        for problem in admissionProblems { output.emit(["event": "error", "message": problem]) }
        await StandardInputLines.forEach { line in
            await Self.sendCall(line: line, central: central, output: output)
        }
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }

    /// The plain listener (unless only TLS was asked for) and the TLS one, from the flags or else the site.
    private func makeListeners(site: Rules.CentralSystem?) throws -> [OCPPListener] {
        let plain = listen ?? (tlsListen == nil ? site?.listen ?? "0.0.0.0:9000" : nil)
        if let tlsListen, let tlsCertificate, let tlsKey {
            return try OCPPListeners.make(plain: plain, tls: (tlsListen, TLSServerSettings(
                certificateChainPath: tlsCertificate, privateKeyPath: tlsKey, clientCertificateAuthoritiesPath: tlsClientCa)))
        }
        return try OCPPListeners.make(plain: plain, tls: OCPPListeners.siteTLS(site))
    }

    private static func sendCall(line: String, central: OCPP.CentralSystem, output: JSONLines) async {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        do {
            let request = try JSONParser.parse(line)
            if request["status"] != nil {
                output.emit(["event": "status", "connected": central.connectedIdentities, "repairs": central.repairCounts])
                return
            }
            if let identity = request["to"]?.stringValue, let typed = request["request"]?.objectValue {
                let outgoing = try OutgoingRequestInput.read(typed)
                let outcome = await central.send(outgoing, to: identity)
                output.emit(["event": "outcome", "charger": identity, "action": outgoing.action,
                             "outcome": "\(outcome)", "accepted": { if case .accepted = outcome { true } else { false } }()])
                return
            }
            guard let identity = request["to"]?.stringValue, let action = request["call"]?.stringValue else {
                throw InputError("a call line needs \"to\" and \"call\" (raw) or \"request\" (typed)")
            }
            let payload = request["payload"]?.objectValue ?? JSONObject()
            let outcome = await central.call(identity, action: action, payload: payload)
            output.emit(["event": "outcome", "charger": identity, "action": action] + Self.json(outcome))
        } catch {
            output.emit(["event": "error", "line": line, "message": "\(error)"])
        }
    }
}

extension OCPPServeCommand {
    static func json(_ event: CentralSystemEvent) -> [String: Any] {
        switch event {
        case let .connected(identity, version):
            ["event": "connected", "charger": identity, "version": version.rawValue]
        case let .disconnected(identity, reason):
            ["event": "disconnected", "charger": identity, "reason": "\(reason)"]
        case let .schemaViolation(identity, action, violations):
            ["event": "schema_violation", "charger": identity, "action": action,
             "violations": violations.map { ["path": $0.path, "message": $0.message] }]
        case let .invalidFrame(identity, problem):
            ["event": "invalid_frame", "charger": identity, "problem": "\(problem)"]
        case let .normalized(identity, action, events, repairs):
            ["event": "normalized", "charger": identity, "action": action, "events": events.map(Self.json),
             "repairs": repairs.map { ["path": $0.path, "repair": $0.repair.name] }]
        case let .normalizationFailed(identity, action, error):
            ["event": "normalization_failed", "charger": identity, "action": action, "path": error.path,
             "message": error.message]
        }
    }

    /// A normalized event: meter values in full (what SCADA will see), other events as their description.
    static func json(_ event: ChargerEvent) -> [String: Any] {
        guard case let .meterValues(report) = event else { return ["kind": "\(event)"] }
        return ["kind": "meterValues", "evse": report.evseId, "transaction": report.transactionId ?? NSNull(),
                "samples": report.samples.map { sample in
                    ["timestamp": sample.timestamp?.original ?? NSNull(),
                     "values": sample.values.map { value in
                         ["value": value.value ?? NSNull(), "raw": value.raw, "unit": value.unit,
                          "measurand": value.measurand, "repairs": value.repairs.map(\.name)] as [String: Any]
                     }] as [String: Any]
                }]
    }

    static func json(_ outcome: CallOutcome) -> [String: Any] {
        switch outcome {
        case let .result(payload): ["outcome": "result", "payload": foundationValue(.object(payload))]
        case let .callError(code, description, _):
            ["outcome": "callerror", "code": code.spelling(for: .v201), "description": description]
        case .timeout: ["outcome": "timeout"]
        case .disconnected: ["outcome": "disconnected"]
        case .queueFull: ["outcome": "queue_full"]
        case let .malformedResponse(problem): ["outcome": "malformed", "problem": "\(problem)"]
        }
    }

    /// A JSON value as Foundation objects, for JSONSerialization.
    static func foundationValue(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case let .bool(flag): flag
        case let .number(number): number.int.map { $0 as Any } ?? number.double
        case let .string(text): text
        case let .array(elements): elements.map(foundationValue)
        case let .object(object): Dictionary(uniqueKeysWithValues: object.members.map { ($0.key, foundationValue($0.value)) })
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    static func + (lhs: Self, rhs: Self) -> Self { lhs.merging(rhs) { _, new in new } }
}

/// Reads a typed request line: `{"SetChargingProfile": {...}}` and the like.
enum OutgoingRequestInput {
    static func read(_ object: JSONObject) throws -> OutgoingRequest {
        guard let (name, value) = object.members.first, let fields = value.objectValue else {
            throw InputError("a request is {\"NAME\": {fields}}")
        }
        func int(_ key: String) -> Int? { fields[key]?.numberValue?.int }
        switch name {
        case "SetChargingProfile":
            guard let limit = fields["limit"]?.numberValue?.double, let purpose = fields["purpose"]?.stringValue else {
                throw InputError("SetChargingProfile needs limit and purpose")
            }
            let unit: ChargingRateUnit = fields["unit"]?.stringValue == "A" ? .amperes : .watts
            return .setChargingProfile(ChargingLimit(evseId: int("evse") ?? 0, limit: limit, unit: unit,
                                                     numberPhases: int("phases"), purpose: purpose,
                                                     stackLevel: int("stack_level") ?? 1, profileId: int("profile_id") ?? 1))
        case "ClearChargingProfile":
            return .clearChargingProfile(profileId: int("profile_id"), evseId: int("evse"),
                                         purpose: fields["purpose"]?.stringValue, stackLevel: int("stack_level"))
        case "GetCompositeSchedule":
            let unit = fields["unit"]?.stringValue.flatMap(ChargingRateUnit.init(rawValue:))
            return .getCompositeSchedule(evseId: int("evse") ?? 0, duration: int("duration") ?? 3600, unit: unit)
        case "TriggerMessage":
            guard let message = fields["message"]?.stringValue else { throw InputError("TriggerMessage needs message") }
            return .triggerMessage(message, evseId: int("evse"))
        case "GetVariables":
            let pairs = (fields["variables"]?.arrayValue ?? []).compactMap { pair -> (component: String, variable: String)? in
                guard let names = pair.arrayValue, names.count == 2, let component = names[0].stringValue,
                      let variable = names[1].stringValue else { return nil }
                return (component, variable)
            }
            return .getVariables(pairs)
        default:
            throw InputError("unknown request \(name)")
        }
    }
}

/// The `--sanitizer` choices.
enum SanitizerMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    case lenient, strict
}

/// "HOST:PORT" parsing shared by the serve commands.
enum HostPort {
    static func parse(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw ValidationError("listen address must be HOST:PORT, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}
