import Testing
@testable import IEC104

@Suite("Spontaneous event queue")
struct EventQueueTests {
    func event(_ address: UInt32, _ value: Float = 1) -> SpontaneousEvent {
        SpontaneousEvent(cause: .spontaneous, object: InformationObject(address: address, .shortFloat(value, .good)))
    }

    func take(_ queue: inout EventQueue, maximumObjects: Int = 127) throws -> [ASDU] {
        try queue.take(upTo: 100, commonAddress: 1, maximumObjects: maximumObjects, parameters: .iec104)
            .map { try ASDU.decode($0) }
    }

    @Test("Drop-oldest keeps the newest events in order and counts every drop")
    func dropOldest() throws {
        var queue = EventQueue(capacity: 3, overflow: .dropOldest)
        for address in 1...5 { _ = queue.append(event(UInt32(address))) }
        #expect(queue.counters.droppedOldest == 2)
        #expect(try take(&queue).flatMap(\.objects).map(\.address) == [3, 4, 5])
        #expect(queue.counters.sent == 3)
    }

    @Test("Drop-newest keeps the oldest events and refuses the rest, counted")
    func dropNewest() throws {
        var queue = EventQueue(capacity: 3, overflow: .dropNewest)
        let accepted = (1...5).map { queue.append(event(UInt32($0))) }
        #expect(accepted == [true, true, true, false, false])
        #expect(queue.counters.droppedNewest == 2)
        #expect(try take(&queue).flatMap(\.objects).map(\.address) == [1, 2, 3])
    }

    @Test("Packing: runs of one type and cause share an ASDU up to its size limit, in order")
    func packing() throws {
        var queue = EventQueue(capacity: 100, overflow: .dropOldest)
        for address in 1...40 { _ = queue.append(event(UInt32(address))) }
        _ = queue.append(SpontaneousEvent(cause: .periodic, object: InformationObject(address: 41, .shortFloat(0, .good))))
        _ = queue.append(event(42))
        let asdus = try take(&queue)
        #expect(asdus.map(\.objects.count) == [30, 10, 1, 1])
        #expect(asdus[2].causeOfTransmission.cause == .periodic)
        #expect(asdus.flatMap(\.objects).map(\.address) == (1...42).map { UInt32($0) })
        var single = EventQueue(capacity: 100, overflow: .dropOldest)
        for address in 1...3 { _ = single.append(event(UInt32(address))) }
        #expect(try take(&single, maximumObjects: 1).map(\.objects.count) == [1, 1, 1])
    }

    @Test("16 M_ME_TF_1 objects fill one ASDU of at most 249 octets")
    func timeTaggedPacking() throws {
        var queue = EventQueue(capacity: 100, overflow: .dropOldest)
        let tag = CP56Time2a(milliseconds: 0, minute: 0, hour: 0, dayOfMonth: 1, dayOfWeek: 0, month: 1, year: 26)
        for address in 1...20 {
            _ = queue.append(SpontaneousEvent(cause: .spontaneous,
                                              object: InformationObject(address: UInt32(address), .shortFloatWithTime(1, .good, tag))))
        }
        let octets = queue.take(upTo: 10, commonAddress: 1, maximumObjects: 127, parameters: .iec104)
        #expect(octets.map(\.count) == [6 + 16 * 15, 6 + 4 * 15])
    }

    @Test("ASDUs handed back by a lost link go first, in their order, and are not counted as new events")
    func requeue() throws {
        var queue = EventQueue(capacity: 10, overflow: .dropOldest)
        _ = queue.append(event(3))
        let lost = try [event(1), event(2)].map {
            try ASDU(typeID: .M_ME_NC_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
                     objects: [$0.object]).encoded()
        }
        queue.requeue(lost)
        #expect(try take(&queue).flatMap(\.objects).map(\.address) == [1, 2, 3])
        #expect(queue.counters.requeuedASDUs == 2)
        #expect(queue.isEmpty)
    }
}
