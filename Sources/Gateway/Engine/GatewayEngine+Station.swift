import IEC104
import Rules

/// Why a rule graph cannot be served by the IEC 104 station.
public enum StationPointsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A charger uses a common address other than the station's; one station serves one CA.
    case foreignCommonAddress(charger: String, ca: Int, station: Int)
    /// The station refused a declaration.
    case declaration(PointDeclarationError)

    /// Words for the operator.
    public var description: String {
        switch self {
        case let .foreignCommonAddress(charger, ca, station):
            "charger \(charger) uses common address \(ca), but the station serves only its own (\(station))"
        case let .declaration(error): "the station refused the points: \(error)"
        }
    }
}

extension GatewayEngine {
    /// The station's point declarations for a graph: monitor points with their interrogation groups, command points
    /// (those that always need a select are refused by the station itself without one).
    public static func stationPoints(for graph: RuleGraph) throws(StationPointsError) -> StationPoints {
        for charger in graph.chargers where charger.commonAddress != graph.station.commonAddress {
            throw .foreignCommonAddress(charger: charger.id, ca: charger.commonAddress, station: graph.station.commonAddress)
        }
        var monitor: [MonitorPoint] = []
        var commands: [CommandPoint] = []
        for point in graph.points {
            guard let type = PointConversion.typeID(point.type) else { continue }
            let address = UInt32(point.address.ioa)
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
        do {
            return try StationPoints(monitor: monitor, commands: commands)
        } catch {
            throw .declaration(error)
        }
    }
}
