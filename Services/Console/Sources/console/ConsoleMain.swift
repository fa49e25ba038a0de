import ArgumentParser
import Console
import Hummingbird
import Logging
import ServiceOptions

/// `console`: the web console alone. Bootstraps logging, reads the configuration (flags,
/// then environment, then defaults) and runs until SIGTERM/SIGINT.
@main
struct ConsoleMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "A web console over the order log: every event live, as it is appended, with the fold rule's verdict.")

    @OptionGroup var options: ConsoleOptions

    static func main() async { await serviceMain() }

    func run() async throws {
        bootstrapServiceLogging(level: options.logLevel)
        let logger = Logger(label: "console")
        let configuration = try options.configuration()
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
