import IEC104
import Rules

/// The IEC 104 declarations of a site's points (the station's common address only).
struct StationPointsFromRules {
    let points: StationPoints
    /// Points left out because they use another common address than the station's.
    let otherCommonAddresses: Int

    init(graph: RuleGraph) throws {
        let commonAddress = graph.station.commonAddress
        var monitor: [MonitorPoint] = []
        var commands: [CommandPoint] = []
        var skipped = 0
        let selectAlways = Set(graph.controlRules.compactMap { rule in
            rule.selectBeforeOperate == .always ? rule.point : nil
        })
        for (index, point) in graph.points.enumerated() {
            guard point.address.ca == commonAddress else {
                skipped += 1
                continue
            }
            guard let type = TypeID(rawValue: UInt8(clamping: point.type.id)) else { continue }
            let address = UInt32(clamping: point.address.ioa)
            switch point.direction {
            case .monitor:
                monitor.append(MonitorPoint(address: address, typeID: type, inStationInterrogation: point.generalInterrogation,
                                            groups: Set(point.groups), counterGroup: point.counterGroup))
            case .control:
                commands.append(CommandPoint(address: address, typeID: type, requiresSelect: selectAlways.contains(index)))
            }
        }
        points = try StationPoints(monitor: monitor, commands: commands)
        otherCommonAddresses = skipped
    }
}
