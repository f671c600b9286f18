import Foundation
import Gateway
import GatewayPathSupport

// The GatewayPath benchmarks' loops without the harness, for profilers:
//   GatewayPathProfile engine|frame|derive compiled|interpreted [messages]
//   valgrind --tool=callgrind .build-bench/release/GatewayPathProfile engine compiled 100000
// Prints the messages run and a checksum (outputs, or octets for `frame`), so nothing is optimised away.

let arguments = CommandLine.arguments
guard arguments.count >= 3, ["engine", "frame", "derive"].contains(arguments[1]),
      let path = MonitorPath(rawValue: arguments[2]) else {
    print("usage: GatewayPathProfile engine|frame|derive compiled|interpreted [messages]")
    exit(2)
}
let messages = arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000
let fixture = GatewayPathFixture()
var time = GatewayPathFixture.t0
var checksum = 0

switch arguments[1] {
case "engine":
    var engine = fixture.connectedEngine(path, charger: "CP004")
    for iteration in 0..<messages {
        time += 1
        checksum &+= engine.received(fixture.powerEvents[iteration & 1], action: "MeterValues", from: "CP004",
                                     at: time).count
    }
case "frame":
    var engine = fixture.connectedEngine(path, charger: "CP004")
    var encoder = UpdateEncoder(points: fixture.stationPoints, commonAddress: fixture.commonAddress)
    for iteration in 0..<messages {
        time += 1
        checksum &+= fixture.frameToAPDUs(fixture.powerFrames[iteration % fixture.powerFrames.count], engine: &engine,
                                          encoder: &encoder, at: time)
    }
default:
    var engine = fixture.connectedEngine(path, charger: "CP001")
    for iteration in 0..<messages {
        time += 1
        checksum &+= engine.received(fixture.registerEvents[iteration % fixture.registerEvents.count],
                                     action: "MeterValues", from: "CP001", at: time).count
    }
}
print("\(arguments[1]) \(path): \(messages) messages, checksum \(checksum)")
