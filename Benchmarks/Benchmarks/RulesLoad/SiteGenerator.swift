/// Writes the rule file of a large site: one station, two ten-point templates, and every charger listed
/// on its own (no `count` ranges), so the file is as big as a site exported charger by charger.
enum SiteGenerator {
    /// The site's YAML with `chargers` chargers (10 points each), alternating between the two templates.
    static func site(chargers: Int) -> String {
        var text = """
            # yaml-language-server: $schema=../schemas/ocpp809-rules.schema.json
            version: 1
            station:
              common_address: 4001
              listen: "0.0.0.0:2404"
              link: {k: 12, w: 8, t0: 30s, t1: 15s, t2: 10s, t3: 20s}
              max_connections: 2
              event_queue: {capacity: 200000, overflow: drop_oldest}
            ocpp:
              listen: "0.0.0.0:9000"
              unknown_chargers: refuse
              timezone: UTC
            site:
              name: Benchmark site
            templates:
            \(template(name: "ac22", versions: #"["1.6", "2.0.1"]"#, maxKW: 22, alarm: notifyEvent))
            \(template(name: "ac11", versions: #"["1.6"]"#, maxKW: 11, alarm: dataTransfer))
            chargers:

            """
        text.reserveCapacity(text.utf8.count + chargers * 64)
        for i in 0..<chargers {
            text += "  - id: CP\(String(100_000 + i).dropFirst())\n"
            text += "    template: \(i % 2 == 0 ? "ac22" : "ac11")\n"
            text += "    ioa_base: \(1_000 + i * 10)\n"
        }
        return text
    }

    private static let notifyEvent = "{action: NotifyEvent, ocpp: [\"2.0.1\"], component: EVSE, variable: Overload}"
    private static let dataTransfer = "{action: DataTransfer, vendor_id: acme, message_id: overload}"

    /// A template of ten points, indented to sit under `templates:`.
    private static func template(name: String, versions: String, maxKW: Int, alarm: String) -> String {
        let amps = maxKW * 1000 / (3 * 230)
        var points = """
              \(name):
                description: AC \(maxKW) kW charger
                ocpp: \(versions)
                electrical: {phases: 3, nominal_voltage: 230, max_current_a: \(amps), max_power_kw: \(maxKW)}
                points:
                  - signal: power_kw
                    offset: 0
                    type: M_ME_TF_1
                    unit: kW
                    description: "Active power {charger}"
                    groups: [1]
                    from: {action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}, {deadband: 0.1}]}
                  - signal: energy_kwh
                    offset: 1
                    type: M_IT_NA_1
                    unit: kWh
                    counter_group: 1
                    from: {action: MeterValues, measurand: Energy.Active.Import.Register, transform: [{unit: kWh}]}
                  - signal: status
                    offset: 2
                    type: M_SP_TB_1
                    from:
                      action: StatusNotification
                      transform: [{map: {Charging: true, SuspendedEV: true, SuspendedEVSE: true, Occupied: true, "*": false}}]
                  - signal: limit_readback_kw
                    offset: 3
                    type: M_ME_NC_1
                    unit: kW
                    from: {action: MeterValues, measurand: Power.Offered, transform: [{unit: kW}]}
                  - signal: alarm_overload
                    offset: 4
                    type: M_SP_TB_1
                    from: \(alarm)

            """
        for (index, phase) in ["L1", "L2", "L3"].enumerated() {
            points += """
                      - signal: current_\(phase.lowercased())_a
                        offset: \(5 + index)
                        type: M_ME_NC_1
                        unit: A
                        from: {action: MeterValues, measurand: Current.Import, phase: \(phase), transform: [{deadband: 0.5}]}

                """
        }
        points += """
                  - signal: soc_pct
                    offset: 8
                    type: M_ME_NC_1
                    unit: "%"
                    from: {action: MeterValues, measurand: SoC}
                  - signal: limit_kw
                    offset: 9
                    type: C_SE_NC_1
                    unit: kW
                    command:
                      action: SetChargingProfile
                      range: [0, \(maxKW)]
                      readback: limit_readback_kw
                      profile: {purpose: TxDefaultProfile, rate_unit: A}
            """
        return points
    }
}
