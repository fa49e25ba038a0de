import ArgumentParser
import Foundation
import KafkaWire
import Logging
import ServiceOptions

/// Where the embedded stack keeps its files, and how loud it is.
struct StackOptions: ParsableArguments {
    @Option(help: "Directory of the embedded stack's data: the broker's log, the SQLite files, notifications.jsonl (env ORDERS_DATA_DIR)")
    var dataDir = env("ORDERS_DATA_DIR") ?? "./.orders"

    @Option(help: "The services' log level (env LOG_LEVEL)")
    var logLevel = env("LOG_LEVEL") ?? "notice"

    @Flag(help: "Run without the web console (otherwise it listens at --console-url's port)")
    var noConsole = false

    func validate() throws { try validateLogLevel(logLevel) }

    /// The stack on 127.0.0.1, at the ports of the addresses the other commands use (the
    /// defaults, or --command-url, --query-url, --notifier-url, --console-url and the first
    /// bootstrap server), so that they find it.
    func stack(adminToken: String?, at addresses: GlobalOptions) throws -> EmbeddedStack {
        var logger = Logger(label: "orders")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        var stack = EmbeddedStack(dataDirectory: dataDir, adminToken: adminToken, logger: logger)
        if let port = URLComponents(string: addresses.commandURL)?.port { stack.commandPort = port }
        if let port = URLComponents(string: addresses.queryURL)?.port { stack.queryPort = port }
        if let port = URLComponents(string: addresses.notifierURL)?.port { stack.notifierPort = port }
        if let broker = try addresses.bootstrapServers().first { stack.kafkaPort = broker.port }
        stack.consolePort = noConsole ? nil : (URLComponents(string: addresses.consoleURL)?.port ?? 8080)
        return stack
    }
}

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole system in this process: dev broker, OrderCommand, OrderQuery (SQLite), notifier (log and file)",
        discussion: """
            Ctrl-C stops it cleanly. The data stays in --data-dir; run it again to carry on where it stopped. \
            It listens on 127.0.0.1 at the ports of --command-url, --query-url, --notifier-url, --console-url and \
            --kafka-bootstrap-servers (defaults 8081, 8082, 8083, 8080 and 9092), where the other commands look. \
            When the console's port is taken, the rest runs without it.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var stackOptions: StackOptions
    @Flag(help: "Require bearer tokens (JWT) on the services, signed with a key kept in --data-dir; prints a staff token, and orders token mints others")
    var auth = false

    func run() async throws {
        bootstrapServiceLogging(level: stackOptions.logLevel)
        var stack = try stackOptions.stack(adminToken: global.token ?? "orders-local-admin", at: global)
        var staffToken: String?
        if auth {
            let key = try LocalSigningKey.ensure(in: stackOptions.dataDir)
            stack.authentication = try key.settings
            staffToken = try await key.token(subject: "staff", roles: [.staff], lifetime: .seconds(12 * 3600))
        }
        let token = global.token
        try await stack.run { [stack, staffToken] console in
            Banner.print(stack, console: console, tokenWasGiven: token != nil, staffToken: staffToken)
            return false
        }
    }
}

enum Banner {
    static func print(_ stack: EmbeddedStack, console: ConsoleState, tokenWasGiven: Bool, staffToken: String? = nil) {
        let token = stack.adminToken ?? ""
        let consoleLine = switch console {
        case .running(let url): "\(url)   open it in a browser: the log, orders and the system, live"
        case .notStarted(let reason): "not running: \(reason)"
        case .off: "off (--no-console)"
        }
        Terminal.line("""

            \(Terminal.bold("orders is up")) (data in \(stack.dataDirectory); Ctrl-C stops everything)
              Kafka (dev broker)  \(stack.host):\(stack.kafkaPort)       topic orders.events, 6 partitions
              OrderCommand        http://\(stack.host):\(stack.commandPort)
              OrderQuery          http://\(stack.host):\(stack.queryPort)   read model in order-query.sqlite
              Notifier            http://\(stack.host):\(stack.notifierPort)   notifications in \(stack.notificationsFile)
              Console             \(consoleLine)
              admin token         \(tokenWasGiven ? "your ADMIN_TOKEN" : token)\(tokenWasGiven ? "" : " (export ADMIN_TOKEN=\(token) for orders rebuild / replay)")

            Try, in another terminal:
              orders place --customer alice --currency EUR --item TEA:2:450     # prints the order id and a position
              orders get ORDER_ID --position P:O                                # waits until the read model has it
              orders events --follow                                            # the log itself, as it grows
              orders demo                                                       # a guided tour against this stack
            """)
        if let staffToken {
            Terminal.line("""
                Authentication is on: every request needs a bearer token (health, metrics and /openapi.json excepted).
                  staff token (12 h)  export ORDERS_TOKEN=\(staffToken)
                  a customer's        export ORDERS_TOKEN=$(orders token --customer alice --data-dir \(stack.dataDirectory))
                                      (alice places, commands and reads her own orders only; her events name her as actor)

                """)
        }
    }
}
