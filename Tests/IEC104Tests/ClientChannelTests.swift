import NIOCore
import NIOEmbedded
import Testing
@testable import IEC104

/// A wait that took too long: the awaited promise was never completed (a lost wake-up or a missing write).
private struct TimedOut: Error {}

/// Holds the outcome of an operation running in another task.
private actor Outcome<Value: Sendable> {
    var result: Result<Value, any Error>?
    func set(_ result: Result<Value, any Error>) { self.result = result }
}

/// Runs `operation`, failing with `TimedOut` after about five seconds instead of hanging the test run (NIO futures
/// do not react to task cancellation, so a time limit alone would not end the wait).
private func bounded<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
    let outcome = Outcome<Value>()
    Task {
        do { await outcome.set(.success(try await operation())) } catch { await outcome.set(.failure(error)) }
    }
    for _ in 0..<1000 {
        if let result = await outcome.result { return try result.get() }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw TimedOut()
}

/// Collects the client's events as they arrive, so tests can wait for them with a bound.
private actor Inbox {
    private var events: [ClientEvent] = []
    private var finished = false

    /// Starts collecting from `stream` (its one consumer).
    nonisolated func collect(_ stream: AsyncStream<ClientEvent>) {
        Task {
            for await event in stream { await append(event) }
            await finish()
        }
    }

    private func append(_ event: ClientEvent) { events.append(event) }
    private func finish() { finished = true }
    private func take() -> (ClientEvent?, Bool) { events.isEmpty ? (nil, finished) : (events.removeFirst(), finished) }

    /// The next event, nil when the stream finished; throws `TimedOut` when none arrives.
    func next() async throws -> ClientEvent? {
        for _ in 0..<1000 {
            let (event, finished) = take()
            if let event { return event }
            if finished { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TimedOut()
    }
}

/// A client on a testing channel (no sockets, virtual time) and the station side of the wire.
private struct Wire {
    let channel: NIOAsyncTestingChannel
    let client: IEC104Client
    let events = Inbox()

    /// A connected testing channel with a client; `collect` starts the inbox (off to read `incoming` directly).
    static func make(parameters: LinkParameters = .standard, eventBufferLimit: Int? = nil,
                     collect: Bool = true) async throws -> Wire {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2404)).get()
        let client = try await IEC104Client.attach(to: channel, parameters: parameters,
                                                   eventBufferLimit: eventBufferLimit)
        let wire = Wire(channel: channel, client: client)
        if collect { wire.events.collect(client.incoming) }
        return wire
    }

    /// The station sends these octets.
    func stationSends(_ octets: [UInt8]) async throws {
        try await channel.writeInbound(ByteBuffer(bytes: octets))
    }

    /// The next octets the client writes, waiting (boundedly) for them.
    func nextWritten() async throws -> [UInt8] {
        let channel = channel
        return try await bounded { Array(try await channel.waitForOutboundWrite(as: ByteBuffer.self).readableBytesView) }
    }

    /// Octets the client wrote so far (nil when none).
    func written() async throws -> [UInt8]? {
        try await channel.readOutbound(as: ByteBuffer.self).map { Array($0.readableBytesView) }
    }

    /// Runs a client operation, boundedly.
    func run(_ operation: @escaping @Sendable (IEC104Client) async throws -> Void) async throws {
        let client = client
        try await bounded { try await operation(client) }
    }

    /// Runs the STARTDT handshake, checking the STARTDT act octets.
    func start() async throws {
        let client = client
        let started = Task { try await client.startDataTransfer() }
        #expect(try await nextWritten() == hex("68 04 07 00 00 00"))
        try await stationSends(hex("68 04 0B 00 00 00"))
        try await bounded { try await started.value }
    }

    /// Waits (boundedly) until the channel is closed.
    func closed() async throws {
        let channel = channel
        try await bounded { try await channel.closeFuture.get() }
    }

    func advance(_ amount: TimeAmount) async {
        await channel.testingEventLoop.advanceTime(by: amount)
    }
}

/// An I-frame from the station with N(S) `send`, N(R) 0 and the ASDU octets.
private func stationFrame(send: UInt16, asdu: [UInt8]) throws -> [UInt8] {
    try APDU.information(send: SequenceNumber(masking: send), receive: .zero, asdu: asdu).encoded()
}

