import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import OCPP

/// What the delegate saw, in order.
enum WSEvent: Hashable, Sendable {
    case connected(String, UInt64)
    case received(String, String)
    case disconnected(String, UInt64, DisconnectReason)
}

/// A delegate that records every call; optionally answers each message with `echo: <text>`.
final class WSRecordingDelegate: OCPPConnectionDelegate {
    private let box = NIOLockedValueBox<[WSEvent]>([])
    private let connectionsBox = NIOLockedValueBox<[ChargerConnection]>([])
    let echo: Bool

    init(echo: Bool = false) { self.echo = echo }

    var events: [WSEvent] { box.withLockedValue { $0 } }
    var connections: [ChargerConnection] { connectionsBox.withLockedValue { $0 } }
    var messages: [String] {
        events.compactMap { if case let .received(text, _) = $0 { text } else { nil } }
    }
    var disconnects: [DisconnectReason] {
        events.compactMap { if case let .disconnected(_, _, reason) = $0 { reason } else { nil } }
    }

    func connected(_ connection: ChargerConnection) {
        connectionsBox.withLockedValue { $0.append(connection) }
        box.withLockedValue { $0.append(.connected(connection.identity, connection.id)) }
    }

    func received(text: String, from connection: ChargerConnection) {
        box.withLockedValue { $0.append(.received(text, connection.identity)) }
        if echo { connection.send(text: "echo: \(text)") }
    }

    func disconnected(_ connection: ChargerConnection, reason: DisconnectReason) {
        box.withLockedValue { $0.append(.disconnected(connection.identity, connection.id, reason)) }
    }
}

/// A server on an `EmbeddedEventLoop` whose connections are `EmbeddedChannel`s fed by hand.
struct WSEmbeddedServer {
    let loop = EmbeddedEventLoop()
    let delegate: WSRecordingDelegate
    let server: OCPPWebSocketServer
    private static let port = NIOLockedValueBox(40000)

    init(_ configuration: OCPPServerConfiguration = .init(), delegate: WSRecordingDelegate = .init(),
         admission: @escaping AdmissionHandler = { _ in .accept }) {
        self.delegate = delegate
        var configuration = configuration
        // Refusals are the point of most tests: keep their warnings out of the test output unless a test listens.
        if configuration.logger.label == OCPPServerConfiguration().logger.label {
            configuration.logger.logLevel = .critical
        }
        server = OCPPWebSocketServer(configuration: configuration, group: loop, delegate: delegate, admission: admission)
    }

    /// A new TCP connection from 127.0.0.1 with the server's pipeline.
    func connect() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        let port = Self.port.withLockedValue { port in
            defer { port += 1 }
            return port
        }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: port)).wait()
        try server.core.configure(channel, tls: nil)
        return channel
    }

    /// The counters, read on the (embedded) loop.
    var counters: OCPPServerCounters { server.core.status().counters }
}

/// A server with one upgraded connection of CP001, without pings unless configured.
func wsUpgraded(_ configuration: OCPPServerConfiguration = .init(pingInterval: nil),
                echo: Bool = false) throws -> (WSEmbeddedServer, EmbeddedChannel) {
    let server = WSEmbeddedServer(configuration, delegate: WSRecordingDelegate(echo: echo))
    let channel = try server.connect()
    let response = try #require(try channel.wsHandshake(wsUpgradeRequest()))
    try #require(response.status == 101)
    return (server, channel)
}

/// The frames the server wrote since the last call.
func wsFrames(_ channel: EmbeddedChannel) throws -> [WSServerFrame] {
    try #require(wsServerFrames(try channel.wsDrain()))
}

