import Testing
@testable import Rules

@Suite("Rule graph")
struct GraphTests {
    static let site = Fixture.site("""
    templates:
      ac: &ac
        ocpp: ["1.6", "2.0.1"]
        evses: 2
        electrical: {phases: 3, nominal_voltage: 230, max_power_kw: 22}
        points:
          - {signal: power_kw, offset: 0, type: M_ME_TF_1, unit: kW, description: "P {charger}",
             from: [{action: MeterValues, measurand: Power.Active.Import, transform: [{unit: kW}]},
                    {action: TransactionEvent, measurand: Power.Active.Import, transform: [{unit: kW}]}]}
          - {signal: derived_kw, offset: 1, type: M_ME_NC_1, unit: kW,
             from: {action: MeterValues, transform: [{derive: power}, {unit: kW}]}}
          - {signal: energy_kwh, offset: 2, type: M_IT_NA_1, unit: kWh, counter_group: 2,
             from: {action: MeterValues, measurand: Energy.Active.Import.Register, transform: [{unit: kWh}]}}
          - {signal: status, offset: 3, evse: 2, type: M_DP_TB_1, groups: [3],
             from: {action: StatusNotification, transform: [{map: {Available: off, Charging: on, "*": indeterminate}}]}}
          - {signal: limit_kw, offset: 10, type: C_SE_NC_1, unit: kW,
             command: {action: SetChargingProfile, range: [0, 22], profile: {rate_unit: A, stack_level: 3}, readback: power_kw}}
    chargers:
      - {id: "CP{n:03}", count: 3, first: 7, template: ac, ioa_base: 100, ioa_stride: 20}
      - id: SOLO
        template: ac
        ioa_base: 500
        common_address: 9
        ocpp: ["2.0.1"]
    site:
      points:
        - {signal: site_kw, ioa: 10, type: M_ME_TF_1, unit: MW, aggregate: {sum: power_kw}}
        - {signal: site_limit_kw, ioa: 11, type: C_SE_NC_1, unit: kW, command: {distribute: {to: limit_kw}, range: [0, 50]}}
    """)

    @Test("ranges expand to numbered chargers with strided IOA blocks")
    func rangesExpand() throws {
        let graph = try #require(Fixture.graph(Self.site))
        #expect(graph.chargers.map(\.id) == ["CP007", "CP008", "CP009", "SOLO"])
        let cp8 = try #require(graph.chargerIndex["CP008"])
        let power = try #require(graph.pointIndex[PointAddress(ca: 1, ioa: 120)])
        #expect(graph.points[power].signal == "power_kw")
        #expect(graph.points[power].owner == .charger(cp8))
        #expect(graph.points[power].description == "P CP008")
        #expect(graph.pointIndex[PointAddress(ca: 9, ioa: 500)] != nil)
        #expect(graph.pointIndex[PointAddress(ca: 1, ioa: 500)] == nil)
    }

    @Test("monitor index finds rules by charger, action and measurand; versions are narrowed per charger")
    func monitorIndex() throws {
        let graph = try #require(Fixture.graph(Self.site))
        let solo = try #require(graph.chargerIndex["SOLO"])
        let rules = graph.monitorRules(charger: solo, action: "MeterValues", measurand: "Power.Active.Import")
        #expect(rules.count == 1)
        #expect(graph.monitorRules[rules[0]].versions == [.v201])
        #expect(graph.monitorRules(charger: solo, action: "MeterValues", measurand: "Voltage").isEmpty)
        let cp7 = try #require(graph.chargerIndex["CP007"])
        let tx = graph.monitorRules(charger: cp7, action: "TransactionEvent", measurand: "Power.Active.Import")
        #expect(tx.count == 1 && graph.monitorRules[tx[0]].versions == [.v201])
    }

    @Test("unit conversions and derivation resolve to constant factors")
    func conversions() throws {
        let graph = try #require(Fixture.graph(Self.site))
        let cp7 = try #require(graph.chargerIndex["CP007"])
        let power = graph.monitorRules[graph.monitorRules(charger: cp7, action: "MeterValues", measurand: "Power.Active.Import")[0]]
        #expect(power.steps == [.affine(scale: 0.001, offset: 0)])
        #expect(power.sourceUnit?.symbol == "W")
        let register = graph.monitorRules(charger: cp7, action: "MeterValues", measurand: "Energy.Active.Import.Register")
        let derived = try #require(register.map { graph.monitorRules[$0] }.first { graph.points[$0.target].signal == "derived_kw" })
        #expect(derived.steps == [.derivePower(scale: 3600), .affine(scale: 0.001, offset: 0)])
    }

