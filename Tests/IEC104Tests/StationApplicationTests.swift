import Testing
@testable import IEC104

/// A station with one float measurement (GI, group 1), one single point (GI), two counters and two set-points.
struct StationFixture {
    static let points: StationPoints = {
        do {
            return try StationPoints(
                monitor: [
                    MonitorPoint(address: 10, typeID: .M_ME_TF_1, groups: [1]),
                    MonitorPoint(address: 11, typeID: .M_SP_TB_1, groups: [2]),
                    MonitorPoint(address: 12, typeID: .M_ME_NB_1, inStationInterrogation: false),
                    MonitorPoint(address: 30, typeID: .M_IT_NA_1, counterGroup: 1),
                    MonitorPoint(address: 31, typeID: .M_IT_TB_1, counterGroup: 2),
                ],
                commands: [
                    CommandPoint(address: 20, typeID: .C_SE_NC_1, requiresSelect: true),
                    CommandPoint(address: 21, typeID: .C_SE_NC_1),
                    CommandPoint(address: 22, typeID: .C_SC_NA_1),
                ])
        } catch {
            preconditionFailure("fixture declarations are valid: \(error)")
        }
    }()

    var application = StationApplication(
        configuration: .init(commonAddress: 1, selectTimeout: .seconds(10), maximumObjectsPerASDU: 127,
                             asduParameters: .iec104),
        points: Self.points)
    var image = PointImage(points: Self.points)
    let wallClock = UTCDateTime(millisecondsSince1970: 1_795_000_000_000)

    mutating func send(_ asdu: ASDU, from connection: ConnectionID = 1, at now: Duration = .zero) throws -> [ApplicationOutput] {
        application.handle(try asdu.encoded(), from: connection, master: "test", now: now, wallClock: wallClock, image: image)
    }

    /// The replies among the outputs.
    static func replies(_ outputs: [ApplicationOutput]) -> [ASDU] {
        outputs.compactMap { if case let .reply(asdu) = $0 { asdu } else { nil } }
    }

    static func setpoint(_ value: Float, at address: UInt32, select: Bool, cause: Cause = .activation,
                         commonAddress: UInt16 = 1) -> ASDU {
        ASDU(typeID: .C_SE_NC_1, causeOfTransmission: CauseOfTransmission(cause, originatorAddress: 3),
             commonAddress: commonAddress,
             objects: [InformationObject(address: address, .setpointFloat(value, SetpointQualifier(select: select)))])
    }

    static let stationInterrogation = ASDU(
        typeID: .C_IC_NA_1, causeOfTransmission: CauseOfTransmission(.activation, originatorAddress: 7), commonAddress: 1,
        objects: [InformationObject(address: 0, .interrogation(qualifier: 20))])
}

@Suite("Station application: interrogation, read, clock")
struct StationInterrogationTests {
    @Test("GI: ACT_CON, untimed members with COT 20 and IV+NT before any update, ACT_TERM, originator echoed")
    func stationInterrogation() throws {
        var station = StationFixture()
        let replies = StationFixture.replies(try station.send(StationFixture.stationInterrogation))
        #expect(replies.count == 4)
        #expect(replies.first?.causeOfTransmission == CauseOfTransmission(.activationConfirmation, originatorAddress: 7))
        #expect(replies.last?.causeOfTransmission == CauseOfTransmission(.activationTermination, originatorAddress: 7))
        let float = replies[1]
        #expect(float.typeID == .M_ME_NC_1)
        #expect(float.causeOfTransmission == CauseOfTransmission(.interrogatedByStation, originatorAddress: 7))
        #expect(float.objects == [InformationObject(address: 10, .shortFloat(0, [.invalid, .notTopical]))])
        #expect(replies[2].typeID == .M_SP_NA_1)
        #expect(replies[2].objects.map(\.address) == [11])
    }

    @Test("GI reports the last published value and quality; group 1 only its member with COT 21")
    func interrogationAfterUpdate() throws {
        var station = StationFixture()
        let update = PointUpdate(address: 10, value: .float(14.4), quality: .notTopical)
        let point = try station.image.check(update)
        _ = station.image.apply(update, to: point, now: station.wallClock)
        let all = StationFixture.replies(try station.send(StationFixture.stationInterrogation))
        #expect(all[1].objects == [InformationObject(address: 10, .shortFloat(14.4, .notTopical))])

        var group = StationFixture.stationInterrogation
        group.objects = [InformationObject(address: 0, .interrogation(qualifier: 21))]
        let replies = StationFixture.replies(try station.send(group))
        #expect(replies.count == 3)
        #expect(replies[1].causeOfTransmission.cause == Cause.interrogatedByGroup(1))
        #expect(replies[1].objects.map(\.address) == [10])
    }

