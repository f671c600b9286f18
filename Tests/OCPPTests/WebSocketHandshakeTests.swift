import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import OCPP

@Suite("WebSocket handshake")
struct WebSocketHandshakeTests {
    @Test("the first protocol in the client's order that the server supports is chosen and echoed")
    func subprotocolInClientOrder() throws {
        let cases: [(offered: String, supported: [OCPPVersion], chosen: String, version: OCPPVersion)] = [
            ("ocpp1.6, ocpp2.0.1", [.v201, .v16], "ocpp1.6", .v16),
            ("ocpp2.0.1, ocpp1.6", [.v201, .v16], "ocpp2.0.1", .v201),
            ("ocpp2.0.1,ocpp1.6", [.v16], "ocpp1.6", .v16),
            ("ocpp1.5, OCPP2.0.1", [.v201, .v16], "OCPP2.0.1", .v201),
        ]
        for entry in cases {
            let server = WSEmbeddedServer(.init(supportedVersions: entry.supported))
            let channel = try server.connect()
            let response = try #require(try channel.wsHandshake(wsUpgradeRequest(protocols: entry.offered)))
            #expect(response.status == 101, "\(entry.offered)")
            #expect(response.headers["sec-websocket-protocol"] == entry.chosen, "\(entry.offered)")
            // RFC 6455 §1.3's sample key and answer.
            #expect(response.headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            #expect(server.delegate.connections.map(\.version) == [entry.version])
            #expect(server.counters.accepted == 1)
        }
    }

    @Test("a client offering no subprotocol gets the legacy fallback, without a subprotocol in the answer")
    func legacyFallback() throws {
        let server = WSEmbeddedServer()
        let channel = try server.connect()
        let response = try #require(try channel.wsHandshake(wsUpgradeRequest(protocols: nil)))
        #expect(response.status == 101)
        #expect(response.headers["sec-websocket-protocol"] == nil)
        #expect(server.delegate.connections.map(\.version) == [.v16])
    }

    @Test("without a legacy fallback, or with one the server does not speak, a client offering none is refused")
    func legacyFallbackRefused() throws {
        for configuration in [OCPPServerConfiguration(legacyFallback: nil),
                              OCPPServerConfiguration(supportedVersions: [.v201], legacyFallback: .v16)] {
            let server = WSEmbeddedServer(configuration)
            let channel = try server.connect()
            let response = try #require(try channel.wsHandshake(wsUpgradeRequest(protocols: nil)))
            #expect(response.status == 400)
            #expect(response.body.contains("ocpp2.0.1"))
            #expect(server.counters.refused.unsupportedProtocol == 1)
            #expect(!channel.isActive)
            #expect(server.delegate.events.isEmpty)
        }
    }

    @Test("a client offering only unsupported protocols is told which ones the server supports")
    func unsupportedProtocol() throws {
        let server = WSEmbeddedServer()
        let channel = try server.connect()
        let response = try #require(try channel.wsHandshake(wsUpgradeRequest(protocols: "ocpp1.5, ocpp2.1")))
        #expect(response.status == 400)
        #expect(response.body.contains("ocpp2.0.1, ocpp1.6"))
        #expect(response.headers["connection"] == "close")
        #expect(server.counters.refused.unsupportedProtocol == 1)
        #expect(server.server.core.status().pendingHandshakes == 0)
    }

    @Test("the identity is the last path segment, percent-decoded, behind any prefix")
    func identityFromPath() throws {
        let cases = ["/ocpp/CP001": "CP001", "/CP001": "CP001", "/a/b/CP%20001": "CP 001",
                     "/ocpp/CP001?token=1": "CP001", "/ocpp/%C3%A9t%C3%A9": "été", "/x/a%2Fb": "a/b"]
        for (path, identity) in cases {
            let server = WSEmbeddedServer()
            let channel = try server.connect()
            let response = try #require(try channel.wsHandshake(wsUpgradeRequest(path: path)))
            #expect(response.status == 101, "\(path)")
            #expect(server.delegate.connections.map(\.identity) == [identity], "\(path)")
        }
    }

