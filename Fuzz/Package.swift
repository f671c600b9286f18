// swift-tools-version: 6.1
// libFuzzer harnesses for the YAML reader, the rule loader, the IEC 104 APDU/ASDU decoder, the IEC 104 station's
// application layer, the OCPP JSON reader and RPC frames, and the rule-test runner. Build and run with `Fuzz/run.sh TARGET SECONDS`;
// the targets only link when built with `-sanitize=fuzzer` (libFuzzer supplies `main`).
import PackageDescription

let package = Package(
    name: "Fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "ocpp809", path: ".."),
    ],
    targets: [
        .executableTarget(name: "FuzzYAML", dependencies: [.product(name: "YAML", package: "ocpp809")]),
        .executableTarget(name: "FuzzRules", dependencies: [.product(name: "Rules", package: "ocpp809")]),
        .executableTarget(name: "FuzzAPDU", dependencies: [.product(name: "IEC104", package: "ocpp809")]),
        .executableTarget(name: "FuzzStation", dependencies: [.product(name: "IEC104", package: "ocpp809")]),
        .executableTarget(name: "FuzzJSON", dependencies: [.product(name: "OCPP", package: "ocpp809")]),
        .executableTarget(name: "FuzzRPC", dependencies: [.product(name: "OCPP", package: "ocpp809")]),
        .executableTarget(name: "FuzzRuleTests", dependencies: [.product(name: "Gateway", package: "ocpp809"),
                                                                .product(name: "Rules", package: "ocpp809")]),
    ]
)
