import ArgumentParser
import ServiceOptions

/// The command line of `console`: every setting a flag, with the environment variable of the
/// same name as its default (flag wins over environment, environment over default).
public struct ConsoleOptions: ParsableArguments {
    @OptionGroup var common: ServiceCommonOptions
    @OptionGroup var authentication: AuthenticationOptions

    @Option(help: "HTTP listen address host:port (env HTTP_LISTEN)")
    var httpListen = env("HTTP_LISTEN") ?? "127.0.0.1:8080"

    @Option(help: "Events a live-log client may have unsent before it is dropped and reconnects (env CONSOLE_CLIENT_BUFFER)")
    var consoleClientBuffer = env("CONSOLE_CLIENT_BUFFER") ?? "2000"

    @Option(name: .customLong("command-url"), help: "OrderCommand's address (env ORDERS_COMMAND_URL)")
    var commandURL = env("ORDERS_COMMAND_URL") ?? "http://127.0.0.1:8081"

    @Option(name: .customLong("query-url"), help: "OrderQuery's address (env ORDERS_QUERY_URL)")
    var queryURL = env("ORDERS_QUERY_URL") ?? "http://127.0.0.1:8082"

    @Option(name: .customLong("notifier-url"), help: "The notifier's address (env ORDERS_NOTIFIER_URL)")
    var notifierURL = env("ORDERS_NOTIFIER_URL") ?? "http://127.0.0.1:8083"

    public var logLevel: String { common.logLevel }

    public init() {}

    public func validate() throws {
        _ = try configuration()
    }

    public func configuration() throws -> ConsoleConfiguration {
        var configuration = ConsoleConfiguration()
        try common.apply(to: &configuration)
        let listen = try httpListenOption(httpListen)
        configuration.httpHost = listen.host
        configuration.httpPort = listen.port
        configuration.topic = try common.topic()
        configuration.clientBuffer = try number(consoleClientBuffer, "--console-client-buffer / CONSOLE_CLIENT_BUFFER", 10...1_000_000)
        configuration.authentication = try authentication.settings()
        configuration.commandURL = try serviceURL(commandURL, "--command-url / ORDERS_COMMAND_URL")
        configuration.queryURL = try serviceURL(queryURL, "--query-url / ORDERS_QUERY_URL")
        configuration.notifierURL = try serviceURL(notifierURL, "--notifier-url / ORDERS_NOTIFIER_URL")
        return configuration
    }

    /// A service's base URL: http or https, with a host, without a trailing slash.
    private func serviceURL(_ value: String, _ name: String) throws -> String {
        var url = value
        while url.hasSuffix("/") { url.removeLast() }
        guard let scheme = url.split(separator: ":").first, ["http", "https"].contains(scheme),
              url.dropFirst(scheme.count).hasPrefix("://"), url.count > scheme.count + 3
        else {
            throw ValidationError("\(name) must be an http:// or https:// URL with a host, not \(value.debugDescription)")
        }
        return url
    }
}
