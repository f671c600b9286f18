import IEC104
import Rules

/// The station's declarations for a rule graph.
public struct StationPointSet: Sendable {
    /// The points of the station's own common address.
    public var points: StationPoints
    /// Points left out because they use another common address (one station serves one CA).
    public var otherCommonAddresses: Int
}

extension GatewayEngine {
    /// The station's point declarations for a graph: monitor points with their interrogation groups, command points
    /// (those that always need a select are refused by the station itself without one).
    public static func stationPoints(for graph: RuleGraph) throws(PointDeclarationError) -> StationPointSet {
        var monitor: [MonitorPoint] = []
        var commands: [CommandPoint] = []
        var skipped = 0
        for point in graph.points {
            guard point.address.ca == graph.station.commonAddress else {
                skipped += 1
                continue
            }
            guard let type = PointConversion.typeID(point.type) else { continue }
            let address = UInt32(clamping: point.address.ioa)
            switch point.direction {
            case .monitor:
                monitor.append(MonitorPoint(address: address, typeID: type, inStationInterrogation: point.generalInterrogation,
                                            groups: Set(point.groups), counterGroup: point.counterGroup))
            case .control:
                let rule = graph.controlIndex[point.address].map { graph.controlRules[$0] }
                commands.append(CommandPoint(address: address, typeID: type,
                                             requiresSelect: rule?.selectBeforeOperate == .always))
            }
        }
        return StationPointSet(points: try StationPoints(monitor: monitor, commands: commands), otherCommonAddresses: skipped)
    }
}
