import DequeModule

/// What a full event queue gives up.
public enum OverflowPolicy: String, Hashable, Sendable, CaseIterable {
    /// Drop the oldest queued event: the master receives the most recent changes.
    case dropOldest = "drop-oldest"
    /// Refuse the new event: the master receives an unbroken history up to the overflow.
    case dropNewest = "drop-newest"
}

/// Counters of the spontaneous-event queue.
public struct EventQueueCounters: Hashable, Sendable {
    /// Events accepted into the queue.
    public var enqueued = 0
    /// Events dropped because the queue was full, by policy.
    public var droppedOldest = 0
    /// Events refused because the queue was full.
    public var droppedNewest = 0
    /// Events that left the queue inside an ASDU handed to a link.
    public var sent = 0
    /// ASDUs handed back unacknowledged by a lost link and queued to be sent again.
    public var requeuedASDUs = 0
    /// Events that could not be encoded and were discarded (a station bug if ever non-zero).
    public var unencodable = 0

    /// Creates zeroed counters.
    public init() {}

    /// Every event lost to overflow.
    public var dropped: Int { droppedOldest + droppedNewest }
}

/// One monitored change waiting for a master.
struct SpontaneousEvent: Hashable, Sendable {
    var cause: Cause
    var object: InformationObject
}

/// The bounded queue of spontaneous events waiting for an active master, oldest first.
///
/// ASDUs that a lost link hands back unacknowledged go to the front, ahead of newer events, and are sent
/// again as they were (at-least-once: the master may see them twice if it received them before the loss).
struct EventQueue: Sendable {
    /// The most events the queue holds (ASDUs handed back are at most k and are not counted against it).
    let capacity: Int
    /// What to drop when full.
    let overflow: OverflowPolicy
    private var events: Deque<SpontaneousEvent> = []
    private var returned: Deque<[UInt8]> = []
    /// Counters since the station started.
    private(set) var counters = EventQueueCounters()

    init(capacity: Int, overflow: OverflowPolicy) {
        self.capacity = max(1, capacity)
        self.overflow = overflow
    }

    /// Queued events (not counting ASDUs handed back).
    var count: Int { events.count }
    /// Whether nothing waits.
    var isEmpty: Bool { events.isEmpty && returned.isEmpty }

    /// Queues an event; returns false when the overflow policy dropped an event (old or this one).
    mutating func append(_ event: SpontaneousEvent) -> Bool {
        guard events.count >= capacity else {
            events.append(event)
            counters.enqueued += 1
            return true
        }
        switch overflow {
        case .dropOldest:
            events.removeFirst()
            events.append(event)
            counters.enqueued += 1
            counters.droppedOldest += 1
        case .dropNewest:
            counters.droppedNewest += 1
        }
        return false
    }

    /// Puts ASDUs a lost link never saw acknowledged in front of everything else, keeping their order.
    mutating func requeue(_ asdus: [[UInt8]]) {
        guard !asdus.isEmpty else { return }
        returned.insert(contentsOf: asdus, at: 0)
        counters.requeuedASDUs += asdus.count
    }

    /// The next ASDU to send: a handed-back one, else the longest run of events of one type and cause that fits.
    /// Call `commit` after the link took it.
    mutating func peek(commonAddress: UInt16, maximumObjects: Int, parameters: ASDUParameters) -> PeekedASDU? {
        if let first = returned.first { return PeekedASDU(octets: first, events: 0) }
        while let head = events.first {
            let type = head.object.element.typeID
            let limit = min(maximumObjects, ASDU.maximumObjectCount(of: type, isSequence: false, parameters: parameters))
            var objects = [head.object]
            var index = events.index(after: events.startIndex)
            while objects.count < limit, index < events.endIndex, events[index].cause == head.cause,
                  events[index].object.element.typeID == type {
                objects.append(events[index].object)
                index = events.index(after: index)
            }
            let asdu = ASDU(typeID: type, causeOfTransmission: CauseOfTransmission(head.cause),
                            commonAddress: commonAddress, objects: objects)
            if let octets = try? asdu.encoded(parameters: parameters) {
                return PeekedASDU(octets: octets, events: objects.count)
            }
            events.removeFirst()
            counters.unencodable += 1
        }
        return nil
    }

    /// Takes up to `limit` ASDUs from the head at once (the link has room for them).
    mutating func take(upTo limit: Int, commonAddress: UInt16, maximumObjects: Int,
                       parameters: ASDUParameters) -> [[UInt8]] {
        var taken: [[UInt8]] = []
        while taken.count < limit,
              let next = peek(commonAddress: commonAddress, maximumObjects: maximumObjects, parameters: parameters) {
            commit(next)
            taken.append(next.octets)
        }
        return taken
    }

    /// Removes what `peek` returned, now that a link has taken it.
    mutating func commit(_ peeked: PeekedASDU) {
        if peeked.events == 0 {
            returned.removeFirst()
        } else {
            events.removeFirst(peeked.events)
            counters.sent += peeked.events
        }
    }
}

/// An ASDU taken from the head of the queue but not yet removed.
struct PeekedASDU: Hashable, Sendable {
    /// The encoded ASDU.
    var octets: [UInt8]
    /// How many queued events it carries (0 for an ASDU handed back by a lost link).
    var events: Int
}
