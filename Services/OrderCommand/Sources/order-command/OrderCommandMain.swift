import ArgumentParser
import Hummingbird
import Logging
import ServiceOptions
import OrderCommand

/// `order-command`: the OrderCommand service alone. Bootstraps logging, reads the
/// configuration (flags, then environment, then defaults) and runs until SIGTERM/SIGINT.
@main
struct OrderCommandMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-command",
        abstract: "Takes order commands over HTTP and appends their events to Kafka, the system of record.")

    @OptionGroup var options: OrderCommandOptions

    static func main() async { await serviceMain() }

    func run() async throws {
        bootstrapServiceLogging(level: options.logLevel)
        let logger = Logger(label: "order-command")
        let configuration = try options.configuration()
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
