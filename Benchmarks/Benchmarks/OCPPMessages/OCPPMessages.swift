import Benchmark
import OCPP

/// The hot path of a legacy charger's traffic: one 1.6 MeterValues frame with six sampled values, read as a
/// frame, checked against the official schema and normalized into typed samples (one value needs a repair).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(10),
        maxIterations: 1_000_000
    )

    let frame = #"[2,"19223201","MeterValues",{"connectorId":1,"transactionId":42,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":[{"value":"14.4kW","measurand":"Power.Active.Import","unit":"kW"},{"value":"12345.6","measurand":"Energy.Active.Import.Register","unit":"kWh"},{"value":"230.1","measurand":"Voltage","phase":"L1","unit":"V"},{"value":"31.9","measurand":"Current.Import","phase":"L1","unit":"A"},{"value":"22","measurand":"Power.Offered","unit":"kW"},{"value":"35","measurand":"Temperature","unit":"Celsius","location":"Body"}]}]}]"#
    guard let schema = OfficialSchemas.bundled.schema(for: "MeterValues", .request, version: .v16) else {
        preconditionFailure("the bundled 1.6 MeterValues schema loads")
    }

    Benchmark("1.6 MeterValues, 6 values: parse + validate + normalize") { benchmark in
        for _ in benchmark.scaledIterations {
            guard case let .frame(.call(id, action, payload)) = RPCFrameParser.parse(frame, version: .v16) else {
                preconditionFailure("the benchmark frame is a CALL")
            }
            blackHole(schema.validate(.object(payload)))
            let call = IncomingCall(identity: "CP001", version: .v16, id: id, action: action, payload: payload)
            blackHole(Normalizer.normalize(call, policy: .lenient))
        }
    }

    Benchmark("1.6 MeterValues, 6 values: parse only") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(RPCFrameParser.parse(frame, version: .v16))
        }
    }
}
