import Foundation
import OCPP
import Rules

/// Who may connect, from the site's chargers: identity known, security profile, Basic-auth secret, sanitizer.
struct ChargerAdmission: Sendable {
    /// What the site says about one charger.
    struct Entry: Sendable {
        var securityProfile: Int
        /// The secret its Basic-auth password must equal; nil when the profile needs none or it could not be read.
        var secret: String?
        var sanitizer: OCPP.SanitizerPolicy
        /// The zone its timestamps without one are read in.
        var timeZone: TimeZone?
    }

    private let entries: [String: Entry]
    /// Whether identities the site does not list may connect (`ocpp.unknown_chargers: accept`), as profile 0.
    private let acceptsUnknown: Bool

    /// Reads the site's chargers; returns the admission and a problem line per charger that cannot connect (a
    /// secret that cannot be read, a profile that needs a listener or client authorities the server lacks).
    static func load(_ graph: RuleGraph, tls: (listening: Bool, clientCertificates: Bool))
        -> (ChargerAdmission, problems: [String]) {
        var entries: [String: Entry] = [:]
        var problems: [String] = []
        for charger in graph.chargers {
            var secret: String?
            if (1...2).contains(charger.securityProfile) {
                switch resolve(charger.credentials) {
                case let .success(value): secret = value
                case let .failure(problem): problems.append("charger \(charger.id): \(problem.message); it cannot connect")
                }
            }
            if charger.securityProfile >= 2, !tls.listening {
                problems.append("charger \(charger.id): security profile \(charger.securityProfile) needs TLS, but no TLS listener is configured; it cannot connect")
            } else if charger.securityProfile == 3, !tls.clientCertificates {
                problems.append("charger \(charger.id): security profile 3 needs client certificates, but no client certificate authority is configured; it cannot connect")
            }
            let zone = TimeZone(identifier: charger.timezone)
            if zone == nil { problems.append("charger \(charger.id): unknown time zone '\(charger.timezone)'") }
            entries[charger.id] = Entry(securityProfile: charger.securityProfile, secret: secret,
                                        sanitizer: charger.sanitizer == .strict ? .strict : .lenient, timeZone: zone)
        }
        return (ChargerAdmission(entries: entries, acceptsUnknown: graph.centralSystem.acceptUnknownChargers), problems)
    }

    /// The decision for a handshake, by the charger's security profile: 0 anyone with the identity, 1 HTTP Basic,
    /// 2 HTTP Basic over TLS, 3 TLS with a client certificate whose common name is the identity. A profile 1
    /// charger may also come over TLS. The same refusal is given whatever part of the credentials was wrong.
    func decide(_ handshake: ChargerHandshake) -> AdmissionDecision {
        guard let entry = entries[handshake.identity] else { return acceptsUnknown ? .accept : .unknownCharger }
        switch entry.securityProfile {
        case 0:
            return .accept
        case 1:
            return checkPassword(handshake, entry)
        case 2:
            // Refused before the password is looked at, and without a Basic challenge: no secret over plain ws.
            guard handshake.isTLS else { return .transportSecurityRequired }
            return checkPassword(handshake, entry)
        default:
            // The listener only reports certificates that verified against its client authorities.
            guard handshake.isTLS, handshake.clientCertificate?.commonName == handshake.identity else {
                return .transportSecurityRequired
            }
            return .accept
        }
    }

    private func checkPassword(_ handshake: ChargerHandshake, _ entry: Entry) -> AdmissionDecision {
        guard let secret = entry.secret, let given = handshake.credentials else { return .unauthorized }
        // Both comparisons always run, so the time taken does not tell which part was wrong.
        let userMatches = BasicCredentials.constantTimeEquals(given.user, handshake.identity)
        let passwordMatches = BasicCredentials.constantTimeEquals(given.password, secret)
        return userMatches && passwordMatches ? .accept : .unauthorized
    }

    /// The configured zone of a charger, or nil.
    func timeZone(for identity: String) -> TimeZone? { entries[identity]?.timeZone }

    /// The sanitizer policy of a charger (lenient for identities the site does not list).
    func sanitizer(for identity: String) -> OCPP.SanitizerPolicy { entries[identity]?.sanitizer ?? .lenient }

    /// Reads `env:VAR` or `file:PATH` (the file's content without its trailing newline).
    private static func resolve(_ reference: String?) -> Result<String, ResolveProblem> {
        guard let reference else { return .failure(ResolveProblem(message: "security profile 1 or 2 but no credentials")) }
        if reference.hasPrefix("env:") {
            let name = String(reference.dropFirst(4))
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                return .failure(ResolveProblem(message: "environment variable \(name) is not set"))
            }
            return .success(value)
        }
        if reference.hasPrefix("file:") {
            let path = String(reference.dropFirst(5))
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                return .failure(ResolveProblem(message: "cannot read credentials file \(path)"))
            }
            return .success(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }
        return .failure(ResolveProblem(message: "credentials must be env:VAR or file:PATH"))
    }

    private struct ResolveProblem: Error {
        let message: String
    }
}
