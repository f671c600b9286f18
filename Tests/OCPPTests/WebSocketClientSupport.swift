import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Sends the upgrade request once connected; NIO's client upgrader adds the WebSocket headers.
final class UpgradeRequester: ChannelInboundHandler {
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
final class LoopbackCharger: ChannelInboundHandler {
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

/// What a loopback charger saw: the subprotocol the server chose, the answer to its Heartbeat, the close code.
struct LoopbackExchange {
    var chosenProtocol: String?
    var answer: String
    var closeCode: UInt16?
}

/// Connects NIO's WebSocket client to 127.0.0.1 (over TLS when `tls` is given, checking the server is
/// `localhost`), sends a Heartbeat, takes the answer, closes with 1000 and waits for the connection to end.
func exchangeHeartbeat(port: Int, path: String, protocols: String, authorization: String? = nil,
                       tls: NIOSSLContext? = nil) async throws -> LoopbackExchange {
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let answer = loop.makePromise(of: String.self)
    let closeCode = loop.makePromise(of: UInt16?.self)
    let chosenProtocol = loop.makePromise(of: String?.self)
    var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
    head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
    head.headers.add(name: "Sec-WebSocket-Protocol", value: protocols)
    if let authorization { head.headers.add(name: "Authorization", value: authorization) }
    let request = head
    let client = try await ClientBootstrap(group: loop)
        .channelInitializer { channel in
            let upgrader = NIOWebSocketClientUpgrader(upgradePipelineHandler: { channel, response in
                chosenProtocol.succeed(response.headers.first(name: "Sec-WebSocket-Protocol"))
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(LoopbackCharger(answer: answer, closeCode: closeCode))
                }
            })
            return channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: "localhost"))
                }
                try channel.pipeline.syncOperations.addHTTPClientHandlers(
                    withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                try channel.pipeline.syncOperations.addHandler(UpgradeRequester(head: request))
            }
        }
        .connect(host: "127.0.0.1", port: port)
        .get()
    client.closeFuture.whenComplete { _ in
        chosenProtocol.fail(ChannelError.ioOnClosedChannel)
        answer.fail(ChannelError.ioOnClosedChannel)
        closeCode.fail(ChannelError.ioOnClosedChannel)
    }
    let exchange = LoopbackExchange(chosenProtocol: try await chosenProtocol.futureResult.get(),
                                    answer: try await answer.futureResult.get(),
                                    closeCode: try await closeCode.futureResult.get())
    try await client.closeFuture.get()
    return exchange
}

/// Sends `request` as raw bytes (over TLS when `tls` is given) and collects everything until the server closes;
/// the error is the one the connection ended with, if any (a failed TLS handshake).
func rawExchange(port: Int, request: String, tls: NIOSSLContext? = nil) async throws -> (bytes: [UInt8], error: (any Error)?) {
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let done = loop.makePromise(of: ([UInt8], (any Error)?).self)
    let client = try await ClientBootstrap(group: loop)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: "localhost"))
                }
                try channel.pipeline.syncOperations.addHandler(RawCollector(request: request, done: done))
            }
        }
        .connect(host: "127.0.0.1", port: port)
        .get()
    let (bytes, error) = try await done.futureResult.get()
    try? await client.closeFuture.get()
    return (bytes, error)
}

/// Writes a request once connected and keeps every byte until the connection ends.
private final class RawCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let request: String
    private let done: EventLoopPromise<([UInt8], (any Error)?)>
    private var bytes: [UInt8] = []
    private var error: (any Error)?

    init(request: String, done: EventLoopPromise<([UInt8], (any Error)?)>) {
        self.request = request
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bytes += unwrapInboundIn(data).readableBytesView
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.error == nil { self.error = error }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.succeed((bytes, error))
    }
}
