import Logging
import NIOPosix
import Testing
@testable import IEC104

/// The station server and the module's own master on loopback: connections, events, commands, the group.
@Suite("Station server over loopback", .timeLimit(.minutes(1)))
struct StationServerTests {
    static let points: StationPoints = {
        do {
            return try StationPoints(monitor: [MonitorPoint(address: 100, typeID: .M_ME_TF_1)],
                                     commands: [CommandPoint(address: 200, typeID: .C_SE_NC_1, requiresSelect: true)])
        } catch {
            preconditionFailure("valid declarations: \(error)")
        }
    }()

    func station(allowed: Set<String>? = nil, maximumConnections: Int = 4,
                 handler: @escaping CommandHandler = { _ in .accepted }) async throws -> (StationServer, Int) {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = StationConfiguration(host: "127.0.0.1", port: 0, allowedMasters: allowed,
                                                 maximumConnections: maximumConnections, logger: logger)
        let server = StationServer(configuration: configuration, points: Self.points, commandHandler: handler)
        let address = try await server.start()
        let port = try #require(address.split(separator: ":").last.flatMap { Int($0) })
        return (server, port)
    }

    /// The next ASDU from the station, skipping nothing; fails on close or after two seconds.
    func next(_ iterator: inout AsyncStream<ClientEvent>.Iterator) async throws -> ASDU {
        guard case let .asdu(asdu)? = await iterator.next() else {
            Issue.record("the link closed instead of delivering an ASDU")
            throw CancellationError()
        }
        return asdu
    }

    @Test("STARTDT → M_EI_NA_1, a published value arrives as M_ME_TF_1 COT 3, status counts it")
    func spontaneous() async throws {
        let (server, port) = try await station()
        let client = try await IEC104Client.connect(host: "127.0.0.1", port: port)
        try await client.startDataTransfer()
        var events = client.incoming.makeAsyncIterator()
        #expect(try await next(&events).typeID == .M_EI_NA_1)
        let time = try #require(UTCDateTime(year: 2026, month: 11, day: 24, hour: 10, minute: 0, second: 1, millisecond: 5))
        try server.publish(PointUpdate(address: 100, value: .float(11.5), quality: .notTopical, time: time))
        let asdu = try await next(&events)
        #expect(asdu.typeID == .M_ME_TF_1)
        #expect(asdu.causeOfTransmission.cause == .spontaneous)
        #expect(asdu.objects == [InformationObject(address: 100, .shortFloatWithTime(11.5, .notTopical, try #require(CP56Time2a(time))))])
        #expect(throws: PublishError.unknownAddress(999)) { try server.publish(PointUpdate(address: 999, value: .float(1))) }
        let status = await server.status()
        #expect(status.hasActiveMaster)
        #expect(status.queue.sent == 1)
        #expect(status.server.publishRejected == 1)
        await client.close()
        await server.shutdown()
    }

    @Test("Select and execute reach the handler in order and end with ACT_CON and ACT_TERM")
    func selectAndExecute() async throws {
        let seen = AsyncStream.makeStream(of: CommandPhase.self)
        let (server, port) = try await station { request in
            seen.continuation.yield(request.phase)
            return .accepted
        }
        let client = try await IEC104Client.connect(host: "127.0.0.1", port: port)
        try await client.startDataTransfer()
        var events = client.incoming.makeAsyncIterator()
        _ = try await next(&events)
        // As a master does: the execute goes out once the select is confirmed.
        try await client.sendCommand(commonAddress: 1, address: 200, element: .setpointFloat(50, SetpointQualifier(select: true)))
        var answers = [try await next(&events)]
        try await client.sendCommand(commonAddress: 1, address: 200, element: .setpointFloat(50, SetpointQualifier()))
        answers += [try await next(&events), try await next(&events)]
        let causes = answers.map { ($0.causeOfTransmission.cause, $0.causeOfTransmission.isNegative) }
        #expect(causes.map(\.0) == [.activationConfirmation, .activationConfirmation, .activationTermination])
        #expect(causes.allSatisfy { !$0.1 })
        var phases = seen.stream.makeAsyncIterator()
        #expect(await phases.next() == .select)
        #expect(await phases.next() == .execute)
        await client.close()
        await server.shutdown()
    }

    @Test("Events published with no master wait and arrive in order; a second STARTDT takes over")
    func queueAndSwitchover() async throws {
        let (server, port) = try await station()
        let first = try await IEC104Client.connect(host: "127.0.0.1", port: port)
        try await first.startDataTransfer()
        var firstEvents = first.incoming.makeAsyncIterator()
        _ = try await next(&firstEvents)
        await first.close()
        try await waitUntil { await server.status().connections.isEmpty }

        server.publish((1...40).map { PointUpdate(address: 100, value: .float(Float($0))) })
        let second = try await IEC104Client.connect(host: "127.0.0.1", port: port)
        let third = try await IEC104Client.connect(host: "127.0.0.1", port: port)
        try await second.startDataTransfer()
        var secondEvents = second.incoming.makeAsyncIterator()
        var values: [Float] = []
        while values.count < 40 {
            for object in try await next(&secondEvents).objects {
                if case let .shortFloatWithTime(value, _, _) = object.element { values.append(value) }
            }
        }
        #expect(values == (1...40).map { Float($0) })

        try await third.startDataTransfer()
        try await waitUntil { await server.status().server.switchovers == 1 }
        var thirdEvents = third.incoming.makeAsyncIterator()
        try server.publish(PointUpdate(address: 100, value: .float(99)))
        // What the second master had not acknowledged yet (it acknowledges every w = 8 frames) comes again
        // first, in order, then the new value.
        var replayed: [Float] = []
        while true {
            let floats = try await next(&thirdEvents).objects.compactMap { object -> Float? in
                if case let .shortFloatWithTime(value, _, _) = object.element { value } else { nil }
            }
            replayed += floats
            if floats.contains(99) { break }
        }
        #expect(replayed.last == 99)
        #expect(replayed.dropLast() == values.suffix(replayed.count - 1))
        let status = await server.status()
        #expect(status.connections.count == 1)
        #expect(status.queue.dropped == 0)
        await third.close()
        await second.close()
        await server.shutdown()
    }

    @Test("Allow-list and connection limit refuse on accept, counted")
    func admission() async throws {
        let (guarded, guardedPort) = try await station(allowed: ["192.0.2.1"])
        if let client = try? await IEC104Client.connect(host: "127.0.0.1", port: guardedPort) {
            var events = client.incoming.makeAsyncIterator()
            guard case .closed? = await events.next() else {
                Issue.record("a master outside the allow-list must be disconnected")
                return
            }
        }
        #expect(await guarded.status().server.refusedNotAllowed == 1)
        await guarded.shutdown()

        let (limited, limitedPort) = try await station(maximumConnections: 1)
        let admitted = try await IEC104Client.connect(host: "127.0.0.1", port: limitedPort)
        try await admitted.startDataTransfer()
        if let extra = try? await IEC104Client.connect(host: "127.0.0.1", port: limitedPort) {
            var events = extra.incoming.makeAsyncIterator()
            guard case .closed? = await events.next() else {
                Issue.record("a connection beyond the limit must be closed")
                return
            }
        }
        let status = await limited.status()
        #expect(status.server.refusedLimit == 1)
        #expect(status.connections.count == 1)
        await admitted.close()
        await limited.shutdown()
    }

    /// Polls `condition` every 10 ms for up to two seconds.
    func waitUntil(_ condition: () async -> Bool) async throws {
        for _ in 0..<200 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not met within two seconds")
    }
}
