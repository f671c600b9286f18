// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ocpp809",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "YAML", targets: ["YAML"]),
        .library(name: "Rules", targets: ["Rules"]),
        .library(name: "IEC104", targets: ["IEC104"]),
        .executable(name: "ocpp809", targets: ["ocpp809"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "YAML", dependencies: ["CYAML"]),
        .target(name: "Rules", dependencies: ["YAML"]),
        .target(name: "IEC104"),
        .executableTarget(
            name: "ocpp809",
            dependencies: [
                "Rules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "SeededRandom"]),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "SeededRandom"], exclude: ["Corpus"]),
        .testTarget(name: "IEC104Tests", dependencies: ["IEC104", "SeededRandom"]),
    ]
)
