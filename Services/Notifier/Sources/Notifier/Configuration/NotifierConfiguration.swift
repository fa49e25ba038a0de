import KafkaWire
import ServiceHTTP
import ServiceOptions
import SQLStore

/// Everything a notifier instance needs, with the contract's defaults.
public struct NotifierConfiguration: Sendable, KafkaServiceConfiguration {
    public var bootstrapServers: [BrokerAddress] = [BrokerAddress(host: "127.0.0.1", port: 9092)]
    /// TLS and SASL towards Kafka (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*).
    public var kafkaSecurity = KafkaSecurityConfiguration.plaintext
    public var httpHost = "127.0.0.1"
    public var httpPort = 8083
    public var database = DatabaseURL.sqlite(path: "./.orders/notifier.sqlite")
    public var topic = "orders.events"
    public var notificationsTopic = "orders.notifications"
    public var deadLetterTopic = "orders.notifications.dlq"
    public var groupID = "notifier"
    public var groupInstanceID: String?
    public var sessionTimeout: Duration = .seconds(10)
    public var heartbeatInterval: Duration = .seconds(1)
    public var sinks: [SinkSpec] = [.log]
    public var webhookSecret: String?
    public var webhookTimeout: Duration = .seconds(5)
    /// A directory of `<kind>.mustache` files replacing the default templates.
    public var templatesDirectory: String?
    /// Deliveries in flight at once, at most (and so the most a crash can repeat).
    public var concurrency = 16
    public var retry = RetryPolicy()
    public var startPosition = StartPosition.beginning
    public var adminToken: String?
    /// Records folded per ledger transaction, at most.
    public var maxBatch = 2_000

    /// Bearer-token authentication of the routes (AUTH_*); nil: off.
    public var authentication: AuthenticationSettings?

    public init() {}

    /// The effective configuration for the start-up log line (secrets masked).
    public var summary: [String: String] {
        [
            "kafka.bootstrap_servers": bootstrapServers.map(\.description).joined(separator: ","),
            "kafka.security": kafkaSecurity.description,
            "auth": authentication?.summary ?? "off",
            "http.listen": "\(httpHost):\(httpPort)",
            "database": database.description,
            "kafka.topic": topic,
            "kafka.notifications_topic": notificationsTopic,
            "kafka.dead_letter_topic": deadLetterTopic,
            "kafka.group": groupID,
            "kafka.group_instance_id": groupInstanceID ?? "none (dynamic membership)",
            "sinks": sinks.map(\.description).joined(separator: ","),
            "webhook_secret": webhookSecret == nil ? "unset (no signature header)" : "***",
            "webhook_timeout_ms": "\(webhookTimeout.wholeMilliseconds)",
            "templates_dir": templatesDirectory ?? "none (built-in templates)",
            "concurrency": "\(concurrency)",
            "max_attempts": "\(retry.maxAttempts)",
            "retry_base_ms": "\(retry.base.wholeMilliseconds)",
            "retry_max_ms": "\(retry.cap.wholeMilliseconds)",
            "start_from": startPosition.rawValue,
            "admin_token": adminToken == nil ? "unset (admin routes answer 403)" : "***",
            "max_batch": "\(maxBatch)",
        ]
    }
}