@Suite("Client over a testing channel")
struct ClientChannelTests {
    @Test("STARTDT act is written and STARTDT con resolves startDataTransfer; STOPDT likewise")
    func startAndStop() async throws {
        let wire = try await Wire.make()
        try await wire.start()
        try await wire.run { try await $0.startDataTransfer() } // already started: returns at once, writes nothing
        #expect(try await wire.written() == nil)
        let client = wire.client
        let stopped = Task { try await client.stopDataTransfer() }
        #expect(try await wire.nextWritten() == hex("68 04 13 00 00 00"))
        await #expect(throws: IEC104ClientError.stopping) { try await wire.run { try await $0.interrogate(commonAddress: 1) } }
        try await wire.stationSends(hex("68 04 23 00 00 00"))
        try await bounded { try await stopped.value }
        await #expect(throws: IEC104ClientError.notStarted) { try await wire.run { try await $0.interrogate(commonAddress: 1) } }
        let counters = try await wire.client.counters
        #expect(counters.link.unnumberedFramesSent == 2 && counters.link.unnumberedFramesReceived == 2)
        await wire.client.close()
        #expect(try await wire.events.next() == .closed(.local))
        #expect(try await wire.events.next() == nil, "the stream finishes after .closed")
        #expect(!wire.channel.isActive)
    }

    @Test("An I-frame with M_ME_TF_1 arrives as a decoded ASDU; undecodable octets are handed on")
    func receivesMeasuredValue() async throws {
        let wire = try await Wire.make()
        try await wire.start()
        // Hand-built: CA 1, IOA 1001, 1.5 good quality, 2025-11-24 10:15:30.500.
        try await wire.stationSends(hex("68 19 00 00 00 00 24 01 03 00 01 00 E9 03 00 00 00 C0 3F 00 24 77 0F 0A 18 0B 19"))
        let time = CP56Time2a(milliseconds: 30_500, minute: 15, hour: 10, dayOfMonth: 24, dayOfWeek: 0, month: 11, year: 25)
        let expected = ASDU(typeID: .M_ME_TF_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
                            objects: [InformationObject(address: 1001, .shortFloatWithTime(1.5, .good, time))])
        #expect(try await wire.events.next() == .asdu(expected))
        #expect(try await wire.written() == nil, "one frame is below w: no acknowledgement yet")
        try await wire.stationSends(try stationFrame(send: 1, asdu: [0xFF, 1, 3, 0, 1, 0]))
        #expect(try await wire.events.next() == .undecodable([0xFF, 1, 3, 0, 1, 0], .unknownTypeID(0xFF)))
        let counters = try await wire.client.counters
        #expect(counters.asdusReceived == 1 && counters.undecodableASDUs == 1 && counters.droppedEvents == 0)
        await wire.client.close()
    }

    @Test("w received I-frames are acknowledged with one S-frame; t2 acknowledges the rest")
    func acknowledgements() async throws {
        let wire = try await Wire.make()
        try await wire.start()
        let asdu = try ASDU(typeID: .M_SP_NA_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
                            objects: [InformationObject(address: 1, .singlePoint(SinglePoint(true)))]).encoded()
        // Eight frames (w = 8) in one read: one S-frame with N(R) 8, flushed at the end of the read.
        var batch: [UInt8] = []
        for n in 0..<8 { batch += try stationFrame(send: UInt16(n), asdu: asdu) }
        try await wire.stationSends(batch)
        #expect(try await wire.written() == hex("68 04 01 00 10 00"))
        #expect(try await wire.written() == nil)
        // One more, then t2 (10 s) later an S-frame with N(R) 9.
        try await wire.stationSends(try stationFrame(send: 8, asdu: asdu))
        await wire.advance(.milliseconds(9_999))
        #expect(try await wire.written() == nil)
        await wire.advance(.milliseconds(1))
        #expect(try await wire.written() == hex("68 04 01 00 12 00"))
        let counters = try await wire.client.counters
        #expect(counters.link.windowAcknowledgements == 1 && counters.link.t2Acknowledgements == 1)
        #expect(counters.asdusReceived == 9)
        await wire.client.close()
    }