    @Test("kW set-points convert to amperes per phase from voltage and phases")
    func setpointToAmperes() throws {
        let graph = try #require(Fixture.graph(Self.site))
        let rule = try #require(graph.controlRule(at: PointAddress(ca: 1, ioa: 110)))
        guard case .setChargingProfile(let purposes, let stack, let unit, let evse, let factor) = rule.action else {
            Issue.record("expected SetChargingProfile, got \(rule.action)")
            return
        }
        #expect(purposes == [.v16: "ChargePointMaxProfile", .v201: "ChargingStationMaxProfile"])
        #expect(stack == 3 && unit == "A" && evse == 0)
        #expect(abs(factor - 1000.0 / (230 * 3)) < 1e-12)
        #expect(rule.range == 0...22)
        let readback = try #require(rule.readback)
        #expect(graph.points[readback].signal == "power_kw")
    }

    @Test("commands are looked up by IEC type and address; the time-tagged form of a set-point matches too")
    func commandLookup() throws {
        let graph = try #require(Fixture.graph(Self.site))
        let limit = PointAddress(ca: 1, ioa: 110)
        guard case .rule(let rule) = graph.lookupCommand(typeID: 50, at: limit), case .rule = graph.lookupCommand(typeID: 63, at: limit) else {
            Issue.record("C_SE_NC_1 and C_SE_TC_1 should both reach the limit rule")
            return
        }
        #expect(graph.points[rule.point].signal == "limit_kw")
        guard case .wrongType(let expected) = graph.lookupCommand(typeID: 48, at: limit) else {
            Issue.record("a normalized set-point at a float set-point point is the wrong type")
            return
        }
        #expect(expected.name == "C_SE_NC_1")
        guard case .unknownAddress = graph.lookupCommand(typeID: 50, at: PointAddress(ca: 1, ioa: 999)) else {
            Issue.record("IOA 999 holds no point")
            return
        }
        guard case .notACommandPoint(let type) = graph.lookupCommand(typeID: 50, at: PointAddress(ca: 1, ioa: 100)) else {
            Issue.record("IOA 100 is a monitor point")
            return
        }
        #expect(type.name == "M_ME_TF_1")
    }

    @Test("site aggregate sums every charger's signal scaled into the site unit; site limit reaches every charger")
    func siteAggregates() throws {
        let graph = try #require(Fixture.graph(Self.site))
        let aggregate = try #require(graph.aggregates.first)
        #expect(aggregate.members.count == 4)
        #expect(aggregate.members.allSatisfy { abs($0.factor - 0.001) < 1e-15 })
        let siteLimit = try #require(graph.controlRule(at: PointAddress(ca: 1, ioa: 11)))
        guard case .distribute(let signal, let rules) = siteLimit.action else {
            Issue.record("expected distribute")
            return
        }
        #expect(signal == "limit_kw" && rules.count == 4)
    }

    @Test("interrogation groups and counters are indexed")
    func interrogation() throws {
        let graph = try #require(Fixture.graph(Self.site))
        #expect(graph.counters.count == 4)
        #expect(graph.counterGroups[1].count == 4)
        #expect(graph.interrogationGroups[2].count == 4)
        #expect(graph.generalInterrogation.allSatisfy { graph.points[$0].type.valueKind != .integratedTotal })
        #expect(graph.generalInterrogation.allSatisfy { graph.points[$0].direction == .monitor })
        let status = try #require(graph.pointIndex[PointAddress(ca: 1, ioa: 103)])
        #expect(graph.points[status].evse == 2)
        #expect(graph.points[status].type.withoutTimeTag.name == "M_DP_NA_1")
    }

    @Test("a template error is reported once, with a count of the chargers that repeat it")
    func templateErrorsDeduplicated() {
        let report = Fixture.load(Fixture.site("""
        templates:
          t:
            points:
              - {signal: p, offset: 0, type: M_ME_TF_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import}}
        chargers:
          - {id: "C{n}", count: 50, template: t, ioa_base: 1, ioa_stride: 1}
        """))
        let errors = Fixture.errors(report)
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("unit mismatch") == true)
        #expect(errors.first?.repeats == 49)
    }

    @Test("overlapping point blocks are reported once per pair of chargers, naming both")
    func overlappingBlocks() {
        let report = Fixture.load(Fixture.site("""
        templates:
          t:
            points:
              - {signal: a, offset: 0, type: M_SP_NA_1, from: {action: StatusNotification, transform: [{map: {Charging: true, "*": false}}]}}
              - {signal: b, offset: 1, type: M_SP_NA_1, from: {action: StatusNotification, transform: [{map: {Faulted: true, "*": false}}]}}
              - {signal: c, offset: 2, type: M_SP_NA_1, from: {action: StatusNotification, transform: [{map: {Available: true, "*": false}}]}}
        chargers:
          - {id: A, template: t, ioa_base: 100}
          - {id: B, template: t, ioa_base: 101}
        """))
        let errors = Fixture.errors(report)
        #expect(errors.count == 1)
        #expect(errors[0].message.contains("'B' overlaps charger 'A'"))
        #expect(errors[0].message.contains("IOA 101 and 1 more"))
        #expect(errors[0].location.mark.line == 11)
        #expect(errors[0].related.first?.location.mark.line == 10)
    }
}
