import NIOCore
import NIOWebSocket

/// The WebSocket state of one upgraded connection (RFC 6455 as OCPP-J uses it): message reassembly, the close
/// handshake and ping liveness. A value type without I/O; the channel handler performs its actions.
struct WebSocketSession {
    /// Where the connection is in its life.
    enum Phase: Hashable {
        /// Messages flow.
        case open
        /// The server sent a close frame and waits for the charger's.
        case closing
        /// Nothing flows any more; the TCP connection is ending.
        case closed
    }

    /// What the handler must do.
    enum Action: Equatable {
        /// Hand a complete text message to the application.
        case deliver(String)
        /// Write one frame (pong, ping or close) to the charger.
        case write(WebSocketOpcode, ByteBuffer)
        /// The connection stopped carrying messages; tell the application once.
        case ended(DisconnectReason)
        /// End the TCP connection once the writes before this action have gone out.
        case closeAfterWrites
        /// End the TCP connection now, dropping whatever waits to be written.
        case closeNow
        /// Wait (bounded) for the charger's close frame.
        case awaitPeerClose
    }

    /// The longest message, all fragments together.
    let maximumMessageSize: Int
    private(set) var phase = Phase.open
    /// The fragments of a text message still waiting for its final frame.
    private var fragments: ByteBuffer?
    /// Whether any frame arrived since the last ping went out.
    private(set) var heardSincePing = true
    /// Whether a ping waits for its deadline.
    private(set) var pingOutstanding = false

    init(maximumMessageSize: Int) {
        self.maximumMessageSize = maximumMessageSize
    }

    // MARK: - Inbound

    /// One frame from the charger.
    mutating func receive(_ frame: WebSocketFrame) -> [Action] {
        heardSincePing = true
        switch phase {
        case .closed:
            return []
        case .closing:
            // After our close frame only the charger's close matters (RFC 6455 §5.5.1).
            guard frame.opcode == .connectionClose else { return [] }
            phase = .closed
            return [.closeAfterWrites]
        case .open:
            break
        }
        // Clients must mask every frame; an unmasked one is not from a conforming client (RFC 6455 §5.1).
        guard frame.maskKey != nil else { return fail(.protocolViolation("unmasked frame")) }
        // No extension is ever negotiated, so reserved bits have no meaning here.
        guard !frame.rsv1, !frame.rsv2, !frame.rsv3 else { return fail(.protocolViolation("reserved bits set")) }
        let payload = frame.unmaskedData
        switch frame.opcode {
        case .ping:
            return [.write(.pong, payload)]
        case .pong:
            return []
        case .connectionClose:
            return peerClosed(payload)
        case .text:
            guard fragments == nil else { return fail(.protocolViolation("new message inside a fragmented one")) }
            guard payload.readableBytes <= maximumMessageSize else { return fail(.messageTooLarge) }
            if frame.fin { return complete(payload) }
            fragments = payload
            return []
        case .binary:
            return fail(.binaryFrame)
        case .continuation:
            guard var buffered = fragments else { return fail(.protocolViolation("continuation without a message")) }
            guard buffered.readableBytes + payload.readableBytes <= maximumMessageSize else {
                return fail(.messageTooLarge)
            }
            fragments = nil
            buffered.writeImmutableBuffer(payload)
            if frame.fin { return complete(buffered) }
            fragments = buffered
            return []
        default:
            return fail(.protocolViolation("unknown opcode \(frame.opcode)"))
        }
    }

    /// The TCP connection ended.
    mutating func transportClosed() -> [Action] {
        defer { phase = .closed }
        return phase == .open ? [.ended(.connectionLost)] : []
    }

    private mutating func complete(_ message: ByteBuffer) -> [Action] {
        guard let text = String(validating: message.readableBytesView, as: UTF8.self) else {
            return fail(.invalidUTF8)
        }
        return [.deliver(text)]
    }

    private mutating func peerClosed(_ payload: ByteBuffer) -> [Action] {
        var payload = payload
        var code: UInt16?
        if payload.readableBytes >= 2 {
            code = payload.readInteger(as: UInt16.self)
        } else if payload.readableBytes == 1 {
            return fail(.protocolViolation("one-byte close payload"))
        }
        if let code, !Self.isValidCloseCode(code) {
            return fail(.protocolViolation("close code \(code)"))
        }
        guard let reason = String(validating: payload.readableBytesView, as: UTF8.self) else {
            return fail(.invalidUTF8)
        }
        phase = .closed
        // Echo the charger's code (RFC 6455 §5.5.1), then end TCP: the server closes first (§7.1.1).
        return [.write(.connectionClose, Self.closePayload(code: code, reason: "")),
                .ended(.chargerClosed(code: code, reason: reason)), .closeAfterWrites]
    }

    // MARK: - Closing

    /// Fails the connection: a close frame with the reason's code (except for a slow consumer, whose socket would
    /// not take it), then the end of TCP without waiting for an answer.
    mutating func fail(_ reason: DisconnectReason) -> [Action] {
        guard phase == .open else { return [] }
        phase = .closed
        fragments = nil
        guard let (code, text) = Self.closeFrame(for: reason) else { return [.ended(reason), .closeNow] }
        return [.write(.connectionClose, Self.closePayload(code: code, reason: text)), .ended(reason), .closeAfterWrites]
    }

    /// Starts the close handshake: the connection stops carrying messages now, TCP ends when the charger answers.
    mutating func close(code: UInt16, reason: String, as disconnectReason: DisconnectReason) -> [Action] {
        guard phase == .open else { return [] }
        phase = .closing
        fragments = nil
        return [.write(.connectionClose, Self.closePayload(code: code, reason: reason)), .ended(disconnectReason),
                .awaitPeerClose]
    }

    // MARK: - Liveness

    /// The ping interval elapsed: send a ping unless one is still outstanding.
    mutating func pingDue() -> [Action] {
        guard phase == .open, !pingOutstanding else { return [] }
        pingOutstanding = true
        heardSincePing = false
        return [.write(.ping, ByteBuffer(string: "ocpp809"))]
    }

    /// The ping's deadline passed: fail the connection unless some frame arrived meanwhile.
    mutating func pingDeadlinePassed() -> [Action] {
        guard pingOutstanding else { return [] }
        pingOutstanding = false
        return heardSincePing ? [] : fail(.pingTimeout)
    }

    // MARK: - Close frames

    /// The close code and text a failure is announced with; nil when no close frame is sent.
    static func closeFrame(for reason: DisconnectReason) -> (UInt16, String)? {
        switch reason {
        case .messageTooLarge: (1009, "message too large")
        case .invalidUTF8: (1007, "invalid UTF-8")
        case .binaryFrame: (1003, "binary frames are not used by OCPP")
        case let .protocolViolation(text): (1002, text)
        case .pingTimeout: (1011, "ping timeout")
        case .replaced: (1000, "replaced")
        case .serverShutdown: (1001, "server shutdown")
        case let .serverClosed(code, text): (code, text)
        case .slowConsumer, .connectionLost, .chargerClosed: nil
        }
    }

    /// A close frame's payload: the code, then the reason cut to fit the 125-byte control-frame limit.
    static func closePayload(code: UInt16?, reason: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        guard let code else { return buffer }
        buffer.writeInteger(code)
        var cut = Substring(reason)
        while cut.utf8.count > 123 { cut = cut.dropLast() }
        buffer.writeString(String(cut))
        return buffer
    }

    /// Codes a peer may send (RFC 6455 §7.4): the defined ones and the registered/private ranges.
    static func isValidCloseCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
