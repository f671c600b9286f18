import IEC104
import Logging
import Rules

/// The IEC 104 station's configuration from a site's `station:` section.
public enum StationSettings {
    /// The configuration for `station`, listening on `host:port`.
    public static func configuration(_ station: Rules.Station, host: String, port: Int,
                                     logger: Logger) throws -> StationConfiguration {
        StationConfiguration(
            host: host, port: port, commonAddress: UInt16(clamping: station.commonAddress),
            link: try IEC104.LinkParameters(k: station.link.k, w: station.link.w, t1: .seconds(station.link.t1),
                                            t2: .seconds(station.link.t2), t3: .seconds(station.link.t3)),
            allowedMasters: station.masters.isEmpty ? nil : Set(station.masters),
            maximumConnections: station.maxConnections,
            eventQueueCapacity: station.eventQueueCapacity,
            overflowPolicy: station.overflow == .dropNewest ? .dropNewest : .dropOldest,
            selectTimeout: .seconds(station.selectTimeout), logger: logger)
    }
}
