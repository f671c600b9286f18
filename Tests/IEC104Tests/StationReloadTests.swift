import Testing
@testable import IEC104

@Suite("Station: what the gateway needs for rule reloads and select-before-operate thresholds")
struct StationReloadTests {
    /// Sends a command and answers it `.accepted`; returns the request the handler saw.
    func command(_ station: inout StationFixture, _ asdu: ASDU, at now: Duration) throws -> CommandRequest? {
        let outputs = try station.send(asdu, at: now)
        for case let .dispatch(id, request) in outputs {
            _ = station.application.completeCommand(id: id, answer: .accepted, now: now)
            return request
        }
        return nil
    }

    @Test("An execute says whether it consumed this master's selection")
    func executeFollowsSelection() throws {
        var station = StationFixture()
        let direct = try command(&station, StationFixture.setpoint(5, at: 21, select: false), at: .zero)
        #expect(direct?.followsSelection == false)
        #expect(try command(&station, StationFixture.setpoint(6, at: 21, select: true), at: .seconds(1))?.phase == .select)
        let selected = try command(&station, StationFixture.setpoint(6, at: 21, select: false), at: .seconds(2))
        #expect(selected?.followsSelection == true)
        let again = try command(&station, StationFixture.setpoint(6, at: 21, select: false), at: .seconds(3))
        #expect(again?.followsSelection == false)
    }

    @Test("New points: values of points that keep address and type survive, others start unknown")
    func imageKeepsUnchangedPoints() throws {
        var image = PointImage(points: StationFixture.points)
        let point = try image.check(PointUpdate(address: 10, value: .float(7)))
        _ = image.apply(PointUpdate(address: 10, value: .float(7)), to: point, now: StationFixture().wallClock)
        let retyped = try image.check(PointUpdate(address: 11, value: .single(true)))
        _ = image.apply(PointUpdate(address: 11, value: .single(true)), to: retyped, now: StationFixture().wallClock)
        let next = try StationPoints(monitor: [
            MonitorPoint(address: 10, typeID: .M_ME_TF_1),
            MonitorPoint(address: 11, typeID: .M_DP_TB_1),
            MonitorPoint(address: 40, typeID: .M_ME_NC_1),
        ])
        image.replacePoints(next)
        #expect(image.object(at: 10, as: .M_ME_NC_1)?.element == .shortFloat(7, .good))
        #expect(image.object(at: 11, as: .M_DP_NA_1)?.element
            == .doublePoint(DoublePoint(.indeterminate, quality: [.invalid, .notTopical])))
        #expect(image.object(at: 40, as: .M_ME_NC_1)?.element == .shortFloat(0, [.invalid, .notTopical]))
        #expect(image.object(at: 12, as: .M_ME_NB_1) == nil)
    }

    @Test("New points: a selection survives on a command point that keeps address and type, and only there")
    func selectionsSurviveUnchangedPoints() throws {
        var station = StationFixture()
        _ = try command(&station, StationFixture.setpoint(100, at: 20, select: true), at: .zero)
        _ = try command(&station, StationFixture.setpoint(5, at: 21, select: true), at: .zero)
        let next = try StationPoints(monitor: [], commands: [
            CommandPoint(address: 20, typeID: .C_SE_NC_1, requiresSelect: true),
            CommandPoint(address: 21, typeID: .C_SE_NB_1),
        ])
        station.application.replacePoints(next)
        #expect(station.application.selections[20] != nil)
        #expect(station.application.selections[21] == nil)
        let executed = try command(&station, StationFixture.setpoint(100, at: 20, select: false), at: .seconds(1))
        #expect(executed?.followsSelection == true)
    }
}
