import NIOCore
import NIOHTTP1
import NIOWebSocket
import TransportSecurity

/// The first handler of a connection until its upgrade: bounds the bytes and the time a client may spend before
/// the upgrade completes (slowloris), and keeps the count of handshakes in progress.
final class HandshakeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let core: OCPPServerCore
    private let remote: String
    private var received = 0
    private var timeout: Scheduled<Void>?
    private var channel: Channel?
    private var finished = false

    init(core: OCPPServerCore, remote: String) {
        self.core = core
        self.remote = remote
    }

    /// The most bytes before the upgrade: a request head at its limit twice over (a body has no business here).
    private var limit: Int { 2 * core.configuration.maximumRequestHeadBytes }

    func handlerAdded(context: ChannelHandlerContext) {
        let core = core
        let remote = remote
        let channel = context.channel
        self.channel = channel
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(core.configuration.handshakeTimeout)) {
            core.handshakeTimedOut(remote: remote)
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += unwrapInboundIn(data).readableBytes
        guard received <= limit else {
            if !finished { core.refused(.badRequest("Request too large"), remote: remote, identity: nil) }
            finish()
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The TLS handler closes after a failed handshake; counting it is ours, once per connection.
        if let reason = TLSServer.failureReason(error), !finished {
            core.tlsFailed(remote: remote, reason: reason)
            finish()
            context.close(promise: nil)
            return
        }
        context.fireErrorCaught(error)
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        timeout?.cancel()
        timeout = nil
        if let channel { core.endHandshake(channel) }
        channel = nil
    }
}

/// The last handler until the upgrade: carries the admission result from the upgrader's callbacks, and answers
/// every request that is not upgraded with a plain-text HTTP refusal, then closes.
final class HandshakeResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let core: OCPPServerCore
    let remote: String
    /// Whether the connection came in on a TLS listener.
    let isTLS: Bool
    /// Set by the upgrader's admission callback when the request was admitted.
    var admitted: OCPPServerCore.Admitted?
    /// Set by the upgrader's admission callback when the request was refused.
    var refusal: HandshakeRefusal?
    /// The identity the refused request named, for the log line.
    var identity: String?
    /// Set once the upgrade completed, so that leaving the pipeline keeps the registry's place.
    var upgraded = false
    private var invalidWebSocketHeaders = false
    private var responded = false

    init(core: OCPPServerCore, remote: String, isTLS: Bool) {
        self.core = core
        self.remote = remote
        self.isTLS = isTLS
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let admitted, !upgraded {
            core.release(admitted)
            self.admitted = nil
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Answer at the end of the request so the HTTP pipeline handler sees a complete exchange.
        guard case .end = unwrapInboundIn(data), !responded else { return }
        responded = true
        let refusal = refusal ?? .badRequest(invalidWebSocketHeaders
            ? "Invalid WebSocket upgrade: Sec-WebSocket-Key and Sec-WebSocket-Version: 13 are required"
            : "This endpoint accepts only WebSocket upgrades (OCPP-J)")
        core.refused(refusal, remote: remote, identity: identity)
        respond(refusal, context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let upgradeError as NIOWebSocketUpgradeError where upgradeError == .invalidUpgradeHeader:
            invalidWebSocketHeaders = true
        case is HTTPParserError:
            // The protocol error handler already answered 400; counting and closing are left to us.
            if !responded {
                responded = true
                core.refused(.badRequest("Malformed HTTP request: \(error)"), remote: remote, identity: nil)
            }
            context.close(promise: nil)
        default:
            // The upgrader reports a refused target as an error; the refusal itself is answered at `.end`.
            break
        }
    }

    private func respond(_ refusal: HandshakeRefusal, context: ChannelHandlerContext) {
        let body = refusal.body + "\n"
        var headers = HTTPHeaders([
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "\(body.utf8.count)"),
            ("Connection", "close"),
        ])
        switch refusal {
        case .unauthorized:
            headers.add(name: "WWW-Authenticate", value: "Basic realm=\"\(core.configuration.authenticationRealm)\"")
        case .limit:
            headers.add(name: "Retry-After", value: "30")
        default:
            break
        }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: refusal.status, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
