import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import Testing
import TransportSecurity
@testable import OCPP

/// The test PKI under Tests/Fixtures/tls (see its make.sh).
private func pki(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls/\(name)").path
}

/// A client context that trusts the test authority, presenting the certificate `client` (a file stem) if given.
private func clientContext(presenting client: String? = nil) throws -> NIOSSLContext {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.trustRoots = .file(pki("ca.pem"))
    if let client {
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(pki("\(client).pem")).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: pki("\(client).key"), format: .pem))
    }
    return try NIOSSLContext(configuration: configuration)
}

/// A server with a `wss://` listener (asking for client certificates when `mutual`) and a plain one, recording
/// every handshake its admission saw.
private struct TLSTestServer {
    let server: OCPPWebSocketServer
    let handshakes = NIOLockedValueBox<[ChargerHandshake]>([])
    let delegate = WSRecordingDelegate(echo: true)

    init(mutual: Bool) throws {
        let tls = try TLSServer(settings: TLSServerSettings(
            certificateChainPath: pki("server.pem"), privateKeyPath: pki("server.key"),
            clientCertificateAuthoritiesPath: mutual ? pki("ca.pem") : nil))
        var logger = Logger(label: "test.websocket.tls")
        logger.logLevel = .critical
        let handshakes = handshakes
        server = OCPPWebSocketServer(
            configuration: .init(listeners: [OCPPListener(host: "127.0.0.1", port: 0, tls: tls),
                                             OCPPListener(host: "127.0.0.1", port: 0)], logger: logger),
            delegate: delegate,
            admission: { handshake in
                handshakes.withLockedValue { $0.append(handshake) }
                return .accept
            })
    }

    /// Starts both listeners; returns the TLS port and the plain port.
    func start() async throws -> (tls: Int, plain: Int) {
        let ports = try await server.start().compactMap { $0.split(separator: ":").last.flatMap { Int($0) } }
        try #require(ports.count == 2)
        return (ports[0], ports[1])
    }

    /// The counters once `ready` holds for them (the server counts a refusal just after the client sees the close),
    /// or after a second.
    func counters(when ready: (OCPPServerCounters) -> Bool) async throws -> OCPPServerCounters {
        var counters = await server.status().counters
        for _ in 0..<100 where !ready(counters) {
            try await Task.sleep(for: .milliseconds(10))
            counters = await server.status().counters
        }
        return counters
    }
}

@Suite("WebSocket over TLS", .timeLimit(.minutes(1)))
struct WebSocketTLSTests {
    @Test("a charger connects over wss:// with Basic auth (profile 2): admission sees TLS, the message round-trips")
    func profileTwo() async throws {
        let test = try TLSTestServer(mutual: false)
        let ports = try await test.start()
        let exchange = try await exchangeHeartbeat(port: ports.tls, path: "/ocpp/CP001", protocols: "ocpp2.0.1",
                                                   authorization: "Basic Q1AwMDE6czNjcmV0", tls: try clientContext())
        #expect(exchange.chosenProtocol == "ocpp2.0.1")
        #expect(exchange.answer == "echo: [2,\"1\",\"Heartbeat\",{}]")
        #expect(exchange.closeCode == 1000)
        let handshake = try #require(test.handshakes.withLockedValue { $0.first })
        #expect(handshake.isTLS)
        #expect(handshake.credentials == BasicCredentials(user: "CP001", password: "s3cret"))
        #expect(handshake.clientCertificate == nil)
        await test.server.shutdown()
    }

    @Test("with client authorities, a charger's verified certificate reaches admission (profile 3)")
    func profileThree() async throws {
        let test = try TLSTestServer(mutual: true)
        let ports = try await test.start()
        _ = try await exchangeHeartbeat(port: ports.tls, path: "/ocpp/CERT1", protocols: "ocpp1.6",
                                        tls: try clientContext(presenting: "CERT1"))
        // A charger without a certificate still gets through TLS; admission decides what its profile needs.
        _ = try await exchangeHeartbeat(port: ports.tls, path: "/ocpp/TLS1", protocols: "ocpp1.6", tls: try clientContext())
        let handshakes = test.handshakes.withLockedValue { $0 }
        try #require(handshakes.count == 2)
        #expect(handshakes[0].clientCertificate?.commonName == "CERT1")
        #expect(handshakes[0].clientCertificate?.organization == "Test CPO")
        #expect(handshakes[0].clientCertificate?.serialNumber.isEmpty == false)
        #expect(handshakes[1].isTLS && handshakes[1].clientCertificate == nil)
        #expect(await test.server.status().counters.accepted == 2)
        await test.server.shutdown()
    }

    @Test("a certificate from an authority nobody trusts ends the TLS handshake, counted; the server goes on")
    func untrustedCertificate() async throws {
        let test = try TLSTestServer(mutual: true)
        let ports = try await test.start()
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(pki("ca.pem"))
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(pki("rogue-CERT1.pem")).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: pki("rogue-CERT1.key"), format: .pem))
        let rogue = try await rawExchange(port: ports.tls, request: wsUpgradeRequest(path: "/ocpp/CERT1"),
                                          tls: try NIOSSLContext(configuration: configuration))
        #expect(rogue.bytes.isEmpty)
        #expect(rogue.error != nil)
        #expect(test.handshakes.withLockedValue { $0.isEmpty })
        let counters = try await test.counters(when: { $0.refused.tlsHandshake > 0 })
        #expect(counters.refused.tlsHandshake == 1)
        let exchange = try await exchangeHeartbeat(port: ports.tls, path: "/ocpp/CERT1", protocols: "ocpp1.6",
                                                   tls: try clientContext(presenting: "CERT1"))
        #expect(exchange.closeCode == 1000)
        await test.server.shutdown()
    }

    @Test("plain HTTP on the TLS port is a failed TLS handshake, and TLS on the plain port gets no upgrade")
    func wrongPort() async throws {
        let test = try TLSTestServer(mutual: false)
        let ports = try await test.start()
        let plainOnTLS = try await rawExchange(port: ports.tls, request: wsUpgradeRequest())
        #expect(WSRawResponse(plainOnTLS.bytes)?.status == nil)
        let tlsOnPlain = try await rawExchange(port: ports.plain, request: wsUpgradeRequest(), tls: try clientContext())
        #expect(tlsOnPlain.error != nil)
        #expect(test.handshakes.withLockedValue { $0.isEmpty })
        let counters = try await test.counters(when: { $0.refused.tlsHandshake > 0 && $0.refused.badRequest > 0 })
        #expect(counters.refused.tlsHandshake == 1)
        #expect(counters.refused.badRequest == 1)
        // The plain listener still serves, and its chargers are not marked as TLS.
        _ = try await exchangeHeartbeat(port: ports.plain, path: "/ocpp/CP002", protocols: "ocpp1.6")
        #expect(test.handshakes.withLockedValue { $0.first?.isTLS } == false)
        await test.server.shutdown()
    }
}
