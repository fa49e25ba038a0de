import ArgumentParser
import Foundation

/// `orders`: the system's command line.
public struct OrdersCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "Send commands, query the read model, read and replay the log, and run everything locally.",
        discussion: """
            Addresses come from flags, then ORDERS_COMMAND_URL, ORDERS_QUERY_URL, ORDERS_NOTIFIER_URL and \
            KAFKA_BOOTSTRAP_SERVERS, then the embedded stack's defaults. --json prints JSON (JSON lines for streams). \
            Exit codes: 0 done, 1 refused by a service, 64 bad usage, 69 a service unreachable, 75 a service \
            unavailable for now.
            """,
        subcommands: [
            Place.self, AddItem.self, RemoveItem.self, Confirm.self, Ship.self, Deliver.self, Cancel.self,
            Get.self, List.self, Stats.self, Customer.self, Notifications.self,
            Events.self, History.self, Replay.self, Rebuild.self, Lag.self, Up.self, Demo.self, Token.self,
        ])

    public init() {}

    /// Runs the command line; every error is one line on stderr and an exit code.
    public static func runMain() async -> Int32 {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as CLIError {
            Terminal.error("orders: \(error)")
            return error.exitCode
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version: the full text, as ArgumentParser gives it.
                Terminal.line(fullMessage(for: error))
                return 0
            }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Terminal.error("orders: \(message) (see orders --help)")
            return code == .validationFailure ? 64 : code.rawValue
        }
    }
}