    @Test("Many points are packed several per ASDU within 249 octets")
    func packing() throws {
        let monitor = (1...100).map { MonitorPoint(address: UInt32($0), typeID: .M_ME_TF_1) }
        let points = try StationPoints(monitor: monitor)
        var application = StationApplication(
            configuration: .init(commonAddress: 1, selectTimeout: .seconds(10), maximumObjectsPerASDU: 127,
                                 asduParameters: .iec104), points: points)
        let outputs = application.handle(try StationFixture.stationInterrogation.encoded(), from: 1, master: "",
                                         now: .zero, wallClock: StationFixture().wallClock, image: PointImage(points: points))
        let data = StationFixture.replies(outputs).dropFirst().dropLast()
        #expect(data.map(\.objects.count) == [30, 30, 30, 10])
        #expect(try data.allSatisfy { try $0.encoded().count <= 249 })
        #expect(data.flatMap(\.objects).map(\.address) == (1...100).map { UInt32($0) })
    }

    @Test("Counter interrogation: general → both totals with COT 37; group 2 → COT 39; freeze refused")
    func counterInterrogation() throws {
        var station = StationFixture()
        func request(_ rqt: UInt8, freeze: UInt8 = 0) -> ASDU {
            ASDU(typeID: .C_CI_NA_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                 objects: [InformationObject(address: 0, .counterInterrogation(.init(request: rqt, freeze: freeze)))])
        }
        let general = StationFixture.replies(try station.send(request(5)))
        #expect(general.count == 3)
        #expect(general[1].typeID == .M_IT_NA_1)
        #expect(general[1].causeOfTransmission.cause == .requestedByGeneralCounter)
        #expect(general[1].objects.map(\.address) == [30, 31])
        let group = StationFixture.replies(try station.send(request(2)))
        #expect(group[1].causeOfTransmission.cause == Cause.requestedByCounterGroup(2))
        #expect(group[1].objects.map(\.address) == [31])
        let freeze = StationFixture.replies(try station.send(request(5, freeze: 1)))
        #expect(freeze.count == 1)
        #expect(freeze[0].causeOfTransmission.isNegative)
    }

    @Test("Read: the point in its own type with COT 5; unknown IOA → COT 47")
    func read() throws {
        var station = StationFixture()
        let read = ASDU(typeID: .C_RD_NA_1, causeOfTransmission: CauseOfTransmission(.request), commonAddress: 1,
                        objects: [InformationObject(address: 10, .read)])
        let answer = StationFixture.replies(try station.send(read))
        #expect(answer.count == 1)
        #expect(answer[0].typeID == .M_ME_TF_1)
        #expect(answer[0].causeOfTransmission.cause == .request)
        var unknown = read
        unknown.objects = [InformationObject(address: 999, .read)]
        let refused = StationFixture.replies(try station.send(unknown))
        #expect(refused.first?.causeOfTransmission == CauseOfTransmission(.unknownObjectAddress, isNegative: true))
    }

    @Test("Clock synchronization: positive ACT_CON with the master's time; the offset is kept")
    func clockSync() throws {
        var station = StationFixture()
        let masterTime = UTCDateTime(millisecondsSince1970: station.wallClock.millisecondsSince1970 + 1500)
        let tag = try #require(CP56Time2a(masterTime))
        let sync = ASDU(typeID: .C_CS_NA_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                        objects: [InformationObject(address: 0, .clockSynchronization(tag))])
        let answer = StationFixture.replies(try station.send(sync))
        #expect(answer == [sync.answer(.activationConfirmation)])
        #expect(station.application.clockOffsetMilliseconds == 1500)
    }

    @Test("Negative answers: unknown type 44, unknown cause 45, unknown CA 46, unknown IOA 47")
    func negativeCauses() throws {
        var station = StationFixture()
        var unknownType = try StationFixture.stationInterrogation.encoded()
        unknownType[0] = 0x7F
        let mirrored = station.application.handle(unknownType, from: 1, master: "", now: .zero,
                                                  wallClock: station.wallClock, image: station.image)
        var expected = unknownType
        expected[2] = 0x40 | 44
        #expect(mirrored == [.replyRaw(expected)])

        let monitorType = ASDU(typeID: .M_ME_NC_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
                               objects: [InformationObject(address: 10, .shortFloat(1, .good))])
        #expect(StationFixture.replies(try station.send(monitorType)).first?.causeOfTransmission.cause == .unknownTypeID)

        var wrongCause = StationFixture.stationInterrogation
        wrongCause.causeOfTransmission.cause = .spontaneous
        #expect(StationFixture.replies(try station.send(wrongCause)).first?.causeOfTransmission.cause == .unknownCause)

        let wrongCA = StationFixture.setpoint(5, at: 21, select: false, commonAddress: 9)
        #expect(StationFixture.replies(try station.send(wrongCA)).first?.causeOfTransmission.cause == .unknownCommonAddress)

        var broadcast = StationFixture.stationInterrogation
        broadcast.commonAddress = 0xFFFF
        let broadcastReplies = StationFixture.replies(try station.send(broadcast))
        #expect(broadcastReplies.count == 4)
        #expect(broadcastReplies.allSatisfy { $0.commonAddress == 1 })

        let unknownIOA = StationFixture.setpoint(5, at: 4242, select: false)
        let refused = StationFixture.replies(try station.send(unknownIOA))
        #expect(refused.first?.causeOfTransmission == CauseOfTransmission(.unknownObjectAddress, isNegative: true,
                                                                          originatorAddress: 3))
        #expect(station.application.counters.unknownObjectAddress == 1)
        #expect(station.application.counters.unknownType == 2)
    }
}
