import SQLStore
import KafkaWire
import ServiceHTTP
import ServiceOptions

/// Everything an OrderQuery instance needs, with the contract's defaults.
public struct OrderQueryConfiguration: Sendable, KafkaServiceConfiguration {
    public var bootstrapServers: [BrokerAddress] = [BrokerAddress(host: "127.0.0.1", port: 9092)]
    /// TLS and SASL towards Kafka (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*).
    public var kafkaSecurity = KafkaSecurityConfiguration.plaintext
    public var httpHost = "127.0.0.1"
    public var httpPort = 8082
    public var database = DatabaseURL.sqlite(path: "./.orders/order-query.sqlite")
    public var topic = "orders.events"
    public var groupID = "order-query"
    public var groupInstanceID: String?
    public var sessionTimeout: Duration = .seconds(10)
    public var heartbeatInterval: Duration = .seconds(1)
    public var adminToken: String?
    /// Records per stored batch, at most. A backlog (a start behind the log, a rebuild) is
    /// stored in batches this large: an order touched many times in one is written once, and
    /// per-batch costs are paid rarely (1,000,000 events: 25 s with 5,000, 12 s with 50,000
    /// before the batches were pipelined; now 3.7 s with 100,000 and 4.1 s with 50,000: an
    /// order whose events span two batches is written twice). Two batches are in hand at
    /// once: about 700 MiB at this size in that backlog, 500 MiB with 50,000.
    public var maxBatch = Self.defaultMaxBatch
    public static let defaultMaxBatch = 100_000
    /// How long a retired generation's tables outlive a swap.
    public var retireGrace: Duration = .seconds(60)

    /// Bearer-token authentication of the routes (AUTH_*); nil: off.
    public var authentication: AuthenticationSettings?

    public init() {}

    /// The effective configuration for the start-up log line (the admin token masked).
    public var summary: [String: String] {
        [
            "kafka.bootstrap_servers": bootstrapServers.map(\.description).joined(separator: ","),
            "kafka.security": kafkaSecurity.description,
            "auth": authentication?.summary ?? "off",
            "http.listen": "\(httpHost):\(httpPort)",
            "database": database.description,
            "kafka.topic": topic,
            "kafka.group": groupID,
            "kafka.group_instance_id": groupInstanceID ?? "none (dynamic membership)",
            "kafka.session_timeout_ms": "\(sessionTimeout.wholeMilliseconds)",
            "admin_token": adminToken == nil ? "unset (admin routes answer 403)" : "***",
            "max_batch": "\(maxBatch)",
            "retire_grace_ms": "\(retireGrace.wholeMilliseconds)",
        ]
    }
}
