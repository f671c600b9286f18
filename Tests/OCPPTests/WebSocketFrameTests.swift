import NIOCore
import NIOEmbedded
import Testing
@testable import OCPP

@Suite("WebSocket frames")
struct WebSocketFrameTests {
    @Test("text frames reach the delegate; sends go out as unmasked text frames")
    func textDelivered() throws {
        let (server, channel) = try wsUpgraded(echo: true)
        try channel.wsFeed(wsTextFrame("[2,\"1\",\"Heartbeat\",{}]"))
        try channel.wsFeed(wsTextFrame(String(repeating: "x", count: 300)))
        #expect(server.delegate.messages == ["[2,\"1\",\"Heartbeat\",{}]", String(repeating: "x", count: 300)])
        let sent = try wsFrames(channel)
        #expect(sent.map(\.opcode) == [0x1, 0x1])
        #expect(sent.first?.text == "echo: [2,\"1\",\"Heartbeat\",{}]")
        #expect(server.counters.messagesReceived == 2)
        #expect(server.counters.messagesSent == 2)
        #expect(server.delegate.events.first == .connected("CP001", 1))
    }

    @Test("fragmented messages are reassembled, with control frames between fragments")
    func fragments() throws {
        let (server, channel) = try wsUpgraded()
        let euro = Array("€".utf8)
        try channel.wsFeed(wsClientFrame(0x1, Array("price ".utf8) + euro[0..<1], fin: false))
        try channel.wsFeed(wsClientFrame(0x9, Array("p".utf8)))
        try channel.wsFeed(wsClientFrame(0x0, Array(euro[1...]), fin: false))
        #expect(server.delegate.messages.isEmpty)
        try channel.wsFeed(wsClientFrame(0x0, Array(" 12".utf8)))
        #expect(server.delegate.messages == ["price € 12"])
        #expect(try wsFrames(channel) == [WSServerFrame(fin: true, opcode: 0xA, payload: Array("p".utf8))])
    }

    @Test("a message over maximumMessageSize closes with 1009, in one frame or in fragments")
    func tooLarge() throws {
        let inputs: [[[UInt8]]] = [
            [wsTextFrame(String(repeating: "a", count: 17))],
            [wsTextFrame(String(repeating: "a", count: 10), fin: false), wsClientFrame(0x0, Array(repeating: 0x61, count: 10))],
        ]
        for input in inputs {
            let (server, channel) = try wsUpgraded(.init(maximumMessageSize: 16, pingInterval: nil))
            for bytes in input { try? channel.wsFeed(bytes) }
            #expect(try wsFrames(channel).last?.closeCode == 1009)
            #expect(!channel.isActive)
            #expect(server.counters.messagesTooLarge == 1)
            #expect(server.delegate.messages.isEmpty)
            #expect(server.delegate.disconnects == [.messageTooLarge])
        }
    }

    @Test("a binary frame closes with 1003")
    func binary() throws {
        let (server, channel) = try wsUpgraded()
        try channel.wsFeed(wsClientFrame(0x2, [1, 2, 3]))
        #expect(try wsFrames(channel).last?.closeCode == 1003)
        #expect(!channel.isActive)
        #expect(server.counters.binaryFrames == 1)
        #expect(server.delegate.disconnects == [.binaryFrame])
    }

    @Test("invalid UTF-8 in a text message closes with 1007")
    func invalidUTF8() throws {
        let (server, channel) = try wsUpgraded()
        try channel.wsFeed(wsClientFrame(0x1, [0x48, 0xC3, 0x28]))
        #expect(try wsFrames(channel).last?.closeCode == 1007)
        #expect(!channel.isActive)
        #expect(server.counters.invalidUTF8 == 1)
        #expect(server.delegate.messages.isEmpty)
    }

    @Test("framing violations close with 1002: unmasked frame, stray continuation, reserved bits")
    func protocolViolations() throws {
        let inputs = [wsClientFrame(0x1, Array("hi".utf8), masked: false), wsClientFrame(0x0, Array("hi".utf8)),
                      wsClientFrame(0x1, Array("hi".utf8), rsv1: true), wsClientFrame(0x9, [], fin: false)]
        for input in inputs {
            let (server, channel) = try wsUpgraded()
            try? channel.wsFeed(input)
            #expect(try wsFrames(channel).last?.closeCode == 1002)
            #expect(!channel.isActive)
            #expect(server.counters.protocolErrors == 1)
        }
    }

    @Test("a ping is answered with a pong carrying its payload")
    func pingPong() throws {
        let (_, channel) = try wsUpgraded()
        try channel.wsFeed(wsClientFrame(0x9, Array("are you there".utf8)))
        #expect(try wsFrames(channel) == [WSServerFrame(fin: true, opcode: 0xA, payload: Array("are you there".utf8))])
        #expect(channel.isActive)
    }

    @Test("a close from the charger is echoed, then the server ends TCP")
    func chargerCloses() throws {
        let (server, channel) = try wsUpgraded()
        try channel.wsFeed(wsClientFrame(0x8, [0x03, 0xE8] + Array("bye".utf8)))
        let sent = try wsFrames(channel)
        #expect(sent.map(\.opcode) == [0x8])
        #expect(sent.first?.closeCode == 1000)
        #expect(!channel.isActive)
        #expect(server.delegate.disconnects == [.chargerClosed(code: 1000, reason: "bye")])
        #expect(server.server.core.status().connections.isEmpty)
    }

    @Test("a close from the server waits for the charger's close frame, or for closeTimeout")
    func serverCloses() throws {
        for answers in [true, false] {
            let (server, channel) = try wsUpgraded(.init(pingInterval: nil, closeTimeout: .seconds(5)))
            let connection = try #require(server.delegate.connections.first)
            connection.close(code: 4001, reason: "maintenance")
            #expect(try wsFrames(channel).first?.closeCode == 4001)
            #expect(server.delegate.disconnects == [.serverClosed(code: 4001, reason: "maintenance")])
            connection.send(text: "dropped after close")
            #expect(server.counters.sendsDropped == 1)
            try channel.wsFeed(wsTextFrame("ignored while closing"))
            #expect(try wsFrames(channel).isEmpty)
            #expect(server.delegate.messages.isEmpty)
            #expect(channel.isActive)
            if answers {
                try channel.wsFeed(wsClientFrame(0x8, [0x0F, 0xA1]))
            } else {
                server.loop.advanceTime(by: .seconds(6))
            }
            #expect(!channel.isActive)
        }
    }

    @Test("pings every pingInterval; no frame within pingTimeout closes the connection, counted")
    func pingTimeout() throws {
        let (server, channel) = try wsUpgraded(.init(pingInterval: .seconds(30), pingTimeout: .seconds(10)))
        server.loop.advanceTime(by: .seconds(30))
        #expect(try wsFrames(channel).map(\.opcode) == [0x9])
        // Any frame counts as a sign of life, here a pong.
        try channel.wsFeed(wsClientFrame(0xA, Array("ocpp809".utf8)))
        server.loop.advanceTime(by: .seconds(10))
        #expect(channel.isActive)
        server.loop.advanceTime(by: .seconds(20))
        #expect(try wsFrames(channel).map(\.opcode) == [0x9])
        server.loop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        server.loop.advanceTime(by: .seconds(1))
        #expect(try wsFrames(channel).last?.closeCode == 1011)
        #expect(!channel.isActive)
        #expect(server.counters.pingTimeouts == 1)
        #expect(server.delegate.disconnects == [.pingTimeout])
    }
}
