import IEC104
import Rules

extension GatewayEngine {
    /// Recomputes the site totals `point` belongs to; a total is reported when its value or quality changed and
    /// the member's own update was reported (`reported`): a member held back by its deadband or minimum interval
    /// moves the total in the image only, so a site of quiet chargers does not chatter through its sum.
    ///
    /// The total is the sum of its members' last values; it is IV when any member is invalid or has never had a
    /// value (a sum that silently leaves a charger out would under-report the site), NT when any member is not
    /// topical, and OV when any member overflowed. An invalid member's last value still counts, so the flagged
    /// total stays the best figure there is rather than dropping towards zero.
    mutating func updateAggregates(of point: Int, at time: EngineTime, reported: Bool = true,
                                   into outputs: inout [EngineOutput]) {
        for index in aggregatesOfPoint[point] {
            let aggregate = graph.aggregates[index]
            guard let type = pointTypes[aggregate.point] else { continue }
            var sum = 0.0
            var quality: QualityDescriptor = []
            // The flags as literals: IEC104's named constants are globals behind a lazy accessor, in a hot loop.
            let invalid = QualityDescriptor(rawValue: 0x80)
            let carried = QualityDescriptor(rawValue: 0x40 | 0x01)
            for member in aggregate.members {
                let state = points[member.point]
                if let number = state.number { sum += number * member.factor }
                if state.number == nil || state.quality.contains(invalid) { quality.insert(invalid) }
                quality.formUnion(state.quality.intersection(carried))
            }
            guard let (value, overflow, number) = PointConversion.value(.number(sum), as: type) else { continue }
            quality.formUnion(overflow)
            let previous = points[aggregate.point]
            guard previous.value != value || previous.quality != quality else { continue }
            points[aggregate.point] = PointState(value: value, number: number, quality: quality, time: time, refreshedAt: time)
            outputs.append(publish(point: aggregate.point, type: type,
                                   transmission: type.isIntegratedTotals || !reported ? .imageOnly : .spontaneous))
        }
    }
}
