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

    /// Reads the site's chargers; returns the admission and a problem line per charger whose secret is missing.
    static func load(_ graph: RuleGraph) -> (ChargerAdmission, problems: [String]) {
        var entries: [String: Entry] = [:]
        var problems: [String] = []
        for charger in graph.chargers {
            var secret: String?
            if charger.securityProfile >= 1 {
                switch resolve(charger.credentials) {
                case let .success(value): secret = value
                case let .failure(problem): problems.append("charger \(charger.id): \(problem.message); it cannot connect")
                }
            }
            let zone = TimeZone(identifier: charger.timezone)
            if zone == nil { problems.append("charger \(charger.id): unknown time zone '\(charger.timezone)'") }
            entries[charger.id] = Entry(securityProfile: charger.securityProfile, secret: secret,
                                        sanitizer: charger.sanitizer == .strict ? .strict : .lenient, timeZone: zone)
        }
        return (ChargerAdmission(entries: entries), problems)
    }

    /// The decision for a handshake. The same refusal is given whatever part of the credentials was wrong.
    func decide(_ handshake: ChargerHandshake) -> AdmissionDecision {
        guard let entry = entries[handshake.identity] else { return .unknownCharger }
        switch entry.securityProfile {
        case 0:
            return .accept
        case 1:
            guard let secret = entry.secret, let given = handshake.credentials else { return .unauthorized }
            // Both comparisons always run, so the time taken does not tell which part was wrong.
            let userMatches = BasicCredentials.constantTimeEquals(given.user, handshake.identity)
            let passwordMatches = BasicCredentials.constantTimeEquals(given.password, secret)
            return userMatches && passwordMatches ? .accept : .unauthorized
        default:
            // Profiles 2 and 3 need TLS, which this listener does not offer yet: never admit them over plain ws.
            return .unauthorized
        }
    }

    /// The configured zone of a charger, or nil.
    func timeZone(for identity: String) -> TimeZone? { entries[identity]?.timeZone }

    /// The sanitizer policy of a charger (lenient for identities the site does not list).
    func sanitizer(for identity: String) -> OCPP.SanitizerPolicy { entries[identity]?.sanitizer ?? .lenient }

    /// Reads `env:VAR` or `file:PATH` (the file's content without its trailing newline).
    private static func resolve(_ reference: String?) -> Result<String, ResolveProblem> {
        guard let reference else { return .failure(ResolveProblem(message: "security profile ≥ 1 but no credentials")) }
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
