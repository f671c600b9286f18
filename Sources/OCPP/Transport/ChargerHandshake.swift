import TransportSecurity

/// What the server knows about a charger asking to connect, when the admission delegate decides.
public struct ChargerHandshake: Sendable, CustomStringConvertible {
    /// The charger identity: the last path segment of the request, percent-decoded.
    public var identity: String
    /// The negotiated OCPP version.
    public var version: OCPPVersion
    /// The charger's address as HOST:PORT ("unknown" when the socket has none).
    public var remoteAddress: String
    /// The HTTP Basic credentials, when an Authorization header carried readable ones.
    public var credentials: BasicCredentials?
    /// Whether the request had an Authorization header at all (readable or not).
    public var authorizationPresent: Bool
    /// Whether the connection runs over TLS (it came in on a listener with a TLS server).
    public var isTLS: Bool
    /// The client certificate, verified against the listener's client authorities, when the charger presented one.
    public var clientCertificate: PeerCertificate?

    /// Creates the facts of one handshake.
    public init(identity: String, version: OCPPVersion, remoteAddress: String, credentials: BasicCredentials?,
                authorizationPresent: Bool, isTLS: Bool, clientCertificate: PeerCertificate? = nil) {
        self.identity = identity
        self.version = version
        self.remoteAddress = remoteAddress
        self.credentials = credentials
        self.authorizationPresent = authorizationPresent
        self.isTLS = isTLS
        self.clientCertificate = clientCertificate
    }

    /// The handshake without its password, for logs.
    public var description: String {
        "\(identity) (\(version.rawValue)) from \(remoteAddress)\(isTLS ? " over TLS" : "")"
            + (clientCertificate.map { ", certificate \($0)" } ?? "")
            + (credentials.map { ", user \($0.user)" } ?? (authorizationPresent ? ", unreadable credentials" : ""))
    }
}

/// The admission delegate's answer to a handshake.
public enum AdmissionDecision: Hashable, Sendable {
    /// Upgrade the connection.
    case accept
    /// Refuse with 404: the identity is not a known charger.
    case unknownCharger
    /// Refuse with 401 and a Basic challenge; the response is the same whatever part was wrong.
    case unauthorized
    /// Refuse with 403: the charger's security profile needs TLS, or a client certificate naming it, that this
    /// connection does not have. No Basic challenge, so no charger is invited to send a password in the clear.
    case transportSecurityRequired
}

/// Decides whether a charger may connect; runs on the server's event loop before the upgrade, so it must not block.
public typealias AdmissionHandler = @Sendable (ChargerHandshake) -> AdmissionDecision

/// HTTP Basic credentials (OCPP security profiles 1 and 2: the identity and its AuthorizationKey).
public struct BasicCredentials: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The user id (for OCPP, the charger identity).
    public var user: String
    /// The password (for OCPP, the AuthorizationKey); never printed.
    public var password: String

    /// Creates credentials.
    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// The user and a redacted password, so credentials never reach a log by accident.
    public var description: String { "BasicCredentials(user: \(user), password: <redacted>)" }

    /// The same as `description`: the password stays out of debug output too.
    public var debugDescription: String { description }

    /// Reads an Authorization header value; nil unless it is `Basic` with base64 of UTF-8 `user:password`.
    public init?(authorizationHeader value: String) {
        // Longer than any sane key: refuse before decoding so the work stays bounded.
        guard value.utf8.count <= 4096 else { return nil }
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }),
              trimmed[..<space].lowercased() == "basic" else { return nil }
        let token = trimmed[space...].trimmingBlanks()
        guard let bytes = Base64.decode(token), let text = String(validating: bytes, as: UTF8.self),
              let colon = text.firstIndex(of: ":") else { return nil }
        self.init(user: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }

    /// Compares two secrets in time that depends only on the longer length, never on where they differ.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt64(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= UInt64(a ^ b)
        }
        return difference == 0
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingBlanks() -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let start = firstIndex { !isBlank($0) } ?? endIndex
        let end = lastIndex { !isBlank($0) }.map(index(after:)) ?? start
        return self[start..<end]
    }
}

/// A strict RFC 4648 base64 decoder (standard alphabet, padding optional): Foundation-free and total.
enum Base64 {
    /// The bytes of `text`, or nil when it holds a character outside the alphabet or a misplaced `=`.
    static func decode(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for character in text.utf8 {
            if character == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, let value = sextet(character) else { return nil }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // A single leftover sextet cannot encode a byte; more than two pad characters is not base64.
        guard bits < 6, padding <= 2, text.utf8.count % 4 == 0 || padding == 0 else { return nil }
        return bytes
    }

    private static func sextet(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
