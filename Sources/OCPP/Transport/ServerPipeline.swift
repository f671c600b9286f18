import GatewaySupport
import NIOCore
import NIOHTTP1
import NIOWebSocket
import TransportSecurity

/// Why a connection could not be set up.
public enum OCPPServerError: Error, Hashable, Sendable {
    /// A connection was closed on accept (too many handshakes in progress); counted under `refused.limit`.
    case connectionRefused
    /// The upgrade completed for a request that had not been admitted.
    case upgradeWithoutAdmission
    /// The listening socket has no local address.
    case notBound
}

extension OCPPServerCore {
    /// Builds the pipeline of a new connection: TLS (on a `wss://` listener), the handshake guard, HTTP with the
    /// WebSocket upgrader, and the responder for refusals. Runs on the connection's event loop.
    func configure(_ channel: Channel, tls: TLSServer?) throws {
        let remote = channel.remoteAddress?.hostAndPort ?? "unknown"
        guard beginHandshake(channel, remote: remote) else { throw OCPPServerError.connectionRefused }
        let pipeline = channel.pipeline.syncOperations
        do {
            try tls?.secure(channel)
            try pipeline.addHandler(HandshakeGuard(core: self, remote: remote))
        } catch {
            // The guard would have ended the handshake when it left the pipeline; it never got there.
            endHandshake(channel)
            throw error
        }
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = configuration.maximumRequestHeadBytes
        limits.maxHeaderListSize = configuration.maximumRequestHeadBytes
        limits.maxHeaderFieldCount = 100
        try pipeline.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: [makeUpgrader()], completionHandler: { _ in }),
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
        try pipeline.addHandler(HandshakeResponder(core: self, remote: remote, isTLS: tls != nil))
    }

    private func makeUpgrader() -> NIOWebSocketServerUpgrader {
        // A frame can never be longer than a message; control frames (125 bytes) must always fit.
        let frameLimit = min(max(configuration.maximumMessageSize, 125), Int(UInt32.max))
        return NIOWebSocketServerUpgrader(
            maxFrameSize: frameLimit, automaticErrorHandling: false,
            shouldUpgrade: { [self] channel, head in shouldUpgrade(channel, head) },
            upgradePipelineHandler: { [self] channel, _ in completeUpgrade(channel) })
    }

    /// The upgrader's admission callback: negotiates, asks the delegate, and either holds the identity's place
    /// and names the subprotocol, or leaves the refusal for the responder to answer.
    private func shouldUpgrade(_ channel: Channel, _ head: HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?> {
        guard let responder = try? channel.pipeline.syncOperations.handler(type: HandshakeResponder.self) else {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        // The TLS handshake is over before any HTTP arrives, so the client's certificate is known by now.
        let certificate = responder.isTLS ? TLSServer.peerCertificate(of: channel) : nil
        switch evaluate(head, remote: responder.remote, isTLS: responder.isTLS, clientCertificate: certificate) {
        case let .success(admitted):
            responder.admitted = admitted
            var headers = HTTPHeaders()
            if let echo = admitted.negotiated.echoedProtocol {
                headers.add(name: "Sec-WebSocket-Protocol", value: echo)
            }
            return channel.eventLoop.makeSucceededFuture(headers)
        case let .failure(refusal):
            responder.refusal = refusal
            responder.identity = try? HandshakeNegotiation.identity(
                fromURI: head.uri, maximumLength: configuration.maximumIdentityLength)
            return channel.eventLoop.makeSucceededFuture(nil)
        }
    }

    /// The 101 went out: swap the handshake handlers for the connection handler and announce the charger.
    private func completeUpgrade(_ channel: Channel) -> EventLoopFuture<Void> {
        let pipeline = channel.pipeline.syncOperations
        guard let responder = try? pipeline.handler(type: HandshakeResponder.self),
              let admitted = responder.admitted else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(OCPPServerError.upgradeWithoutAdmission)
        }
        let connection = ChargerConnection(
            id: admitted.id, identity: admitted.negotiated.identity, version: admitted.negotiated.version,
            remoteAddress: admitted.remoteAddress, isTLS: admitted.isTLS, core: self)
        let handler = WebSocketConnectionHandler(connection: connection, core: self)
        do {
            try pipeline.addHandler(handler)
        } catch {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(error)
        }
        responder.upgraded = true
        pipeline.removeHandler(responder, promise: nil)
        if let guardHandler = try? pipeline.handler(type: HandshakeGuard.self) {
            pipeline.removeHandler(guardHandler, promise: nil)
        }
        opened(handler)
        return channel.eventLoop.makeSucceededVoidFuture()
    }
}
