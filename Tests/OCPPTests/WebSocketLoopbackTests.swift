import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Testing
@testable import OCPP

@Suite("WebSocket loopback")
struct WebSocketLoopbackTests {
    @Test("NIO's WebSocket client connects over loopback with Basic auth, exchanges a message and closes",
          .timeLimit(.minutes(1)))
    func loopback() async throws {
        var logger = Logger(label: "test.websocket.loopback")
        logger.logLevel = .critical
        let delegate = WSRecordingDelegate(echo: true)
        let server = OCPPWebSocketServer(
            configuration: .init(listeners: [OCPPListener(host: "127.0.0.1", port: 0)], logger: logger), delegate: delegate,
            admission: { handshake in
                guard let credentials = handshake.credentials, credentials.user == handshake.identity,
                      BasicCredentials.constantTimeEquals(credentials.password, "s3cret") else { return .unauthorized }
                return .accept
            })
        let address = try #require(try await server.start().first)
        let port = try #require(address.split(separator: ":").last.flatMap { Int($0) })

        let exchange = try await exchangeHeartbeat(port: port, path: "/ocpp/CP%2D7", protocols: "ocpp1.6, ocpp2.0.1",
                                                   authorization: "Basic Q1AtNzpzM2NyZXQ=")  // CP-7:s3cret
        #expect(exchange.chosenProtocol == "ocpp1.6")
        #expect(exchange.answer == "echo: [2,\"1\",\"Heartbeat\",{}]")
        #expect(exchange.closeCode == 1000)

        var status = await server.status()
        for _ in 0..<100 where !status.connections.isEmpty {
            try await Task.sleep(for: .milliseconds(10))
            status = await server.status()
        }
        #expect(status.connections.isEmpty)
        #expect(status.counters.accepted == 1)
        #expect(status.counters.messagesReceived == 1)
        #expect(delegate.events.first == .connected("CP-7", 1))
        #expect(delegate.disconnects == [.chargerClosed(code: 1000, reason: "")])
        await server.shutdown()
    }
}
