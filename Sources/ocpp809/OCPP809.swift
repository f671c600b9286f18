import ArgumentParser
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The gateway's command line.
@main
struct OCPP809: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocpp809",
        abstract: "IEC 60870-5-104 ↔ OCPP 1.6J/2.0.1 gateway for EV charging sites.",
        version: "0.1.0",
        subcommands: [RunCommand.self, RulesCommand.self, IEC104Command.self, OCPPCommand.self]
    )

    /// Runs the command; usage errors exit 2, as the rule tooling documents.
    static func main() async {
        do {
            var command = try parseAsRoot()
            // Standard output carries the commands' results (JSON lines, point lists); logs go to standard error.
            if let run = command as? RunCommand, run.logFormat == .json {
                let level = run.logLevel
                LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: level) }
            } else {
                LoggingSystem.bootstrap(StreamLogHandler.standardError)
            }
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .failure {
                exit(withError: error)
            }
            if let exit = error as? ExitCode { Glibc.exit(exit.rawValue) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileOutput.standardError(message) }
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// `ocpp809 rules …`: tooling for the rule files.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Validate rule files and print what they define.",
        subcommands: [ValidateCommand.self, PointsCommand.self, GraphCommand.self, RulesTestCommand.self]
    )
}
