import SQLStore
import ArgumentParser
import Foundation
import KafkaWire
import Logging
import ServiceKit

/// The command line of `order-query`: every setting a flag, with the environment variable of
/// the same name as its default (flag wins over environment, environment over default).
public struct OrderQueryOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers, host:port[,host:port...] (env KAFKA_BOOTSTRAP_SERVERS)")
    var kafkaBootstrapServers = env("KAFKA_BOOTSTRAP_SERVERS") ?? "127.0.0.1:9092"

    @OptionGroup var kafkaSecurity: KafkaSecurityOptions

    @Option(help: "HTTP listen address host:port (env HTTP_LISTEN)")
    var httpListen = env("HTTP_LISTEN") ?? "127.0.0.1:8082"

    @Option(name: .customLong("database-url"), help: "sqlite:PATH or postgres://user:password@host:port/database; default sqlite in ORDERS_DATA_DIR (env DATABASE_URL)")
    var databaseUrlFlag: String?

    /// The flag, else the environment: read here, not as a default, so `--help` never shows it.
    var databaseUrl: String { databaseUrlFlag ?? env("DATABASE_URL") ?? "" }

    @Option(help: "Directory of the embedded defaults' data (env ORDERS_DATA_DIR)")
    var ordersDataDir = env("ORDERS_DATA_DIR") ?? "./.orders"

    @Option(help: "The event topic (env ORDERS_TOPIC)")
    var ordersTopic = env("ORDERS_TOPIC") ?? "orders.events"

    @Option(help: "Consumer group of the query instances (env GROUP_ID)")
    var groupId = env("GROUP_ID") ?? "order-query"

    @Option(help: "Static group membership: an instance restarted with the same id takes its partitions back without a rebalance (env GROUP_INSTANCE_ID)")
    var groupInstanceId = env("GROUP_INSTANCE_ID") ?? ""

    @Option(help: "Group session timeout in ms (env SESSION_TIMEOUT_MS)")
    var sessionTimeoutMs = env("SESSION_TIMEOUT_MS") ?? "10000"

    @Option(name: .customLong("admin-token"), help: "Bearer token of the /admin/ routes; unset, they answer 403 (env ADMIN_TOKEN)")
    var adminTokenFlag: String?

    /// The flag, else the environment: read here, not as a default, so `--help` never shows it.
    var adminToken: String { adminTokenFlag ?? env("ADMIN_TOKEN") ?? "" }

    @Option(help: "Records applied per database transaction, at most (env MAX_BATCH)")
    var maxBatch = env("MAX_BATCH") ?? "\(OrderQueryConfiguration.defaultMaxBatch)"

    @Option(help: "How long a generation replaced by a rebuild keeps its tables, in ms (env RETIRE_GRACE_MS)")
    var retireGraceMs = env("RETIRE_GRACE_MS") ?? "60000"

    @Option(help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL)")
    public var logLevel = env("LOG_LEVEL") ?? "info"

    public init() {}

    public func validate() throws {
        try validateLogLevel(logLevel)
        _ = try configuration()
    }

    public func configuration() throws -> OrderQueryConfiguration {
        var configuration = OrderQueryConfiguration()
        configuration.bootstrapServers = try bootstrapServersOption(kafkaBootstrapServers)
        configuration.kafkaSecurity = try kafkaSecurity.configuration()
        let listen = try httpListenOption(httpListen)
        configuration.httpHost = listen.host
        configuration.httpPort = listen.port
        do {
            configuration.database = try DatabaseURL(
                databaseUrl.isEmpty ? "sqlite:" + (ordersDataDir as NSString).appendingPathComponent("order-query.sqlite") : databaseUrl)
        } catch {
            throw ValidationError("--database-url / \(error)")
        }
        configuration.topic = try topicOption(ordersTopic, "--orders-topic / ORDERS_TOPIC")
        guard !groupId.isEmpty else { throw ValidationError("--group-id / GROUP_ID must not be empty") }
        configuration.groupID = groupId
        configuration.groupInstanceID = groupInstanceId.isEmpty ? nil : groupInstanceId
        configuration.sessionTimeout = .milliseconds(try number(sessionTimeoutMs, "--session-timeout-ms / SESSION_TIMEOUT_MS", Int64(1000)...3_600_000))
        configuration.heartbeatInterval = configuration.sessionTimeout / 10
        configuration.adminToken = adminToken.isEmpty ? nil : adminToken
        configuration.maxBatch = try number(maxBatch, "--max-batch / MAX_BATCH", 1...100_000)
        configuration.retireGrace = .milliseconds(try number(retireGraceMs, "--retire-grace-ms / RETIRE_GRACE_MS", Int64(0)...86_400_000))
        return configuration
    }
}
