import Gateway
import Rules

/// A small in-memory site and helpers for the rule-test runner's tests.
enum RuleTestsFixture {
    /// One 1.6 charger with a power point and a limit, and the site's power total.
    static let site = """
    version: 1
    station: {common_address: 1}
    site:
      name: runner test site
      points:
        - {signal: site_power_kw, ioa: 10, type: M_ME_TF_1, unit: kW, aggregate: {sum: power_kw}}
    chargers:
      - id: CP1
        ocpp: ["1.6"]
        electrical: {phases: 3, nominal_voltage: 230, max_power_kw: 22}
        ioa_base: 100
        points:
          - signal: power_kw
            offset: 0
            type: M_ME_TF_1
            unit: kW
            from: {action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}]}
          - signal: limit_kw
            offset: 50
            type: C_SE_NC_1
            unit: kW
            command: {action: SetChargingProfile, range: [0, 22], profile: {purpose: TxDefaultProfile}}
    """

    /// A passing test of the site: a legacy value, a set-point and its confirmation.
    static let passing = """
    site: site.yaml
    tests:
      - name: power and a limit
        ignore_ocpp: [{action: TriggerMessage}]
        steps:
          - connect: CP1
          - ocpp:
              charger: CP1
              action: MeterValues
              payload: {connectorId: 1, meterValue: [{timestamp: "${now}", sampledValue: [{value: "14.4kW", measurand: Power.Active.Import}]}]}
          - expect_iec:
              - {type: M_ME_TF_1, ioa: 100, value: 14.4, quality: [], cot: 3, time: 2026-01-01T00:00:00Z}
              - {signal: site_power_kw, value: 14.4, quality: []}
          - after: 5s
            iec: {signal: limit_kw, charger: CP1, value: 20}
          - expect_ocpp: [{charger: CP1, action: SetChargingProfile, payload: {connectorId: 0}}]
          - reply: Accepted
          - expect_iec: [{confirm: positive, ioa: 150}]
    """

    /// The same timeline expecting a wrong value at step 3.
    static let failing = """
    site: site.yaml
    tests:
      - name: wrong power
        ignore_ocpp: [{action: TriggerMessage}]
        steps:
          - connect: CP1
          - ocpp:
              charger: CP1
              action: MeterValues
              payload: {connectorId: 1, meterValue: [{timestamp: "${now}", sampledValue: [{value: "14.4kW", measurand: Power.Active.Import}]}]}
          - expect_iec: [{ioa: 100, value: 7.4}]
      - name: nothing happens
        steps:
          - no_iec: true
    """

    /// A runner reading the site from memory.
    static func runner(path: MonitorPath = .compiled) -> RuleTestRunner {
        RuleTestRunner(path: path, provider: MemoryFiles([RuleSource(path: "site/site.yaml", text: site)]))
    }

    /// Runs a test file's text as `site/NAME`.
    static func run(_ text: String, name: String = "site.test.yaml", path: MonitorPath = .compiled) -> RuleTestFileReport {
        runner(path: path).run(file: "site/\(name)", bytes: Array(text.utf8))
    }
}
