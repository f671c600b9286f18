import Foundation
import IEC104
import Logging
import NIOConcurrencyHelpers
import OCPP
import Rules

/// Owns the running engine: every input takes the lock, runs the engine, and publishes its point updates to the
/// station before letting go, so the station sees updates in the engine's order. Requests to chargers and answers
/// to commands are carried out after the lock is released.
final class EngineHost: Sendable {
    /// The engine and what the rule set it runs is called.
    struct Running: Sendable {
        var engine: GatewayEngine
        var revision: Int
        var access: ChargerAccess
    }

    let running: NIOLockedValueBox<Running>
    private let waiters = NIOLockedValueBox<[CommandTicket: CheckedContinuation<CommandAnswer, Never>]>([:])
    private let nextCommand = NIOLockedValueBox<CommandTicket>(1)
    private let station = NIOLockedValueBox<StationServer?>(nil)
    private let central = NIOLockedValueBox<OCPP.CentralSystem?>(nil)
    let metrics: RuntimeMetrics
    let logger: Logger

    init(engine: GatewayEngine, access: ChargerAccess, metrics: RuntimeMetrics, logger: Logger) {
        running = NIOLockedValueBox(Running(engine: engine, revision: 1, access: access))
        self.metrics = metrics
        self.logger = logger
    }

    /// Connects the host to the station and the central system once both exist.
    func attach(station: StationServer, central: OCPP.CentralSystem) {
        self.station.withLockedValue { $0 = station }
        self.central.withLockedValue { $0 = central }
    }

    /// The current time on the engine's clock.
    static func now() -> EngineTime { Date().timeIntervalSince1970 }

    /// Runs one input on the engine and carries out what it asks for.
    func run(_ input: (inout GatewayEngine) -> [EngineOutput]) {
        let station = station.withLockedValue { $0 }
        let outputs = running.withLockedValue { running -> [EngineOutput] in
            let outputs = input(&running.engine)
            var updates: [PointUpdate] = []
            for case let .publish(update) in outputs {
                updates.append(update)
                metrics.published(update)
            }
            if !updates.isEmpty, let station {
                let refused = station.publish(updates)
                if !refused.isEmpty { metrics.publishRefused(refused.count) }
            }
            return outputs
        }
        carryOut(outputs)
    }

    /// Sends the engine's requests and answers its commands.
    private func carryOut(_ outputs: [EngineOutput]) {
        for output in outputs {
            switch output {
            case .publish:
                break
            case let .send(ticket, charger, request):
                metrics.requestSent(request.action)
                Task { await self.send(ticket, request, to: charger) }
            case let .answer(ticket, answer):
                waiters.withLockedValue { $0.removeValue(forKey: ticket) }?.resume(returning: answer)
            }
        }
    }

    /// Sends one request and gives the engine its outcome.
    func send(_ ticket: CallTicket, _ request: OutgoingRequest, to charger: String) async {
        guard let central = central.withLockedValue({ $0 }) else { return }
        let outcome = await central.send(request, to: charger)
        metrics.requestCompleted(request.action, outcome: outcome)
        run { $0.completed(ticket, outcome: outcome, at: Self.now()) }
    }

    /// A command from the station: answered when the engine says so.
    func command(_ request: CommandRequest) async -> CommandAnswer {
        let ticket = nextCommand.withLockedValue { value -> CommandTicket in
            defer { value += 1 }
            return value
        }
        metrics.commandReceived()
        let answer = await withCheckedContinuation { continuation in
            waiters.withLockedValue { $0[ticket] = continuation }
            run { $0.command(request, ticket: ticket, at: Self.now()) }
        }
        metrics.commandAnswered(answer)
        return answer
    }

    /// Before a general interrogation: the engine's refresh requests, waited for at most `timeout`.
    func refreshBeforeInterrogation(timeout: Duration) async {
        var requests: [(CallTicket, String, OutgoingRequest)] = []
        run { engine in
            let outputs = engine.interrogationRefresh(at: Self.now())
            for case let .send(ticket, charger, request) in outputs { requests.append((ticket, charger, request)) }
            return []
        }
        guard !requests.isEmpty else { return }
        let pending = requests
        // Whichever ends first, all answers or the timeout, lets the interrogation go on; late answers still land.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumed = NIOLockedValueBox(false)
            let finish: @Sendable () -> Void = {
                if resumed.withLockedValue({ done in defer { done = true }; return !done }) { continuation.resume() }
            }
            Task {
                await withTaskGroup(of: Void.self) { group in
                    for (ticket, charger, request) in pending { group.addTask { await self.send(ticket, request, to: charger) } }
                }
                finish()
            }
            Task {
                try? await Task.sleep(for: timeout)
                finish()
            }
        }
    }
}
