@testable import IEC104

/// A station with a point of each monitored kind and a set-point with and without select-before-operate.
let points: StationPoints = {
    do {
        return try StationPoints(
            monitor: [
                MonitorPoint(address: 1, typeID: .M_ME_TF_1, groups: [1]),
                MonitorPoint(address: 2, typeID: .M_SP_TB_1),
                MonitorPoint(address: 3, typeID: .M_IT_NA_1, counterGroup: 1),
            ],
            commands: [
                CommandPoint(address: 10, typeID: .C_SE_NC_1, requiresSelect: true),
                CommandPoint(address: 11, typeID: .C_SC_NA_1),
            ])
    } catch {
        preconditionFailure("the fuzz station's points are valid")
    }
}()

/// libFuzzer entry: the bytes are a script of ASDUs from up to three masters, with time passing between
/// them and the handler answering yes or no. Whatever arrives, every answer the station produces encodes,
/// every raw mirror keeps the request's length, and no command stays pending after its answer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStation(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var script = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) }?[...] ?? []
    var application = StationApplication(
        configuration: .init(commonAddress: 1, selectTimeout: .seconds(10), maximumObjectsPerASDU: 127,
                             asduParameters: .iec104),
        points: points)
    let image = PointImage(points: points)
    let wallClock = UTCDateTime(millisecondsSince1970: 1_795_000_000_000)
    var now = Duration.zero
    while script.count >= 2 {
        let control = script.removeFirst()
        let length = Int(script.removeFirst())
        let asdu = Array(script.prefix(length))
        script = script.dropFirst(length)
        let connection = ConnectionID(control & 0x03)
        now += .seconds(Int(control >> 4))
        if control & 0x08 != 0 { application.connectionClosed(connection) }
        for output in application.handle(asdu, from: connection, master: "fuzz", now: now, wallClock: wallClock,
                                         image: image) {
            switch output {
            case let .reply(answer):
                precondition((try? answer.encoded()) != nil, "a reply always encodes: \(answer)")
            case let .replyRaw(octets):
                precondition(octets.count == asdu.count, "a mirror keeps the request's length")
            case let .dispatch(id, _):
                let answer: CommandAnswer = control & 0x04 != 0 ? .accepted : .rejected(reason: "fuzz")
                if let completion = application.completeCommand(id: id, answer: answer, now: now) {
                    for reply in completion.replies {
                        precondition((try? reply.encoded()) != nil, "a confirmation always encodes")
                    }
                }
                precondition(application.pending[id] == nil, "an answered command is no longer pending")
            case .refused:
                break
            }
        }
    }
    return 0
}