    @Test("an empty identity or a broken percent-encoding is refused with 400")
    func badPaths() throws {
        for path in ["/", "/ocpp/", "/ocpp/CP%2", "/ocpp/CP%zz01", "/ocpp/%FF%FE", "/ocpp/CP%0A1"] {
            let server = WSEmbeddedServer()
            let channel = try server.connect()
            let response = try #require(try channel.wsHandshake(wsUpgradeRequest(path: path)))
            #expect(response.status == 400, "\(path)")
            #expect(server.counters.refused.badPath == 1, "\(path)")
            #expect(server.delegate.events.isEmpty)
        }
    }

    @Test("2.0.1 identities have at most 48 characters and no ':'; 1.6 does not have these rules")
    func identityRules201() throws {
        let cases: [(identity: String, protocols: String, status: Int)] = [
            (String(repeating: "A", count: 48), "ocpp2.0.1", 101),
            (String(repeating: "A", count: 49), "ocpp2.0.1", 400),
            ("CP%3A1", "ocpp2.0.1", 400),
            ("CP%3A1", "ocpp1.6", 101),
            (String(repeating: "A", count: 49), "ocpp1.6", 101),
        ]
        for entry in cases {
            let server = WSEmbeddedServer()
            let channel = try server.connect()
            let response = try #require(try channel.wsHandshake(
                wsUpgradeRequest(path: "/ocpp/\(entry.identity)", protocols: entry.protocols)))
            #expect(response.status == entry.status, "\(entry.identity) \(entry.protocols)")
            #expect(server.counters.refused.badPath == (entry.status == 400 ? 1 : 0))
        }
    }

    @Test("the admission delegate gets identity, version, address, decoded credentials and TLS, before the upgrade")
    func admissionFacts() throws {
        let seen = NIOLockedValueBox<[ChargerHandshake]>([])
        let server = WSEmbeddedServer(admission: { handshake in
            seen.withLockedValue { $0.append(handshake) }
            return .accept
        })
        let channel = try server.connect()
        // "CP001:se:cret" — the password keeps its colon.
        let response = try #require(try channel.wsHandshake(wsUpgradeRequest(
            protocols: "ocpp2.0.1", authorization: "Basic Q1AwMDE6c2U6Y3JldA==")))
        #expect(response.status == 101)
        let handshake = try #require(seen.withLockedValue { $0.first })
        #expect(handshake.identity == "CP001")
        #expect(handshake.version == .v201)
        #expect(handshake.remoteAddress.hasPrefix("127.0.0.1:"))
        #expect(handshake.credentials == BasicCredentials(user: "CP001", password: "se:cret"))
        #expect(handshake.authorizationPresent)
        #expect(!handshake.isTLS)
        #expect(!"\(handshake)".contains("se:cret"))
    }

    @Test("unreadable Authorization headers reach the delegate as absent credentials, never as a crash")
    func unreadableCredentials() throws {
        for header in ["Basic !!!notbase64", "Basic Q1AwMDE=", "Bearer abc", "Basic", "Basic Q1A6\u{00e9}"] {
            let seen = NIOLockedValueBox<ChargerHandshake?>(nil)
            let server = WSEmbeddedServer(admission: { handshake in
                seen.withLockedValue { $0 = handshake }
                return handshake.credentials == nil ? .unauthorized : .accept
            })
            let channel = try server.connect()
            let response = try #require(try channel.wsHandshake(wsUpgradeRequest(authorization: header)))
            #expect(response.status == 401, "\(header)")
            #expect(seen.withLockedValue { $0?.authorizationPresent } == true)
        }
    }

    @Test("refusals by the delegate: 401 with a Basic challenge, 404 for an unknown charger")
    func admissionRefusals() throws {
        let decisions: [(AdmissionDecision, Int)] = [(.unauthorized, 401), (.unknownCharger, 404)]
        for (decision, status) in decisions {
            let server = WSEmbeddedServer(admission: { _ in decision })
            let channel = try server.connect()
            let response = try #require(try channel.wsHandshake(wsUpgradeRequest(authorization: "Basic Q1AwMDE6eA==")))
            #expect(response.status == status)
            #expect(response.headers["www-authenticate"] == (status == 401 ? "Basic realm=\"ocpp809\"" : nil))
            #expect(!channel.isActive)
            #expect(server.delegate.events.isEmpty)
        }
        let counters = WSEmbeddedServer(admission: { _ in .unauthorized })
        _ = try counters.connect().wsHandshake(wsUpgradeRequest())
        #expect(counters.counters.refused.unauthorized == 1)
    }

    @Test("a second connection of a connected identity is refused with 409 when replacement is off")
    func duplicateRefused() throws {
        let server = WSEmbeddedServer(.init(replaceExistingConnection: false))
        let first = try server.connect()
        #expect(try first.wsHandshake(wsUpgradeRequest())?.status == 101)
        let second = try server.connect()
        #expect(try second.wsHandshake(wsUpgradeRequest())?.status == 409)
        #expect(server.counters.refused.duplicate == 1)
        #expect(first.isActive)
        // Another identity is still welcome.
        #expect(try server.connect().wsHandshake(wsUpgradeRequest(path: "/ocpp/CP002"))?.status == 101)
    }

    @Test("beyond maximumConnections the upgrade is refused with 503; a replacement does not count twice")
    func connectionLimit() throws {
        let server = WSEmbeddedServer(.init(maximumConnections: 1))
        #expect(try server.connect().wsHandshake(wsUpgradeRequest())?.status == 101)
        let refused = try #require(try server.connect().wsHandshake(wsUpgradeRequest(path: "/ocpp/CP002")))
        #expect(refused.status == 503)
        #expect(refused.headers["retry-after"] != nil)
        #expect(server.counters.refused.limit == 1)
        #expect(try server.connect().wsHandshake(wsUpgradeRequest())?.status == 101)
        #expect(server.counters.replaced == 1)
    }

    @Test("more handshakes in progress than allowed are closed on accept, counted")
    func pendingHandshakeLimit() throws {
        let server = WSEmbeddedServer(.init(maximumPendingHandshakes: 1))
        let first = try server.connect()
        #expect(throws: OCPPServerError.connectionRefused) { _ = try server.connect() }
        #expect(server.counters.refused.limit == 1)
        #expect(try first.wsHandshake(wsUpgradeRequest())?.status == 101)
        #expect(server.server.core.status().pendingHandshakes == 0)
    }

    @Test("requests that are not WebSocket upgrades get 400")
    func notWebSocket() throws {
        let requests = [
            "GET /ocpp/CP001 HTTP/1.1\r\nHost: x\r\n\r\n",
            wsUpgradeRequest(webSocketKey: nil),
        ]
        for request in requests {
            let server = WSEmbeddedServer()
            let channel = try server.connect()
            let response = try #require(try channel.wsHandshake(request))
            #expect(response.status == 400)
            #expect(server.counters.refused.badRequest == 1)
            #expect(!channel.isActive)
        }
    }

    @Test("an oversized request head is refused and counted")
    func oversizedHead() throws {
        let server = WSEmbeddedServer(.init(maximumRequestHeadBytes: 1024))
        let channel = try server.connect()
        let padding = "X-Padding: " + String(repeating: "a", count: 1500) + "\r\n"
        let request = wsUpgradeRequest().wsReplacingFirst("Host: localhost\r\n", with: "Host: localhost\r\n" + padding)
        try? channel.wsFeed(request)
        #expect(!channel.isActive)
        #expect(server.counters.refused.badRequest == 1)
        #expect(server.delegate.events.isEmpty)
    }

    @Test("a client that does not complete the upgrade within handshakeTimeout is closed (slowloris)")
    func handshakeTimeout() throws {
        let server = WSEmbeddedServer(.init(handshakeTimeout: .seconds(10)))
        let channel = try server.connect()
        try channel.wsFeed("GET /ocpp/CP001 HTTP/1.1\r\nHost: local")
        server.loop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        server.loop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        #expect(server.counters.handshakeTimeouts == 1)
        #expect(server.server.core.status().pendingHandshakes == 0)
    }

    @Test("a completed upgrade cancels the handshake timeout")
    func upgradeCancelsTimeout() throws {
        let server = WSEmbeddedServer(.init(handshakeTimeout: .seconds(10), pingInterval: nil))
        let channel = try server.connect()
        #expect(try channel.wsHandshake(wsUpgradeRequest())?.status == 101)
        server.loop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        #expect(server.counters.handshakeTimeouts == 0)
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func wsReplacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return self[..<range.lowerBound] + replacement + self[range.upperBound...]
    }
}
