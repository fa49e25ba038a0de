import ArgumentParser
import Foundation
import KafkaWire
import SQLStore

/// The options every service takes, with the same names, variables and defaults: where Kafka
/// is and how to reach it, the event topic, the group's session timeout and the log level.
/// Each service adds its own (HTTP listen address and group id included: their defaults differ).
public struct ServiceCommonOptions: ParsableArguments, Sendable {
    @Option(help: "Kafka bootstrap servers, host:port[,host:port...] (env KAFKA_BOOTSTRAP_SERVERS)")
    var kafkaBootstrapServers = env("KAFKA_BOOTSTRAP_SERVERS") ?? "127.0.0.1:9092"

    @OptionGroup var kafkaSecurity: KafkaSecurityOptions

    @Option(help: "The event topic (env ORDERS_TOPIC)")
    var ordersTopic = env("ORDERS_TOPIC") ?? "orders.events"

    @Option(help: "Group session timeout in ms (env SESSION_TIMEOUT_MS)")
    var sessionTimeoutMs = env("SESSION_TIMEOUT_MS") ?? "10000"

    @Option(help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL)")
    public var logLevel = env("LOG_LEVEL") ?? "info"

    public init() {}

    /// The event topic's name, checked.
    public func topic() throws -> String {
        try topicOption(ordersTopic, "--orders-topic / ORDERS_TOPIC")
    }

    /// Sets what every service's configuration says about Kafka; throws a `ValidationError`
    /// naming the flag and the variable of the first bad value.
    public func apply(to configuration: inout some KafkaServiceConfiguration) throws {
        try validateLogLevel(logLevel)
        configuration.bootstrapServers = try bootstrapServersOption(kafkaBootstrapServers)
        configuration.kafkaSecurity = try kafkaSecurity.configuration()
        configuration.sessionTimeout = .milliseconds(try number(sessionTimeoutMs, "--session-timeout-ms / SESSION_TIMEOUT_MS", Int64(1000)...3_600_000))
        configuration.heartbeatInterval = configuration.sessionTimeout / 10
    }
}

/// The options of the services that keep a database (order-query, notifier): where it is, or
/// the directory of the embedded default's SQLite file.
public struct DatabaseOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("database-url"), help: "sqlite:PATH or postgres://user:password@host:port/database; default sqlite in ORDERS_DATA_DIR (env DATABASE_URL)")
    var databaseUrlFlag: String?

    /// The flag, else the environment: read here, not as a default, so `--help` never shows it.
    var databaseUrl: String { databaseUrlFlag ?? env("DATABASE_URL") ?? "" }

    @Option(help: "Directory of the embedded defaults' data (env ORDERS_DATA_DIR)")
    var ordersDataDir = env("ORDERS_DATA_DIR") ?? "./.orders"

    public init() {}

    /// The database: `--database-url`, else `defaultFile` (SQLite) in the data directory.
    public func database(defaultFile: String) throws -> DatabaseURL {
        do {
            return try DatabaseURL(
                databaseUrl.isEmpty ? "sqlite:" + (ordersDataDir as NSString).appendingPathComponent(defaultFile) : databaseUrl)
        } catch {
            throw ValidationError("--database-url / \(error)")
        }
    }
}

/// The bearer token of a service's `/admin/` routes.
public struct AdminTokenOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("admin-token"), help: "Bearer token of the /admin/ routes; unset, they answer 403 (env ADMIN_TOKEN)")
    var adminTokenFlag: String?

    public init() {}

    /// The flag, else the environment (read here, not as a default, so `--help` never shows
    /// it); nil when unset.
    public var adminToken: String? {
        let token = adminTokenFlag ?? env("ADMIN_TOKEN") ?? ""
        return token.isEmpty ? nil : token
    }
}
