import ArgumentParser
import Hummingbird
import Logging
import ServiceOptions
import OrderQuery

/// `order-query`: the OrderQuery service alone. Bootstraps logging, reads the configuration
/// (flags, then environment, then defaults) and runs until SIGTERM/SIGINT.
@main
struct OrderQueryMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-query",
        abstract: "Folds the order events into a read model (PostgreSQL or SQLite) and serves queries over HTTP.")

    @OptionGroup var options: OrderQueryOptions

    static func main() async { await serviceMain() }

    func run() async throws {
        bootstrapServiceLogging(level: options.logLevel)
        let logger = Logger(label: "order-query")
        let configuration = try options.configuration()
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
