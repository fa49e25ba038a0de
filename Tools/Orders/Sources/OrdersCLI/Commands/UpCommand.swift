import ArgumentParser
import Foundation
import Logging
import ServiceKit

/// Where the embedded stack keeps its files, and how loud it is.
struct StackOptions: ParsableArguments {
    @Option(help: "Directory of the embedded stack's data: the broker's log, the SQLite files, notifications.jsonl (env ORDERS_DATA_DIR)")
    var dataDir = env("ORDERS_DATA_DIR") ?? "./.orders"

    @Option(help: "The services' log level (env LOG_LEVEL)")
    var logLevel = env("LOG_LEVEL") ?? "notice"

    func validate() throws { try validateLogLevel(logLevel) }

    func stack(adminToken: String?) -> EmbeddedStack {
        var logger = Logger(label: "orders")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        return EmbeddedStack(dataDirectory: dataDir, adminToken: adminToken, logger: logger)
    }
}

struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole system in this process: dev broker, OrderCommand, OrderQuery (SQLite), notifier (log and file)",
        discussion: "Ctrl-C stops it cleanly. The data stays in --data-dir; run it again to carry on where it stopped.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var stackOptions: StackOptions

    func run() async throws {
        bootstrapServiceLogging(level: stackOptions.logLevel)
        let stack = stackOptions.stack(adminToken: global.token ?? "orders-local-admin")
        let token = global.token
        try await stack.run {
            Banner.print(stack, tokenWasGiven: token != nil)
            return false
        }
    }
}

enum Banner {
    static func print(_ stack: EmbeddedStack, tokenWasGiven: Bool) {
        let token = stack.adminToken ?? ""
        Terminal.line("""

            \(Terminal.bold("orders is up")) (data in \(stack.dataDirectory); Ctrl-C stops everything)
              Kafka (dev broker)  \(stack.host):\(stack.kafkaPort)       topic orders.events, 6 partitions
              OrderCommand        http://\(stack.host):\(stack.commandPort)
              OrderQuery          http://\(stack.host):\(stack.queryPort)   read model in order-query.sqlite
              Notifier            http://\(stack.host):\(stack.notifierPort)   notifications in \(stack.notificationsFile)
              admin token         \(tokenWasGiven ? "your ADMIN_TOKEN" : token)\(tokenWasGiven ? "" : " (export ADMIN_TOKEN=\(token) for orders rebuild / replay)")

            Try, in another terminal:
              orders place --customer alice --currency EUR --item TEA:2:450     # prints the order id and a position
              orders get ORDER_ID --position P:O                                # waits until the read model has it
              orders events --follow                                            # the log itself, as it grows
              orders demo                                                       # a guided tour against this stack
            """)
    }
}
