import ArgumentParser
import Foundation
import Gateway
import IEC104
import Logging
import NIOConcurrencyHelpers
import Rules

/// `ocpp809 iec104 …`: the IEC 104 station on its own.
struct IEC104Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iec104",
        abstract: "Run the IEC 104 station on its own, for point-list checks with a SCADA master.",
        subcommands: [ServeCommand.self]
    )
}

/// How the commissioning station answers commands.
enum CommandAnswerMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    case accept, reject
}

/// Serves a site's points over IEC 104 with values fed as JSON lines on standard input.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a site's IEC 104 points; read point updates as JSON lines on standard input.",
        discussion: """
        Every monitor and command point of the site's station (its common address) is declared; until a value \
        arrives, interrogations report it as 0 with quality IV+NT. Each input line is one JSON object:
          {"ioa": 1000, "value": 7.4, "quality": ["NT"], "time": "2026-11-24T10:00:00.250Z", "cot": "spontaneous"}
          {"answer": "reject"}      (how later commands are answered; "delay_ms": N answers after N ms)
          {"status": true}          (print the station's counters)
        "cot" is spontaneous (default), periodic, background or image (image only, nothing sent). Standard output \
        gets one JSON object per event: listening, command, published, answer, error, status.
        """
    )

    @OptionGroup var input: RulePaths

    @Option(help: "Listen address HOST:PORT (default: the site's station.listen).")
    var listen: String?

    @Option(help: "How commands are answered until an input line says otherwise: accept or reject.")
    var answer: CommandAnswerMode = .accept

    @Option(help: "Event queue capacity (default: the site's station.event_queue.capacity).")
    var queueCapacity: Int?

    func run() async throws {
        let graph = try input.singleSite()
        let declared = try GatewayEngine.stationPoints(for: graph)
        let (host, port) = try HostPort.parse(listen ?? graph.station.listen)
        let output = JSONLines()
        let mode = NIOLockedValueBox((answer, delay: 0))
        var logger = Logger(label: "ocpp809.iec104")
        logger.logLevel = .info
        var configuration = try StationSettings.configuration(graph.station, host: host, port: port, logger: logger)
        if let queueCapacity { configuration.eventQueueCapacity = queueCapacity }
        let server = StationServer(configuration: configuration, points: declared.points) { request in
            let (setting, delay) = mode.withLockedValue { $0 }
            if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
            let answer: CommandAnswer = setting == .accept ? .accepted : .rejected(reason: "answer mode reject")
            output.emit(["event": "command", "ioa": Int(request.address), "type": "\(request.typeID)",
                         "phase": request.phase == .select ? "select" : "execute", "value": request.command.jsonValue,
                         "originator": Int(request.originatorAddress),
                         "answer": answer == .accepted ? "accepted" : "rejected"])
            return answer
        }
        let bound = try await server.start()
        output.emit(["event": "listening", "address": "\(bound)", "monitor_points": declared.points.monitor.count,
                     "command_points": declared.points.commands.count,
                     "other_common_addresses": declared.otherCommonAddresses])
        await StandardInputLines.forEach { line in
            await handle(line: line, server: server, points: declared.points, mode: mode, output: output)
        }
        // Standard input closed: keep serving until the process is stopped.
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }

    private func handle(line: String, server: StationServer, points: StationPoints,
                        mode: NIOLockedValueBox<(CommandAnswerMode, delay: Int)>, output: JSONLines) async {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        do {
            let object = try JSONInput.object(line)
            if let answer = object["answer"] as? String {
                guard let parsed = CommandAnswerMode(rawValue: answer) else { throw InputError("answer must be accept or reject") }
                let delay = (object["delay_ms"] as? NSNumber)?.intValue ?? 0
                guard (0...60_000).contains(delay) else { throw InputError("delay_ms must be 0...60000") }
                mode.withLockedValue { $0 = (parsed, delay) }
                output.emit(["event": "answer", "mode": parsed.rawValue, "delay_ms": delay])
            } else if object["status"] != nil {
                output.emit(StatusJSON.object(await server.status()))
            } else {
                let update = try JSONInput.update(object, points: points)
                try server.publish(update)
                output.emit(["event": "published", "ioa": Int(update.address)])
            }
        } catch {
            output.emit(["event": "error", "line": line, "message": "\(error)"])
        }
    }

}

/// Standard input, line by line, read on a thread of its own so the blocking read never holds a task thread.
enum StandardInputLines {
    static func forEach(_ body: @escaping @Sendable (String) async -> Void) async {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(10_000))
        let reader = Thread {
            while let line = readLine(strippingNewline: true) { continuation.yield(line) }
            continuation.finish()
        }
        reader.start()
        for await line in lines { await body(line) }
    }
}

/// One JSON object per line on standard output, never interleaved.
final class JSONLines: Sendable {
    private let lock = NIOLock()

    func emit(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return }
        lock.withLock { FileOutput.standardOutput(text + "\n") }
    }
}

/// An input line the station could not use.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
