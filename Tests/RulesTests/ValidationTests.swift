import Testing
@testable import Rules

@Suite("Validation messages")
struct ValidationTests {
    /// The error messages of a site made of one charger with the given point list.
    func errors(points: String, charger: String = "ocpp: [\"1.6\"]") -> [String] {
        let text = Fixture.site("""
        chargers:
          - id: CP1
            ioa_base: 100
            \(charger)
            points:
        \(points)
        """)
        return Fixture.errors(Fixture.load(text)).map(\.message)
    }

    @Test("unknown keys suggest the nearest known key")
    func didYouMean() {
        let report = Fixture.load("station: {common_adress: 1}\n")
        #expect(Fixture.errors(report).contains { $0.message == "unknown key 'common_adress'; did you mean 'common_address'?" })
    }

    @Test("IEC types are checked by name and number and must fit the rule")
    func types() {
        #expect(errors(points: "      - {signal: p, offset: 0, type: 103}").contains { $0.contains("C_CS_NA_1 (103) is a station-level type") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_ME_TF_1, unit: kW, command: {action: SetChargingProfile}}")
            .contains { $0.contains("M_ME_TF_1 (36) is a monitor type") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: C_SC_NA_1, command: {action: SetChargingProfile}}")
            .contains { $0.contains("needs a set-point type") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: 50, unit: kW, command: {action: ChangeAvailability}}")
            .contains { $0.contains("needs a single or double command") })
    }

    @Test("actions must exist in the charger's OCPP version and run in the right direction")
    func actions() {
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_SP_TB_1, from: {action: NotifyEvent, component: X}}")
            .contains { $0.contains("NotifyEvent does not exist in OCPP 1.6") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_SP_TB_1, from: {action: SetChargingProfile}}")
            .contains { $0.contains("is sent by the central system") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_ME_NC_1, unit: kW, from: {action: MeterValue}}")
            .contains { $0.contains("did you mean 'MeterValues'") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: 50, unit: kW, command: {action: SetChargingProfile, profile: {purpose: ChargingStationMaxProfile}}}")
            .contains { $0.contains("purpose 'ChargingStationMaxProfile' does not exist in OCPP 1.6") })
    }

    @Test("transform chains are checked dimension by dimension")
    func dimensions() {
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_ME_NC_1, unit: kW, from: {action: MeterValues, measurand: Current.Import, transform: [{unit: kW}]}}")
            .contains { $0.contains("needs the charger's electrical.nominal_voltage and electrical.phases") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_ME_NC_1, unit: kW, from: {action: MeterValues, measurand: Current.Import, transform: [{unit: kW}]}}",
                       charger: "electrical: {phases: 3, nominal_voltage: 230}").isEmpty)
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_ME_NC_1, unit: kWh, from: {action: MeterValues, measurand: Voltage, transform: [{unit: kWh}]}}")
            .contains { $0.contains("cannot convert V (voltage) to kWh (energy)") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_ME_NC_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import, transform: [{derive: power}]}}")
            .contains { $0.contains("'derive: power' needs an energy register") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_SP_NA_1, from: {action: StatusNotification}}")
            .contains { $0.contains("status names need a 'map'") })
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_SP_NA_1, from: {action: StatusNotification, transform: [{map: {Ocupied: true}}]}}")
            .contains { $0 == "'Ocupied' is not a connector status of OCPP 1.6 or 2.0.1; did you mean 'Occupied'?" })
        #expect(errors(points: "      - {signal: p, offset: 0, type: M_IT_NA_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}]}}")
            .contains { $0.contains("integrated total") })
    }

    @Test("references resolve: templates, readbacks, EVSEs, aggregates")
    func references() {
        let report = Fixture.load(Fixture.site("""
        templates:
          ac22: {}
        chargers:
          - {id: A, template: ac2, ioa_base: 1}
        """))
        #expect(Fixture.errors(report).contains { $0.message == "unknown template 'ac2'; did you mean 'ac22'?" })
        #expect(errors(points: "      - {signal: l, offset: 0, type: 50, unit: kW, command: {action: SetChargingProfile, readback: nope}}")
            .contains { $0.contains("readback 'nope' names no point") })
        #expect(errors(points: "      - {signal: p, offset: 0, evse: 3, type: M_SP_NA_1, from: {action: StatusNotification, transform: [{map: {Charging: true}}]}}")
            .contains { $0.contains("EVSE 3 does not exist on charger 'CP1'") })
    }

    @Test("durations, rates and percentages are parsed strictly")
    func scalars() {
        let report = Fixture.load("station: {common_address: 1, select_timeout: 15 sec}\n")
        #expect(Fixture.errors(report).contains { $0.message.contains("invalid duration '15 sec'") })
        #expect(errors(points: "      - {signal: l, offset: 0, type: 50, unit: kW, command: {action: SetChargingProfile, rate_limit: often}}")
            .contains { $0.contains("invalid rate 'often'") })
        #expect(errors(points: "      - {signal: l, offset: 0, type: 50, unit: kW, command: {action: SetChargingProfile, select_before_operate: {above_change: 120%}}}")
            .contains { $0.contains("out of range") })
        #expect(errors(points: "      - {signal: l, offset: 0, type: 50, unit: kW, command: {action: SetChargingProfile, rate_limit: 6/min, select_before_operate: always}}").isEmpty)
    }

    @Test("quoted numbers are strings: \"4001\" is not an IOA")
    func scalarStyleMatters() {
        #expect(errors(points: "      - {signal: p, ioa: \"4001\", type: M_SP_NA_1, from: {action: StatusNotification, transform: [{map: {Charging: true}}]}}")
            .contains { $0.contains("expected an integer for IOA, found a string") })
    }
}
