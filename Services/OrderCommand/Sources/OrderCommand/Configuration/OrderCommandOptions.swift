import ArgumentParser
import Events
import Foundation
import KafkaWire
import Logging
import ServiceOptions

/// The command line of `order-command`: every setting a flag, with the environment variable
/// of the same name as its default (flag wins over environment, environment over default).
/// Values are checked in `configuration()`, which names both the flag and the variable.
public struct OrderCommandOptions: ParsableArguments {
    @OptionGroup var common: ServiceCommonOptions

    @OptionGroup var authentication: AuthenticationOptions

    @Option(help: "HTTP listen address host:port (env HTTP_LISTEN)")
    var httpListen = env("HTTP_LISTEN") ?? "127.0.0.1:8081"

    @Option(help: "URL peers forward commands to; default http:// + the listen address, the host name when listening on 0.0.0.0 (env ADVERTISED_URL)")
    var advertisedUrl = env("ADVERTISED_URL") ?? ""

    @Option(help: "Partitions of the event topic when this service creates it; a mismatch with an existing topic refuses to start (env ORDERS_PARTITIONS)")
    var ordersPartitions = env("ORDERS_PARTITIONS") ?? "6"

    @Option(help: "Replication factor when this service creates the topic; -1 for the cluster default (env ORDERS_REPLICATION_FACTOR)")
    var ordersReplicationFactor = env("ORDERS_REPLICATION_FACTOR") ?? "-1"

    @Option(help: "Consumer group of the command instances (env GROUP_ID)")
    var groupId = env("GROUP_ID") ?? "order-command"

    @Option(help: "Command deadline in ms: an append or read-back slower than this answers 503 outcome-unknown (env COMMAND_DEADLINE_MS)")
    var commandDeadlineMs = env("COMMAND_DEADLINE_MS") ?? "5000"

    @Option(help: "Producer delivery timeout in ms (Kafka's delivery.timeout.ms): after it an append counts as failed, its outcome unknown, and the same event is appended again until a copy is read back (env DELIVERY_TIMEOUT_MS)")
    var deliveryTimeoutMs = env("DELIVERY_TIMEOUT_MS") ?? "30000"

    @Option(help: "At most this many lines per order (env MAX_LINES)")
    var maxLines = env("MAX_LINES") ?? "100"

    @Option(help: "At most this quantity per line (env MAX_QUANTITY)")
    var maxQuantity = env("MAX_QUANTITY") ?? "10000"

    @Option(help: "At most this unit price, in minor units (env MAX_UNIT_PRICE)")
    var maxUnitPrice = env("MAX_UNIT_PRICE") ?? "10000000000"

    @Option(help: "How long idempotency keys are remembered, in hours (env IDEMPOTENCY_WINDOW_HOURS)")
    var idempotencyWindowHours = env("IDEMPOTENCY_WINDOW_HOURS") ?? "24"

    @Option(help: "Largest accepted request body in bytes (env MAX_BODY_BYTES)")
    var maxBodyBytes = env("MAX_BODY_BYTES") ?? "65536"

    public var logLevel: String { common.logLevel }

    public init() {}

    public func validate() throws {
        _ = try configuration()
    }

    public func configuration() throws -> OrderCommandConfiguration {
        var configuration = OrderCommandConfiguration()
        try common.apply(to: &configuration)
        configuration.authentication = try authentication.settings()
        let listen = try httpListenOption(httpListen)
        configuration.httpHost = listen.host
        configuration.httpPort = listen.port
        if !advertisedUrl.isEmpty {
            guard let url = URL(string: advertisedUrl), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--advertised-url / ADVERTISED_URL must be an http(s) URL, not \(advertisedUrl.debugDescription)")
            }
            configuration.advertisedURL = advertisedUrl.hasSuffix("/") ? String(advertisedUrl.dropLast()) : advertisedUrl
        }
        configuration.topic = EventTopic(
            name: try common.topic(),
            partitions: try number(ordersPartitions, "--orders-partitions / ORDERS_PARTITIONS", 1...100_000),
            replicationFactor: try number(ordersReplicationFactor, "--orders-replication-factor / ORDERS_REPLICATION_FACTOR", -1...Int16.max))
        configuration.groupID = groupId
        configuration.commandDeadline = .milliseconds(try number(commandDeadlineMs, "--command-deadline-ms / COMMAND_DEADLINE_MS", Int64(100)...600_000))
        configuration.deliveryTimeout = .milliseconds(try number(deliveryTimeoutMs, "--delivery-timeout-ms / DELIVERY_TIMEOUT_MS", Int64(1000)...3_600_000))
        configuration.rules = OrderRules(
            maxLines: try number(maxLines, "--max-lines / MAX_LINES", 1...10_000),
            maxQuantity: try number(maxQuantity, "--max-quantity / MAX_QUANTITY", Int64(1)...1_000_000_000),
            maxUnitPrice: try number(maxUnitPrice, "--max-unit-price / MAX_UNIT_PRICE", Int64(0)...1_000_000_000_000))
        configuration.idempotencyWindow = .seconds(3600 * (try number(idempotencyWindowHours, "--idempotency-window-hours / IDEMPOTENCY_WINDOW_HOURS", Int64(1)...24 * 365)))
        configuration.maxBodyBytes = try number(maxBodyBytes, "--max-body-bytes / MAX_BODY_BYTES", 1024...16 * 1024 * 1024)
        return configuration
    }
}
