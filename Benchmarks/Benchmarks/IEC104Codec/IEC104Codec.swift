import Benchmark
import IEC104

/// Encoding and decoding M_ME_TF_1 APDUs (APCI + ASDU) with one and with sixteen objects.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(10),
        maxIterations: 1_000_000
    )

    let time = CP56Time2a(milliseconds: 15_250, minute: 30, hour: 12, dayOfMonth: 1, dayOfWeek: 7, month: 3, year: 26)
    func asdu(objects: Int) -> ASDU {
        ASDU(typeID: .M_ME_TF_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
             objects: (0..<objects).map {
                 InformationObject(address: 1000 + UInt32($0) * 100, .shortFloatWithTime(14.4, .good, time))
             })
    }

    for count in [1, 16] {
        let message = asdu(objects: count)
        guard let octets = try? APDU.information(send: .zero, receive: .zero, asdu: message.encoded()).encoded() else {
            preconditionFailure("the benchmark's ASDU encodes")
        }

        Benchmark("encode M_ME_TF_1 APDU, \(count) object(s)") { benchmark in
            for _ in benchmark.scaledIterations {
                let asduOctets = try message.encoded()
                blackHole(try APDU.information(send: .zero, receive: .zero, asdu: asduOctets).encoded())
            }
        }

        Benchmark("decode M_ME_TF_1 APDU, \(count) object(s)") { benchmark in
            for _ in benchmark.scaledIterations {
                guard case let .frame(.information(_, _, asduOctets), _) = APDUDecoder.decode(octets) else {
                    preconditionFailure("the benchmark's APDU decodes")
                }
                blackHole(try ASDU.decode(asduOctets))
            }
        }
    }
}
