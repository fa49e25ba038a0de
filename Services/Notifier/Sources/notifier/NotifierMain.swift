import ArgumentParser
import Hummingbird
import Logging
import Notifier
import ServiceOptions

/// `notifier`: the Notifier service alone. Bootstraps logging, reads the configuration
/// (flags, then environment, then defaults) and runs until SIGTERM/SIGINT.
@main
struct NotifierMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifier",
        abstract: "Sends one notification per order event (log, JSON-lines file, webhook), with retries and a dead-letter topic.")

    @OptionGroup var options: NotifierOptions

    static func main() async { await serviceMain() }

    func run() async throws {
        bootstrapServiceLogging(level: options.logLevel)
        let logger = Logger(label: "notifier")
        let configuration = try options.configuration()
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
