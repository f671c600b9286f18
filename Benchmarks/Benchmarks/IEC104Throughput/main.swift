// Spontaneous throughput of the IEC 104 station to a master on loopback: the station publishes N M_ME_TF_1
// events as fast as the link takes them; the module's own master (on its own event-loop thread) receives and
// acknowledges them. Reports ASDUs/s and objects/s, median of the runs, and checks nothing was lost or reordered.
//
//   swift run --package-path Benchmarks -c release IEC104Throughput [events-per-run] [runs] [k (w = 2k/3)]
//   IEC104Throughput --connect PORT EXPECTED-OBJECTS     master only, against any station (see iec104_peer.py)
import Foundation
import IEC104
import Logging
import NIOPosix

struct RunResult {
    var seconds: Double
    var asdus: Int
    var objects: Int
}

func run(events: Int, objectsPerASDU: Int, link: LinkParameters, serverGroup: MultiThreadedEventLoopGroup,
         clientGroup: MultiThreadedEventLoopGroup) async throws -> RunResult {
    let addresses = 1_000
    let points = try StationPoints(monitor: (0..<addresses).map {
        MonitorPoint(address: 1_000 + UInt32($0), typeID: .M_ME_TF_1)
    })
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    let configuration = StationConfiguration(host: "127.0.0.1", port: 0, link: link, eventQueueCapacity: events,
                                             overflowPolicy: .dropNewest, maximumObjectsPerASDU: objectsPerASDU,
                                             logger: logger)
    let station = StationServer(configuration: configuration, points: points, group: serverGroup) { _ in .accepted }
    let bound = try await station.start()
    guard let port = bound.split(separator: ":").last.flatMap({ Int($0) }) else { throw BenchmarkError.noPort }
    let client = try await IEC104Client.connect(host: "127.0.0.1", port: port, parameters: link, group: clientGroup)
    try await client.startDataTransfer()
    var iterator = client.incoming.makeAsyncIterator()
    // The end-of-initialization message comes first; the clock starts after it.
    _ = await iterator.next()

    let time = UTCDateTime(millisecondsSince1970: 1_795_000_000_000)
    let start = ContinuousClock.now
    var published = 0
    while published < events {
        let batch = (published..<min(events, published + 1_000)).map {
            PointUpdate(address: 1_000 + UInt32($0 % addresses), value: .float(Float($0)), time: time)
        }
        station.publish(batch)
        published += batch.count
    }
    var asdus = 0
    var objects = 0
    while objects < events, let event = await iterator.next() {
        guard case let .asdu(asdu) = event else { throw BenchmarkError.unexpected("\(event)") }
        for object in asdu.objects {
            guard case let .shortFloatWithTime(value, _, _) = object.element, value == Float(objects) else {
                throw BenchmarkError.unexpected("object \(objects) arrived as \(object)")
            }
            objects += 1
        }
        asdus += 1
    }
    let elapsed = ContinuousClock.now - start
    let status = await station.status()
    guard status.queue.dropped == 0, objects == events else { throw BenchmarkError.unexpected("lost events: \(status.queue)") }
    await client.close()
    await station.shutdown()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return RunResult(seconds: seconds, asdus: asdus, objects: objects)
}

enum BenchmarkError: Error {
    case noPort
    case unexpected(String)
}

/// Master only: connects to a station (ocpp809's or a peer's), starts data transfer, prints "ready", and counts
/// M_ME_TF_1 objects until `expected` arrived or the link was idle for two seconds.
func receive(port: Int, expected: Int, group: MultiThreadedEventLoopGroup) async throws {
    let client = try await IEC104Client.connect(host: "127.0.0.1", port: port, group: group)
    try await client.startDataTransfer()
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    let counting = Task {
        var asdus = 0
        var objects = 0
        var first: ContinuousClock.Instant?
        var last = ContinuousClock.now
        for await event in client.incoming {
            guard case let .asdu(asdu) = event, asdu.typeID == .M_ME_TF_1 else { continue }
            last = ContinuousClock.now
            if first == nil { first = last }
            asdus += 1
            objects += asdu.objects.count
            if objects >= expected { break }
        }
        return (asdus, objects, (first ?? last).duration(to: last))
    }
    let watchdog = Task {
        while !Task.isCancelled {
            let before = try await client.counters.asdusReceived
            try await Task.sleep(for: .seconds(2))
            if try await client.counters.asdusReceived == before, before > 0 { await client.close() }
        }
    }
    let (asdus, objects, elapsed) = await counting.value
    watchdog.cancel()
    await client.close()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let line = String(format: "{\"asdus\": %d, \"objects\": %d, \"seconds\": %.6f}\n", asdus, objects, seconds)
    FileHandle.standardOutput.write(Data(line.utf8))
}

let options = CommandLine.arguments.dropFirst()
if options.first == "--connect" {
    let numbers = options.dropFirst().compactMap { Int($0) }
    guard numbers.count == 2 else {
        print("usage: IEC104Throughput --connect PORT EXPECTED-OBJECTS")
        exit(2)
    }
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    try await receive(port: numbers[0], expected: numbers[1], group: group)
    try await group.shutdownGracefully()
    exit(0)
}

let arguments = options.compactMap { Int($0) }
let events = arguments.first ?? 200_000
let runs = arguments.dropFirst().first ?? 5
let k = arguments.dropFirst(2).first ?? 12
let link = try LinkParameters(k: k, w: max(1, k * 2 / 3))
let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
print("IEC 104 spontaneous throughput, loopback, k=\(link.k) w=\(link.w), \(events) M_ME_TF_1 events per run, median of \(runs) runs")
for objectsPerASDU in [1, 16] {
    var results: [RunResult] = []
    for _ in 0..<runs {
        results.append(try await run(events: events, objectsPerASDU: objectsPerASDU, link: link, serverGroup: serverGroup,
                                     clientGroup: clientGroup))
    }
    results.sort { $0.seconds < $1.seconds }
    let median = results[results.count / 2]
    let asduRate = Double(median.asdus) / median.seconds
    let objectRate = Double(median.objects) / median.seconds
    let spread = results.map { String(format: "%.0f", Double($0.asdus) / $0.seconds) }.joined(separator: " ")
    print(String(format: "%2d object(s)/ASDU: %9.0f ASDU/s  %10.0f objects/s  (ASDU/s of each run: %@)",
                 objectsPerASDU, asduRate, objectRate, spread))
}
try await serverGroup.shutdownGracefully()
try await clientGroup.shutdownGracefully()
