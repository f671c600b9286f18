import NIOCore
import NIOHTTP1

/// Answers the requests of one connection, one at a time and in order.
///
/// `HTTPServerPipelineHandler` in front holds back pipelined requests (and parser errors) until the previous
/// response has ended, so this handler only ever has one request in hand. A request is answered once it is
/// complete (its body, which no route uses, is counted against the limit and dropped), or early with 413.
final class AdminConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let core: AdminServerCore
    private let deadline: RequestDeadline
    private let remote: String
    /// The request being received, with its body bytes so far.
    private var receiving: (head: HTTPRequestHead, bodyBytes: Int)?
    /// A backend call is in flight; its answer is the next thing written.
    private var awaitingBackend = false
    /// The client shut its sending side: answer what was asked, then close.
    private var inputClosed = false
    /// The last response has been written (or the connection is going away): read and answer nothing more.
    private var closing = false
    private var active = true

    init(core: AdminServerCore, deadline: RequestDeadline, remote: String) {
        self.core = core
        self.deadline = deadline
        self.remote = remote
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        active = false
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case let .head(head):
            receiving = (head, 0)
            // Refuse a declared oversize body before it is sent rather than after reading it.
            if let declared = head.headers["Content-Length"].first.flatMap({ Int($0) }),
               declared > core.limits.maximumBodyBytes {
                refuseOversizedBody(head, context: context)
            }
        case let .body(buffer):
            guard let request = receiving else { return }
            let bodyBytes = request.bodyBytes + buffer.readableBytes
            receiving = (request.head, bodyBytes)
            if bodyBytes > core.limits.maximumBodyBytes {
                refuseOversizedBody(request.head, context: context)
            }
        case .end:
            guard let request = receiving else { return }
            receiving = nil
            deadline.requestComplete()
            answer(request.head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        inputClosed = true
        // Nothing in hand means nothing more can come: close now; otherwise after the answer.
        if receiving == nil, !awaitingBackend { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            core.logger.debug("Admin connection from \(remote) failed: \(error)")
            context.close(promise: nil)
            return
        }
        // Garbage, or a head over its limit. The pipeline handler delivers this only when no response is in
        // progress, so the 400 can go out at once; the decoder reads nothing more, so the connection must end.
        guard !closing else { return }
        receiving = nil
        core.refused(.malformedRequest, remote: remote)
        respond(.error("bad request", status: 400), route: nil, version: .http1_1, keepAlive: false,
                headOnly: false, context: context)
    }

    // MARK: - Answering

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive && !inputClosed
        switch AdminRouting(method: head.method, target: head.uri) {
        case .notFound:
            respond(.error("not found", status: 404), route: nil, version: head.version, keepAlive: keepAlive,
                    headOnly: head.method == .HEAD, context: context)
        case let .methodNotAllowed(route):
            respond(.error("method not allowed", status: 405), route: route, version: head.version,
                    keepAlive: keepAlive, headOnly: head.method == .HEAD, extraHeaders: [("Allow", route.allowed)],
                    context: context)
        case let .route(route, headOnly):
            guard core.isAuthorized(route, headers: head.headers) else {
                respond(.error("unauthorized", status: 401), route: route, version: head.version,
                        keepAlive: keepAlive, headOnly: headOnly, extraHeaders: [("WWW-Authenticate", "Bearer")],
                        context: context)
                return
            }
            guard route != .health else {
                respond(.json(#"{"status":"live"}"#), route: route, version: head.version, keepAlive: keepAlive,
                        headOnly: headOnly, context: context)
                return
            }
            awaitingBackend = true
            let backend = core.backend
            context.eventLoop.makeFutureWithTask { await Self.call(route, on: backend) }
                .assumeIsolated()
                .whenComplete { [self] result in
                    awaitingBackend = false
                    // The client may have gone while the backend worked; its context is no longer ours to use.
                    guard active else { return }
                    let response = (try? result.get()) ?? .error("internal error", status: 500)
                    respond(response, route: route, version: head.version, keepAlive: keepAlive && !inputClosed,
                            headOnly: headOnly, context: context)
                }
        }
    }

    private static func call(_ route: AdminRoute, on backend: any AdminBackend) async -> AdminResponse {
        switch route {
        case .ready: await backend.ready()
        case .points: await backend.points()
        case .reload: await backend.reload()
        case .metrics: await backend.metrics()
        case .health: .json(#"{"status":"live"}"#)
        }
    }

    private func refuseOversizedBody(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        receiving = nil
        core.refused(.bodyTooLarge, remote: remote)
        // Closing rather than draining: reading a body we do not want is exactly the cost the limit avoids.
        respond(.error("request body too large", status: 413), route: AdminRoute(target: head.uri),
                version: head.version, keepAlive: false, headOnly: false, context: context)
    }

    /// Writes one response; on keep-alive the next request's deadline starts, otherwise the connection closes
    /// once the response is out.
    private func respond(_ response: AdminResponse, route: AdminRoute?, version: HTTPVersion, keepAlive: Bool,
                         headOnly: Bool, extraHeaders: [(String, String)] = [], context: ChannelHandlerContext) {
        // 1xx and 204/304 cannot carry the Content-Length framing every answer here has.
        let code = (200...599).contains(response.status) && response.status != 204 && response.status != 304
            ? response.status : 500
        AdminMetrics.requestAnswered(route, status: code)
        var headers = HTTPHeaders([
            ("Content-Type", response.contentType), ("Content-Length", String(response.body.count)),
            ("Cache-Control", "no-store"),
        ])
        headers.add(contentsOf: extraHeaders)
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if version.major == 1, version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        let responseHead = HTTPResponseHead(version: version.major == 1 && version.minor == 0 ? .http1_0 : .http1_1,
                                            status: HTTPResponseStatus(statusCode: code), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if !headOnly, !response.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        guard keepAlive else {
            closing = true
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        // Before the end goes out: writing it may hand us the next pipelined request at once, which must find
        // the deadline already running so that its completion can cancel it.
        deadline.awaitRequest()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
