import ArgumentParser
import ServiceOptions

/// The command line of `console`: every setting a flag, with the environment variable of the
/// same name as its default (flag wins over environment, environment over default).
public struct ConsoleOptions: ParsableArguments {
    @OptionGroup var common: ServiceCommonOptions

    @Option(help: "HTTP listen address host:port (env HTTP_LISTEN)")
    var httpListen = env("HTTP_LISTEN") ?? "127.0.0.1:8080"

    @Option(help: "Events a live-log client may have unsent before it is dropped and reconnects (env CONSOLE_CLIENT_BUFFER)")
    var consoleClientBuffer = env("CONSOLE_CLIENT_BUFFER") ?? "2000"

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
        return configuration
    }
}