/// The raw bytes of an upgrade request.
func wsUpgradeRequest(path: String = "/ocpp/CP001", protocols: String? = "ocpp1.6",
                    authorization: String? = nil, webSocketKey: String? = "dGhlIHNhbXBsZSBub25jZQ==") -> String {
    var lines = ["GET \(path) HTTP/1.1", "Host: localhost", "Upgrade: websocket", "Connection: Upgrade",
                 "Sec-WebSocket-Version: 13"]
    if let webSocketKey { lines.append("Sec-WebSocket-Key: \(webSocketKey)") }
    if let protocols { lines.append("Sec-WebSocket-Protocol: \(protocols)") }
    if let authorization { lines.append("Authorization: \(authorization)") }
    return lines.joined(separator: "\r\n") + "\r\n\r\n"
}

/// A parsed HTTP response head with its body.
struct WSRawResponse {
    var status: Int
    var headers: [String: String]
    var body: String

    /// Parses the first response in `bytes` (headers lowercased by name).
    init?(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.firstRange(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
              let status = Int(statusLine.dropFirst(9).prefix(3)) else { return nil }
        self.status = status
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingBlanks().description
        }
        self.headers = headers
        body = String(text[split.upperBound...])
    }
}

extension EmbeddedChannel {
    /// Feeds raw bytes as if they arrived from the socket.
    func wsFeed(_ bytes: [UInt8]) throws {
        try writeInbound(ByteBuffer(bytes: bytes))
        // The upgrade completes through futures that the embedded loop runs only when asked.
        embeddedEventLoop.run()
    }

    /// Feeds a string's UTF-8 bytes.
    func wsFeed(_ text: String) throws {
        try wsFeed(Array(text.utf8))
    }

    /// Everything written to the socket since the last call.
    func wsDrain() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try readOutbound(as: ByteBuffer.self) { bytes += buffer.readableBytesView }
        return bytes
    }

    /// Sends the upgrade request and parses the answer.
    func wsHandshake(_ request: String) throws -> WSRawResponse? {
        try wsFeed(request)
        return WSRawResponse(try wsDrain())
    }
}

/// One client frame, masked unless told otherwise (RFC 6455 §5.2).
func wsClientFrame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true,
                 rsv1: Bool = false) -> [UInt8] {
    var bytes: [UInt8] = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode]
    let maskBit: UInt8 = masked ? 0x80 : 0
    switch payload.count {
    case 0...125:
        bytes.append(maskBit | UInt8(payload.count))
    case 126...0xFFFF:
        bytes.append(maskBit | 126)
        bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    default:
        bytes.append(maskBit | 127)
        bytes += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
    }
    guard masked else { return bytes + payload }
    let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
    bytes += mask
    bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    return bytes
}

/// A text frame from the client.
func wsTextFrame(_ text: String, fin: Bool = true) -> [UInt8] { wsClientFrame(0x1, Array(text.utf8), fin: fin) }

/// A frame the server sent.
struct WSServerFrame: Equatable {
    var fin: Bool
    var opcode: UInt8
    var payload: [UInt8]

    /// The payload as text.
    var text: String { String(decoding: payload, as: UTF8.self) }
    /// The code of a close frame.
    var closeCode: UInt16? { payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil }
}

/// Splits server bytes into frames; server frames are never masked.
func wsServerFrames(_ bytes: [UInt8]) -> [WSServerFrame]? {
    var frames: [WSServerFrame] = []
    var index = 0
    while index < bytes.count {
        guard index + 2 <= bytes.count, bytes[index + 1] & 0x80 == 0 else { return nil }
        var length = Int(bytes[index + 1] & 0x7F)
        var start = index + 2
        if length == 126 {
            guard start + 2 <= bytes.count else { return nil }
            length = Int(bytes[start]) << 8 | Int(bytes[start + 1])
            start += 2
        } else if length == 127 {
            guard start + 8 <= bytes.count else { return nil }
            length = bytes[start..<start + 8].reduce(0) { $0 << 8 | Int($1) }
            start += 8
        }
        guard start + length <= bytes.count else { return nil }
        frames.append(WSServerFrame(fin: bytes[index] & 0x80 != 0, opcode: bytes[index] & 0x0F,
                                  payload: Array(bytes[start..<start + length])))
        index = start + length
    }
    return frames
}
