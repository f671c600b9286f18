import Benchmark
import Gateway
import GatewayPathSupport

/// The gateway's hot path on one core, each benchmark run for both monitor paths (compiled and interpreted), on
/// the demo site `rules/default.yaml`:
/// - `engine`: the rule engine alone, a normalized 1.6 MeterValues of CP004 (six values, power passes the deadband);
/// - `frame→apdu`: the raw CALL text → frame parser → schema check → normalizer → engine → one I-frame per update;
/// - `derive`: the rule engine alone, a legacy CP001 energy register → derived power behind `min_interval: 5s`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .cpuTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(10),
        maxIterations: 1_000_000
    )

    let fixture = GatewayPathFixture()

    for path in MonitorPath.allCases {
        Benchmark("engine, CP004 1.6 MeterValues, 6 values (\(path))") { benchmark in
            var engine = fixture.connectedEngine(path, charger: "CP004")
            let events = fixture.powerEvents
            var time = GatewayPathFixture.t0
            benchmark.startMeasurement()
            for iteration in benchmark.scaledIterations {
                time += 1
                blackHole(engine.received(events[iteration & 1], action: "MeterValues", from: "CP004", at: time))
            }
        }

        Benchmark("frame→apdu, CP004 1.6 MeterValues, 6 values (\(path))") { benchmark in
            var engine = fixture.connectedEngine(path, charger: "CP004")
            var encoder = UpdateEncoder(points: fixture.stationPoints, commonAddress: fixture.commonAddress)
            let frames = fixture.powerFrames
            var time = GatewayPathFixture.t0
            benchmark.startMeasurement()
            for iteration in benchmark.scaledIterations {
                time += 1
                blackHole(fixture.frameToAPDUs(frames[iteration % frames.count], engine: &engine, encoder: &encoder,
                                               at: time))
            }
        }

        Benchmark("derive, CP001 1.6 MeterValues, energy register (\(path))") { benchmark in
            var engine = fixture.connectedEngine(path, charger: "CP001")
            let events = fixture.registerEvents
            var time = GatewayPathFixture.t0
            benchmark.startMeasurement()
            for iteration in benchmark.scaledIterations {
                time += 1
                blackHole(engine.received(events[iteration % events.count], action: "MeterValues", from: "CP001",
                                          at: time))
            }
        }
    }
}
