// swift-tools-version: 6.1
// Benchmarks of the YAML reader, the rule loader, the IEC 104 codec, the OCPP message path and the gateway path
// (MeterValues frame in → APDU out; ordo-one package-benchmark), and the IEC 104 throughput harness.
// Run with `Benchmarks/run.sh` (or `swift package --package-path Benchmarks benchmark`).
import PackageDescription

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "ocpp809", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "RulesLoad",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "YAML", package: "ocpp809"),
                .product(name: "Rules", package: "ocpp809"),
            ],
            path: "Benchmarks/RulesLoad",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "IEC104Codec",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "IEC104", package: "ocpp809"),
            ],
            path: "Benchmarks/IEC104Codec",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "OCPPMessages",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "OCPP", package: "ocpp809"),
            ],
            path: "Benchmarks/OCPPMessages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "GatewayPath",
            dependencies: [
                "GatewayPathSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Gateway", package: "ocpp809"),
            ],
            path: "Benchmarks/GatewayPath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The GatewayPath benchmarks' fixture, and their loops without the harness for profilers.
        .target(
            name: "GatewayPathSupport",
            dependencies: [
                .product(name: "Gateway", package: "ocpp809"),
                .product(name: "OCPP", package: "ocpp809"),
                .product(name: "IEC104", package: "ocpp809"),
                .product(name: "Rules", package: "ocpp809"),
            ],
            path: "Benchmarks/GatewayPathSupport"
        ),
        .executableTarget(
            name: "GatewayPathProfile",
            dependencies: ["GatewayPathSupport", .product(name: "Gateway", package: "ocpp809")],
            path: "Benchmarks/GatewayPathProfile"
        ),
        .executableTarget(
            name: "IEC104Throughput",
            dependencies: [
                .product(name: "IEC104", package: "ocpp809"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/IEC104Throughput"
        ),
    ]
)
