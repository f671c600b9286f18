/// The station's image: the last value, quality and time of every monitored point.
///
/// Interrogations and reads answer from here; a point never updated reports a zero with quality IV and NT.
public struct PointImage: Sendable {
    /// The last state of one point.
    struct Entry: Sendable {
        var value: PointValue
        var quality: QualityDescriptor
        var time: UTCDateTime?
    }

    /// The declarations.
    public private(set) var points: StationPoints
    private var entries: [UInt32: Entry]

    /// An image in which every point is still unknown (IV, NT).
    public init(points: StationPoints) {
        self.points = points
        var entries: [UInt32: Entry] = [:]
        entries.reserveCapacity(points.monitor.count)
        for (address, point) in points.monitor {
            entries[address] = Entry(value: .placeholder(for: point.typeID), quality: [.invalid, .notTopical], time: nil)
        }
        self.entries = entries
    }

    /// Serves new declarations: a point that keeps its address and type keeps its value; new points start unknown.
    mutating func replacePoints(_ points: StationPoints) {
        var kept: [UInt32: Entry] = [:]
        kept.reserveCapacity(points.monitor.count)
        for (address, point) in points.monitor {
            if let entry = entries[address], self.points.monitor[address]?.typeID == point.typeID {
                kept[address] = entry
            } else {
                kept[address] = Entry(value: .placeholder(for: point.typeID), quality: [.invalid, .notTopical], time: nil)
            }
        }
        self.points = points
        entries = kept
    }

    /// Checks an update against the declarations without applying it.
    public func check(_ update: PointUpdate) throws(PublishError) -> MonitorPoint {
        guard let point = points.monitor[update.address] else { throw .unknownAddress(update.address) }
        guard update.value.fits(point.typeID) else { throw .valueDoesNotFitType(address: update.address, point.typeID) }
        return point
    }

    /// Applies a checked update, stamping `now` when it has no time, and returns the object to transmit.
    mutating func apply(_ update: PointUpdate, to point: MonitorPoint, now: UTCDateTime) -> InformationObject {
        let time = update.time ?? now
        entries[update.address] = Entry(value: update.value, quality: update.quality, time: time)
        return InformationObject(address: update.address,
                                 Self.element(update.value, quality: update.quality, time: time, as: point.typeID))
    }

    /// The point's current element as `type` (its own type for reads, the untimed twin for interrogations).
    func object(at address: UInt32, as type: TypeID) -> InformationObject? {
        guard let entry = entries[address] else { return nil }
        return InformationObject(address: address,
                                 Self.element(entry.value, quality: entry.quality, time: entry.time, as: type))
    }

    /// Builds the element of `type` for a value; a time outside CP56Time2a's 2000–2099 goes out flagged invalid.
    public static func element(_ value: PointValue, quality: QualityDescriptor, time: UTCDateTime?,
                               as type: TypeID) -> InformationElement {
        let tag = time.flatMap { CP56Time2a($0) } ?? CP56Time2a(milliseconds: 0, minute: 0, hour: 0, dayOfMonth: 1,
                                                                dayOfWeek: 0, month: 1, year: 0, invalid: true)
        let timed = type.isTimeTagged
        switch value {
        case let .single(state):
            let point = SinglePoint(state, quality: quality)
            return timed ? .singlePointWithTime(point, tag) : .singlePoint(point)
        case let .double(state):
            let point = DoublePoint(state, quality: quality)
            return timed ? .doublePointWithTime(point, tag) : .doublePoint(point)
        case let .normalized(number):
            return timed ? .normalizedWithTime(number, quality, tag) : .normalized(number, quality)
        case let .scaled(number):
            return timed ? .scaledWithTime(number, quality, tag) : .scaled(number, quality)
        case let .float(number):
            return timed ? .shortFloatWithTime(number, quality, tag) : .shortFloat(number, quality)
        case var .counter(reading):
            if quality.contains(.invalid) { reading.invalid = true }
            return timed ? .integratedTotalsWithTime(reading, tag) : .integratedTotals(reading)
        }
    }
}
