import Admin
import Logging
import NIOCore
import NIOPosix

/// A backend with fixed answers; `readyDelay` holds /ready back to show that pipelined answers keep their order.
struct FakeBackend: AdminBackend {
    var readyDelay: Duration = .zero

    func ready() async -> AdminResponse {
        if readyDelay > .zero { try? await Task.sleep(for: readyDelay) }
        return .json(#"{"ready":true}"#)
    }

    func points() async -> AdminResponse { .text("M_ME_NC_1 1001 7.5\n") }

    func reload() async -> AdminResponse { .json(#"{"reloaded":true}"#, status: 202) }

    func metrics() async -> AdminResponse { PrometheusMetrics.bootstrap().response() }
}

/// One parsed HTTP response.
struct RawResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// What a client connection saw.
struct Exchange {
    var responses: [RawResponse]
    /// The server closed (or reset) the connection.
    var closed: Bool
    var elapsed: Duration
}

enum ClientError: Error {
    case timedOut
}

/// Runs `body` against a started server on 127.0.0.1, port 0, and shuts it down afterwards.
func withServer(bearerToken: String? = nil, limits: AdminServerLimits = .init(),
                backend: any AdminBackend = FakeBackend(),
                _ body: (_ port: Int, _ server: AdminServer) async throws -> Void) async throws {
    let server = AdminServer(host: "127.0.0.1", port: 0, backend: backend, bearerToken: bearerToken,
                             logger: Logger(label: "admin-tests"), limits: limits)
    let address = try await server.start()
    let port = address.split(separator: ":").last.flatMap { Int($0) } ?? 0
    do {
        try await body(port, server)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}

/// A raw HTTP client over a real socket: writes `chunks`, then reads until `count` responses have arrived
/// (and, with `untilClosed`, until the server closes). Fails with `timedOut` after `timeout`.
/// `headResponses` are the indexes of responses to HEAD requests, which carry no body.
func exchange(port: Int, _ chunks: [String], count: Int, untilClosed: Bool = false, halfClose: Bool = false,
              headResponses: Set<Int> = [], timeout: Duration = .seconds(5)) async throws -> Exchange {
    try await exchangeBytes(port: port, chunks.map { Array($0.utf8) }, count: count, untilClosed: untilClosed,
                            halfClose: halfClose, headResponses: headResponses, timeout: timeout)
}

/// `exchange` with raw byte chunks.
func exchangeBytes(port: Int, _ chunks: [[UInt8]], count: Int, untilClosed: Bool = false, halfClose: Bool = false,
                   headResponses: Set<Int> = [], timeout: Duration = .seconds(5)) async throws -> Exchange {
    try await withThrowingTaskGroup(of: Exchange?.self) { group in
        group.addTask {
            try await converse(port: port, chunks, count: count, untilClosed: untilClosed, halfClose: halfClose,
                               headResponses: headResponses)
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else { throw ClientError.timedOut }
        return result
    }
}

private func converse(port: Int, _ chunks: [[UInt8]], count: Int, untilClosed: Bool, halfClose: Bool,
                      headResponses: Set<Int>) async throws -> Exchange {
    let start = ContinuousClock.now
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelOption(.allowRemoteHalfClosure, value: true)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        for chunk in chunks { try await outbound.write(ByteBuffer(bytes: chunk)) }
        if halfClose { outbound.finish() }
        var received: [UInt8] = []
        var responses: [RawResponse] = []
        var closed = false
        var iterator = inbound.makeAsyncIterator()
        while untilClosed || responses.count < count {
            let next: ByteBuffer?
            do {
                next = try await iterator.next()
            } catch {
                // A reset is a close as far as these tests go.
                next = nil
            }
            guard let buffer = next else {
                closed = true
                break
            }
            received += Array(buffer.readableBytesView)
            responses = parseResponses(received, headResponses: headResponses)
        }
        try Task.checkCancellation()
        return Exchange(responses: responses, closed: closed, elapsed: ContinuousClock.now - start)
    }
}

/// Parses as many complete responses as `bytes` holds (Content-Length framing only, as the server sends).
func parseResponses(_ bytes: [UInt8], headResponses: Set<Int> = []) -> [RawResponse] {
    var responses: [RawResponse] = []
    var index = 0
    let separator: [UInt8] = Array("\r\n\r\n".utf8)
    while index < bytes.count {
        guard let headEnd = firstIndex(of: separator, in: bytes, from: index) else { break }
        let headText = String(decoding: bytes[index..<headEnd], as: UTF8.self)
        // "\r\n" is a single Character in Swift, so this splits lines.
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst()
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? -1
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        let declared = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        let length = headResponses.contains(responses.count) ? 0 : declared
        let bodyStart = headEnd + separator.count
        guard bytes.count >= bodyStart + length else { break }
        responses.append(RawResponse(status: status, headers: headers,
                                     body: String(decoding: bytes[bodyStart..<bodyStart + length], as: UTF8.self)))
        index = bodyStart + length
    }
    return responses
}

private func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
    guard bytes.count >= pattern.count else { return nil }
    var index = start
    while index + pattern.count <= bytes.count {
        if bytes[index..<index + pattern.count].elementsEqual(pattern) { return index }
        index += 1
    }
    return nil
}

/// A GET request to `target` with the headers given, keep-alive by default.
func request(_ target: String, headers: [String] = [], body: String = "") -> String {
    request("GET", target, headers: headers, body: body)
}

/// A `method` request to `target` with the headers and body given, keep-alive by default.
func request(_ method: String, _ target: String, headers: [String] = [], body: String = "") -> String {
    var lines = ["\(method) \(target) HTTP/1.1", "Host: 127.0.0.1"] + headers
    if !body.isEmpty { lines.append("Content-Length: \(body.utf8.count)") }
    return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
}

/// A client connection for tests that hold several open at once.
func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
}

/// Sends `text` and reads one response from `responses`; nil when the server closed first.
func roundTrip(_ text: String, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
               _ responses: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws -> RawResponse? {
    try await outbound.write(ByteBuffer(string: text))
    var received: [UInt8] = []
    while let buffer = try await responses.next() {
        received += Array(buffer.readableBytesView)
        if let response = parseResponses(received).first { return response }
    }
    return nil
}

/// Sends `text` one byte per `interval` until the server closes; returns how long that took, or nil if the whole
/// text went out and the server still had not closed 5 s later.
func trickleUntilClosed(port: Int, _ text: String, every interval: Duration) async throws -> Duration? {
    let start = ContinuousClock.now
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port).get()
    defer { channel.close(promise: nil) }
    for byte in text.utf8 {
        guard channel.isActive else { return ContinuousClock.now - start }
        // A write racing the server's close may fail; the close is what this measures.
        try? await channel.writeAndFlush(ByteBuffer(bytes: [byte]))
        try await Task.sleep(for: interval)
    }
    let deadline = ContinuousClock.now + .seconds(5)
    while channel.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    return channel.isActive ? nil : ContinuousClock.now - start
}