    @Test("C_IC_NA_1 CA 1 QOI 20 and the other helpers write the hand-computed octets")
    func commandGoldens() async throws {
        let wire = try await Wire.make()
        try await wire.start()
        try await wire.run { try await $0.interrogate(commonAddress: 1) }
        #expect(try await wire.written() == hex("68 0E 00 00 00 00 64 01 06 00 01 00 00 00 00 14"))
        // After one received frame, the next I-frames carry N(R) 1.
        try await wire.stationSends(try stationFrame(send: 0, asdu: hex("64 01 07 00 01 00 00 00 00 14")))
        try await wire.run {
            try await $0.sendCommand(commonAddress: 1, address: 5000, element: .singleCommand(true, CommandQualifier()),
                                     originator: 3)
        }
        #expect(try await wire.written() == hex("68 0E 02 00 02 00 2D 01 06 03 01 00 88 13 00 01"))
        try await wire.run { try await $0.readPoint(commonAddress: 1, address: 5000) }
        #expect(try await wire.written() == hex("68 0D 04 00 02 00 66 01 05 00 01 00 88 13 00"))
        try await wire.run { try await $0.counterInterrogate(commonAddress: 1) }
        #expect(try await wire.written() == hex("68 0E 06 00 02 00 65 01 06 00 01 00 00 00 00 05"))
        let time = CP56Time2a(milliseconds: 30_500, minute: 15, hour: 10, dayOfMonth: 24, dayOfWeek: 0, month: 11, year: 25)
        try await wire.run { try await $0.clockSync(commonAddress: 1, time: time) }
        #expect(try await wire.written()
            == hex("68 14 08 00 02 00 67 01 06 00 01 00 00 00 00 24 77 0F 0A 18 0B 19"))
        await wire.client.close()
    }

    @Test("With k unacknowledged frames a send waits, and goes out when the station acknowledges")
    func windowWait() async throws {
        let wire = try await Wire.make(parameters: try LinkParameters(k: 2, w: 1))
        try await wire.start()
        try await wire.run { try await $0.interrogate(commonAddress: 1) }
        try await wire.run { try await $0.interrogate(commonAddress: 2) }
        #expect(try await wire.written()?.count == 16)
        #expect(try await wire.written()?.count == 16)
        let client = wire.client
        let third = Task { try await client.interrogate(commonAddress: 3) }
        // Wait until the send reached the loop and was queued, then check nothing went out.
        try await bounded {
            while try await client.counters.windowWaits == 0 { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(try await wire.written() == nil)
        try await wire.stationSends(hex("68 04 01 00 02 00")) // S-frame N(R) 1
        try await bounded { try await third.value }
        let frame = try #require(try await wire.written())
        #expect(Array(frame.prefix(6)) == hex("68 0E 04 00 00 00") && frame[10] == 3)
        let counters = try await wire.client.counters
        #expect(counters.link.windowFullRefusals == 1 && counters.link.framesAcknowledged == 1)
        await wire.client.close()
    }

    @Test("TESTFR act is answered; after t3 idle the client tests the link and closes when t1 passes")
    func testFrames() async throws {
        let wire = try await Wire.make()
        try await wire.stationSends(hex("68 04 43 00 00 00"))
        #expect(try await wire.written() == hex("68 04 83 00 00 00"))
        await wire.advance(.seconds(20))
        #expect(try await wire.written() == hex("68 04 43 00 00 00"))
        await wire.advance(.seconds(15))
        #expect(try await wire.events.next() == .closed(.testFrameTimeout))
        try await wire.closed()
        #expect(try await wire.client.counters.link.closes.testFrameTimeout == 1)
    }

    @Test("No STARTDT con within t1: startDataTransfer throws and the link closes")
    func startTimeout() async throws {
        let wire = try await Wire.make()
        let client = wire.client
        let started = Task { try await client.startDataTransfer() }
        #expect(try await wire.nextWritten() == hex("68 04 07 00 00 00"))
        await wire.advance(.seconds(15))
        await #expect(throws: IEC104ClientError.closed(.startTimeout)) { try await bounded { try await started.value } }
        await #expect(throws: IEC104ClientError.closed(.startTimeout)) {
            try await wire.run { try await $0.interrogate(commonAddress: 1) }
        }
        #expect(try await wire.events.next() == .closed(.startTimeout))
    }

    @Test("Bad ASDUs are refused before sending; a framing error closes the link with its reason")
    func refusalsAndFramingError() async throws {
        let wire = try await Wire.make()
        await #expect(throws: IEC104ClientError.notStarted) { try await wire.run { try await $0.interrogate(commonAddress: 1) } }
        let empty = ASDU(typeID: .C_IC_NA_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                         objects: [])
        await #expect(throws: IEC104ClientError.encoding(.noObjects)) { try await wire.run { try await $0.send(empty) } }
        await #expect(throws: IEC104ClientError.invalidLength(0)) { try await wire.run { try await $0.send(encoded: []) } }
        try await wire.stationSends(hex("00 04 07 00 00 00"))
        #expect(try await wire.events.next() == .closed(.framingError(.badStartByte(0))))
        try await wire.closed()
        #expect(try await wire.client.counters.link.closes.framingError == 1)
    }

    @Test("A bounded event buffer keeps the newest events and counts the dropped ones")
    func boundedEvents() async throws {
        let wire = try await Wire.make(eventBufferLimit: 2, collect: false)
        try await wire.start()
        var batch: [UInt8] = []
        for n in 0..<5 {
            let asdu = try ASDU(typeID: .M_ME_NB_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
                                objects: [InformationObject(address: 1, .scaled(Int16(n), .good))]).encoded()
            batch += try stationFrame(send: UInt16(n), asdu: asdu)
        }
        try await wire.stationSends(batch)
        #expect(try await wire.client.counters.droppedEvents == 3)
        var events = wire.client.incoming.makeAsyncIterator()
        var values: [Int16] = []
        for _ in 0..<2 {
            if case let .asdu(asdu) = await events.next(), case let .scaled(value, _) = asdu.objects.first?.element {
                values.append(value)
            }
        }
        #expect(values == [3, 4])
        await wire.client.close()
    }
}
