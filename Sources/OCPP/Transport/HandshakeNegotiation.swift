import NIOHTTP1

/// Why an upgrade request was refused; each case is one HTTP answer and one counter.
enum HandshakeRefusal: Error, Hashable, Sendable {
    /// Not a usable WebSocket upgrade request.
    case badRequest(String)
    /// No usable charger identity in the path.
    case badPath(String)
    /// No subprotocol in common; the text names what the server supports.
    case unsupportedProtocol(String)
    /// The admission delegate does not know the identity.
    case unknownCharger
    /// The admission delegate refused the credentials.
    case unauthorized
    /// Too many chargers connected.
    case limit
    /// The identity is connected and replacement is off.
    case duplicate
    /// The admission delegate wants TLS or a client certificate the connection does not have.
    case transportSecurity

    /// The HTTP status of the refusal.
    var status: HTTPResponseStatus {
        switch self {
        case .badRequest, .badPath, .unsupportedProtocol: .badRequest
        case .unknownCharger: .notFound
        case .unauthorized: .unauthorized
        case .limit: .serviceUnavailable
        case .duplicate: .conflict
        case .transportSecurity: .forbidden
        }
    }

    /// The plain-text body: says what was wrong, and never echoes credentials.
    var body: String {
        switch self {
        case let .badRequest(text), let .badPath(text), let .unsupportedProtocol(text): text
        case .unknownCharger: "Unknown charging station"
        // One text for every credential failure, so a client cannot tell which part was wrong.
        case .unauthorized: "Unauthorized"
        case .limit: "Too many connections; try again later"
        case .duplicate: "This charging station is already connected"
        // The same text whether TLS or the certificate was missing or the certificate named someone else.
        case .transportSecurity: "This charging station must connect over TLS with the credentials its security profile requires"
        }
    }

    /// Counts the refusal under its reason.
    func count(in counters: inout OCPPRefusalCounters) {
        switch self {
        case .badRequest: counters.badRequest += 1
        case .badPath: counters.badPath += 1
        case .unsupportedProtocol: counters.unsupportedProtocol += 1
        case .unknownCharger: counters.unknownCharger += 1
        case .unauthorized: counters.unauthorized += 1
        case .limit: counters.limit += 1
        case .duplicate: counters.duplicate += 1
        case .transportSecurity: counters.transportSecurity += 1
        }
    }
}

/// The outcome of negotiation before admission: who connects, in which version, and what to echo.
struct NegotiatedHandshake: Hashable, Sendable {
    /// The percent-decoded identity.
    var identity: String
    /// The chosen version.
    var version: OCPPVersion
    /// The `Sec-WebSocket-Protocol` value to answer with, exactly as the client spelled it; nil for legacy clients,
    /// which must not get a subprotocol they did not ask for.
    var echoedProtocol: String?
}

/// The pure rules of the OCPP-J handshake: identity from the path, subprotocol choice, per-version identity rules.
enum HandshakeNegotiation {
    /// OCPP 2.0.1 part 4: the identity is at most 48 characters and has no ':' (it doubles as the Basic user id).
    static let maximumIdentityLength201 = 48

    /// Negotiates identity and version from a request head.
    static func negotiate(_ head: HTTPRequestHead, supported: [OCPPVersion], legacyFallback: OCPPVersion?,
                          maximumIdentityLength: Int) throws(HandshakeRefusal) -> NegotiatedHandshake {
        let identity = try identity(fromURI: head.uri, maximumLength: maximumIdentityLength)
        let (version, echo) = try version(offered: head.headers["Sec-WebSocket-Protocol"], supported: supported,
                                          legacyFallback: legacyFallback)
        try check(identity, for: version)
        return NegotiatedHandshake(identity: identity, version: version, echoedProtocol: echo)
    }

    /// The last path segment of `uri`, percent-decoded; any prefix path is accepted.
    static func identity(fromURI uri: String, maximumLength: Int) throws(HandshakeRefusal) -> String {
        var path = Substring(uri)
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        // Absolute form (`GET ws://host/ocpp/CP1`): the path starts after the authority.
        if let scheme = path.firstRange(of: "://") {
            let afterScheme = path[scheme.upperBound...]
            path = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? ""
        }
        let segment = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard !segment.isEmpty else {
            throw .badPath("No charging station identity in the path; connect to <endpoint>/<identity>")
        }
        guard let identity = percentDecoded(segment) else {
            throw .badPath("The charging station identity is not valid percent-encoded UTF-8")
        }
        guard !identity.isEmpty, identity.count <= maximumLength else {
            throw .badPath("The charging station identity must have 1 to \(maximumLength) characters")
        }
        // Control characters would end up in logs and status lines verbatim.
        guard !identity.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .badPath("The charging station identity contains control characters")
        }
        return identity
    }

    /// Chooses the first protocol in the client's order that the server supports.
    ///
    /// `offered` holds the header's values (a header may repeat, and each may list several tokens). Tokens match
    /// case-insensitively and are echoed as the client wrote them, so that strict clients see their own spelling.
    static func version(offered: [String], supported: [OCPPVersion],
                        legacyFallback: OCPPVersion?) throws(HandshakeRefusal) -> (OCPPVersion, echo: String?) {
        let tokens = offered.flatMap { $0.split(separator: ",") }.map { $0.trimmingBlanks() }.filter { !$0.isEmpty }
        let supportedList = supported.map(\.rawValue).joined(separator: ", ")
        guard !tokens.isEmpty else {
            guard let legacyFallback, supported.contains(legacyFallback) else {
                throw .unsupportedProtocol(
                    "No Sec-WebSocket-Protocol offered; this server requires one of: \(supportedList)")
            }
            return (legacyFallback, nil)
        }
        for token in tokens {
            if let version = supported.first(where: { $0.rawValue.lowercased() == token.lowercased() }) {
                return (version, String(token))
            }
        }
        throw .unsupportedProtocol("None of the offered subprotocols is supported; this server supports: \(supportedList)")
    }

    /// Applies the version's identity rules.
    static func check(_ identity: String, for version: OCPPVersion) throws(HandshakeRefusal) {
        guard version == .v201 else { return }
        guard identity.count <= maximumIdentityLength201, !identity.contains(":") else {
            throw .badPath("An OCPP 2.0.1 charging station identity has at most \(maximumIdentityLength201) characters and no ':'")
        }
    }

    /// Decodes `%XX` escapes; nil for a broken escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
