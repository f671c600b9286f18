import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import OCPP

/// Keeps every log line (message and metadata) for inspection.
private struct CapturingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.withLockedValue { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
    }
}

@Suite("WebSocket credentials")
struct WebSocketCredentialsTests {
    @Test("Basic credentials are read from well-formed headers only")
    func parsing() {
        let cases: [(String, BasicCredentials?)] = [
            ("Basic Q1AwMDE6c2VjcmV0", BasicCredentials(user: "CP001", password: "secret")),
            ("basic   Q1AwMDE6c2VjcmV0  ", BasicCredentials(user: "CP001", password: "secret")),
            ("Basic Q1AwMDE6", BasicCredentials(user: "CP001", password: "")),
            ("Basic OnNlY3JldA==", BasicCredentials(user: "", password: "secret")),
            ("Basic Q1AwMDE6YTpiOmM=", BasicCredentials(user: "CP001", password: "a:b:c")),
            ("Basic Q1AwMDE6c2VjcmV0=", nil),   // padding where none belongs
            ("Basic Q1AwMDE", nil),             // no colon once decoded
            ("Basic Q1A*MDE6c2VjcmV0", nil),    // outside the alphabet
            ("Basic Q1AwMDE6c2Vj=cmV0", nil),   // padding inside
            ("Basic /w==", nil),                // not UTF-8
            ("Bearer Q1AwMDE6c2VjcmV0", nil),
            ("Basic", nil),
            ("", nil),
            ("Basic " + String(repeating: "QUFB", count: 2000), nil),
        ]
        for (header, expected) in cases {
            #expect(BasicCredentials(authorizationHeader: header) == expected, "\(header.prefix(40))")
        }
    }

    @Test("constant-time comparison agrees with ==, lengths included")
    func constantTimeEquals() {
        let pairs = [("", ""), ("a", "a"), ("a", ""), ("", "a"), ("secret", "secreT"), ("secret", "secret1"),
                     ("secret1", "secret"), ("pässword", "pässword"), ("pässword", "passsword"), ("ab", "ba")]
        for (lhs, rhs) in pairs {
            #expect(BasicCredentials.constantTimeEquals(lhs, rhs) == (lhs == rhs), "\(lhs) vs \(rhs)")
        }
    }

    @Test("credentials never print their password")
    func redaction() {
        let credentials = BasicCredentials(user: "CP001", password: "hunter2")
        #expect(!"\(credentials)".contains("hunter2"))
        #expect(!String(reflecting: credentials).contains("hunter2"))
        #expect("\(credentials)".contains("CP001"))
    }

    @Test("refusals are logged rate-limited, without the password or the Authorization header")
    func refusalLogging() throws {
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "test.websocket.credentials") { _ in CapturingLogHandler(lines: lines) }
        let server = WSEmbeddedServer(.init(logger: logger), admission: { _ in .unauthorized })
        // "CP001:hunter2"
        for _ in 0..<20 {
            let response = try server.connect().wsHandshake(wsUpgradeRequest(authorization: "Basic Q1AwMDE6aHVudGVyMg=="))
            #expect(response?.status == 401)
            // The answer names nothing of the credentials either.
            #expect(response?.body.contains("hunter2") == false)
        }
        #expect(server.counters.refused.unauthorized == 20)
        let logged = lines.withLockedValue { $0 }
        #expect(logged.filter { $0.contains("refused") }.count == 1)
        #expect(!logged.isEmpty)
        for line in logged {
            #expect(!line.contains("hunter2"))
            #expect(!line.contains("Q1AwMDE6aHVudGVyMg"))
        }
    }

    @Test("a profile that needs TLS is refused with 403 and no Basic challenge, so no password is asked for in clear")
    func transportSecurityRequired() throws {
        let server = WSEmbeddedServer(admission: { handshake in handshake.isTLS ? .accept : .transportSecurityRequired })
        let response = try #require(try server.connect().wsHandshake(wsUpgradeRequest()))
        #expect(response.status == 403)
        #expect(response.headers["www-authenticate"] == nil)
        #expect(response.body.contains("TLS"))
        #expect(server.counters.refused.transportSecurity == 1)
        #expect(server.counters.refused.total == 1)
        #expect(server.counters.accepted == 0)
    }

    @Test("the registry holds places between admission and upgrade, and replacements do not count twice")
    func registry() {
        var registry = ChargerRegistry()
        #expect(registry.reserve("A", id: 1, replaceExisting: false, maximum: 2) == .reserved(replacing: nil))
        // The same identity while its first handshake is still pending.
        #expect(registry.reserve("A", id: 2, replaceExisting: false, maximum: 2) == .duplicate)
        #expect(registry.open(1) == "A")
        #expect(registry.reserve("B", id: 3, replaceExisting: false, maximum: 2) == .reserved(replacing: nil))
        #expect(registry.reserve("C", id: 4, replaceExisting: true, maximum: 2) == .full)
        #expect(registry.reserve("A", id: 5, replaceExisting: true, maximum: 2) == .reserved(replacing: 1))
        registry.release(3)
        #expect(registry.count == 2)
        #expect(registry.open(5) == "A")
        // The replaced connection's late close must not remove its successor.
        registry.close("A", id: 1)
        #expect(registry.current("A") == 5)
        registry.close("A", id: 5)
        #expect(registry.current("A") == nil)
        #expect(registry.open(99) == nil)
    }
}
