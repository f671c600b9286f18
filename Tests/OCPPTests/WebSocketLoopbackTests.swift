import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Testing
@testable import OCPP

/// Sends the upgrade request once connected; NIO's client upgrader adds the WebSocket headers.
private final class UpgradeRequester: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart
    let head: HTTPRequestHead

    init(head: HTTPRequestHead) { self.head = head }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }
}

/// A charger on NIO's WebSocket client: sends one CALL, takes the first text answer, then closes with 1000.
private final class LoopbackCharger: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    let answer: EventLoopPromise<String>
    let closeCode: EventLoopPromise<UInt16?>
    private var answered = false
    private var closed = false

    init(answer: EventLoopPromise<String>, closeCode: EventLoopPromise<UInt16?>) {
        self.answer = answer
        self.closeCode = closeCode
    }

    func handlerAdded(context: ChannelHandlerContext) {
        send(.text, ByteBuffer(string: "[2,\"1\",\"Heartbeat\",{}]"), context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text where !answered:
            answered = true
            answer.succeed(String(buffer: frame.unmaskedData))
            var payload = ByteBuffer()
            payload.writeInteger(UInt16(1000))
            send(.connectionClose, payload, context: context)
        case .connectionClose where !closed:
            closed = true
            var payload = frame.unmaskedData
            closeCode.succeed(payload.readInteger(as: UInt16.self))
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !answered { answer.fail(ChannelError.ioOnClosedChannel) }
        if !closed { closeCode.fail(ChannelError.ioOnClosedChannel) }
    }

    private func send(_ opcode: WebSocketOpcode, _ payload: ByteBuffer, context: ChannelHandlerContext) {
        // Clients mask every frame (RFC 6455 §5.3).
        let frame = WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: payload)
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}

@Suite("WebSocket loopback")
struct WebSocketLoopbackTests {
    @Test("NIO's WebSocket client connects over loopback with Basic auth, exchanges a message and closes",
          .timeLimit(.minutes(1)))
    func loopback() async throws {
        var logger = Logger(label: "test.websocket.loopback")
        logger.logLevel = .critical
        let delegate = WSRecordingDelegate(echo: true)
        let server = OCPPWebSocketServer(
            configuration: .init(host: "127.0.0.1", port: 0, logger: logger), delegate: delegate,
            admission: { handshake in
                guard let credentials = handshake.credentials, credentials.user == handshake.identity,
                      BasicCredentials.constantTimeEquals(credentials.password, "s3cret") else { return .unauthorized }
                return .accept
            })
        let address = try await server.start()
        let port = try #require(address.split(separator: ":").last.flatMap { Int($0) })

        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let answer = loop.makePromise(of: String.self)
        let closeCode = loop.makePromise(of: UInt16?.self)
        let chosenProtocol = loop.makePromise(of: String?.self)
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ocpp/CP%2D7")
        head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
        head.headers.add(name: "Sec-WebSocket-Protocol", value: "ocpp1.6, ocpp2.0.1")
        head.headers.add(name: "Authorization", value: "Basic Q1AtNzpzM2NyZXQ=")  // CP-7:s3cret
        let request = head
        let client = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                let upgrader = NIOWebSocketClientUpgrader(upgradePipelineHandler: { channel, response in
                    chosenProtocol.succeed(response.headers.first(name: "Sec-WebSocket-Protocol"))
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            LoopbackCharger(answer: answer, closeCode: closeCode))
                    }
                })
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    try channel.pipeline.syncOperations.addHandler(UpgradeRequester(head: request))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()

        #expect(try await chosenProtocol.futureResult.get() == "ocpp1.6")
        #expect(try await answer.futureResult.get() == "echo: [2,\"1\",\"Heartbeat\",{}]")
        #expect(try await closeCode.futureResult.get() == 1000)
        try await client.closeFuture.get()

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
