import NIOCore
import NIOEmbedded
import Testing
@testable import OCPP

/// Holds every write without completing it, like a socket whose peer stopped reading.
private final class StalledSocket: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny
    var held = 0

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        held += 1
    }
}

@Suite("WebSocket connection lifecycle")
struct WebSocketLifecycleTests {
    @Test("a lost TCP connection is reported once as connectionLost")
    func connectionLost() throws {
        let (server, channel) = try wsUpgraded()
        try channel.close().wait()
        #expect(server.delegate.disconnects == [.connectionLost])
        #expect(server.server.core.status().connections.isEmpty)
    }

    @Test("a second connection of the same identity replaces the first: its disconnected comes before the new connected")
    func replacement() throws {
        let (server, old) = try wsUpgraded()
        let new = try server.connect()
        #expect(try new.wsHandshake(wsUpgradeRequest())?.status == 101)
        let closing = try wsFrames(old)
        #expect(closing.first?.closeCode == 1000)
        #expect(closing.first.map { String(decoding: $0.payload.dropFirst(2), as: UTF8.self) } == "replaced")
        #expect(server.delegate.events == [.connected("CP001", 1), .disconnected("CP001", 1, .replaced),
                                           .connected("CP001", 2)])
        #expect(server.counters.replaced == 1)
        // The stale connection's late messages go nowhere; the new one's arrive.
        try old.wsFeed(wsTextFrame("stale"))
        try new.wsFeed(wsTextFrame("fresh"))
        #expect(server.delegate.messages == ["fresh"])
        try old.wsFeed(wsClientFrame(0x8, [0x03, 0xE8]))
        #expect(!old.isActive)
        #expect(server.server.core.status().connections.map(\.identity) == ["CP001"])
        #expect(server.server.core.connection(for: "CP001")?.id == 2)
    }

    @Test("a socket that stops taking bytes closes the connection as a slow consumer instead of buffering")
    func slowConsumer() throws {
        let (server, channel) = try wsUpgraded(.init(maximumPendingOutboundBytes: 100, pingInterval: nil))
        let stall = StalledSocket()
        try channel.pipeline.syncOperations.addHandler(stall, position: .first)
        let connection = try #require(server.delegate.connections.first)
        connection.send(text: String(repeating: "a", count: 80))
        channel.isWritable = false
        connection.send(text: String(repeating: "b", count: 15))
        #expect(channel.isActive)
        connection.send(text: String(repeating: "c", count: 10))
        #expect(!channel.isActive)
        #expect(server.counters.slowConsumers == 1)
        #expect(server.delegate.disconnects == [.slowConsumer])
        #expect(stall.held >= 2)
    }

    @Test("frames sent right behind the upgrade request are delivered after connected")
    func framesBehindTheRequest() throws {
        let server = WSEmbeddedServer(.init(pingInterval: nil))
        let channel = try server.connect()
        try channel.wsFeed(Array(wsUpgradeRequest().utf8) + wsTextFrame("early") + wsTextFrame("bird"))
        #expect(WSRawResponse(try channel.wsDrain())?.status == 101)
        #expect(server.delegate.events == [.connected("CP001", 1), .received("early", "CP001"),
                                           .received("bird", "CP001")])
    }

    @Test("shutdown closes chargers with 1001 and handshakes outright, and refuses new connections")
    func shutdown() throws {
        let (server, charger) = try wsUpgraded()
        let handshaking = try server.connect()
        try handshaking.wsFeed("GET /ocpp/CP002 HTTP/1.1\r\n")
        server.server.core.closeAll()
        #expect(try wsFrames(charger).first?.closeCode == 1001)
        #expect(server.delegate.disconnects == [.serverShutdown])
        #expect(!handshaking.isActive)
        #expect(throws: OCPPServerError.connectionRefused) { _ = try server.connect() }
        try charger.wsFeed(wsClientFrame(0x8, [0x03, 0xE9]))
        #expect(!charger.isActive)
        #expect(server.server.core.status().pendingHandshakes == 0)
    }
}
