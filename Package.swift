// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ocpp809",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "YAML", targets: ["YAML"]),
        .library(name: "Rules", targets: ["Rules"]),
        .library(name: "IEC104", targets: ["IEC104"]),
        .library(name: "TransportSecurity", targets: ["TransportSecurity"]),
        .library(name: "OCPP", targets: ["OCPP"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "Admin", targets: ["Admin"]),
        .executable(name: "ocpp809", targets: ["ocpp809"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "YAML", dependencies: ["CYAML"]),
        .target(name: "Rules", dependencies: ["YAML"]),
        .target(
            name: "GatewaySupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TransportSecurity",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "IEC104",
            dependencies: [
                "GatewaySupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "OCPP",
            dependencies: [
                "GatewaySupport",
                "TransportSecurity",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            resources: [.copy("Schemas")]
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "YAML",
                "Rules",
                "IEC104",
                "OCPP",
                "GatewaySupport",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "Admin",
            dependencies: [
                "GatewaySupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "ocpp809",
            dependencies: [
                "Rules",
                "IEC104",
                "OCPP",
                "Gateway",
                "Admin",
                "TransportSecurity",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "SeededRandom"]),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "SeededRandom"], exclude: ["Corpus"]),
        .testTarget(
            name: "OCPPTests",
            dependencies: [
                "OCPP", "SeededRandom", .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "TransportSecurityTests", dependencies: ["TransportSecurity"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "Rules", "IEC104", "OCPP"], exclude: ["Corpus"]),
        .testTarget(name: "AdminTests", dependencies: ["Admin"]),
        .testTarget(
            name: "IEC104Tests",
            dependencies: ["IEC104", "SeededRandom", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
    ]
)
