import Benchmark
import Rules
import YAML

/// Reading a 10,000-charger site (≈100,000 points): YAML alone, and the whole load (parse, decode, validate).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(30),
        maxIterations: 10
    )

    // Generated once, before anything is measured.
    let bytes = Array(SiteGenerator.site(chargers: 10_000).utf8)

    Benchmark("YAMLParser.parse 10,000-charger site") { benchmark in
        for _ in benchmark.scaledIterations {
            let stream = YAMLParser.parse(bytes)
            precondition(stream.errors.isEmpty, "\(stream.errors.prefix(3))")
            blackHole(stream)
        }
    }

    Benchmark("load 10,000-charger site") { benchmark in
        for _ in benchmark.scaledIterations {
            let report = RuleLoader.load([RuleSource(path: "site.yaml", bytes: bytes)])
            precondition(report.errorCount == 0, "\(report.diagnostics.prefix(3))")
            let graph = report.sites.first?.graph
            precondition(graph?.chargers.count == 10_000 && graph?.points.count == 100_000, "not the whole site")
            blackHole(report)
        }
    }
}
