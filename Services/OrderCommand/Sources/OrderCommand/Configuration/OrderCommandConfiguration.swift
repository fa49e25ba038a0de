import Events
import Foundation
import KafkaWire
import ServiceHTTP
import ServiceOptions

/// Everything an OrderCommand instance needs, with the architecture's defaults.
public struct OrderCommandConfiguration: Sendable, KafkaServiceConfiguration {
    public var bootstrapServers: [BrokerAddress] = [BrokerAddress("127.0.0.1:9092")!]
    /// TLS and SASL towards Kafka (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*).
    public var kafkaSecurity = KafkaSecurityConfiguration.plaintext
    /// host:port the HTTP server listens on.
    public var httpHost = "127.0.0.1"
    public var httpPort = 8081
    /// How peers reach this instance to forward commands; nil for `http://` + the listen address.
    public var advertisedURL: String?
    public var topic = EventTopic()
    public var groupID = "order-command"
    /// Short, so a killed instance's partitions move quickly.
    public var sessionTimeout: Duration = .seconds(10)
    public var heartbeatInterval: Duration = .seconds(1)
    /// An append or read-back slower than this answers 503 outcome-unknown.
    public var commandDeadline: Duration = .seconds(5)
    public var forwardTimeout: Duration = .seconds(10)
    /// How long the producer tries to deliver an event (Kafka's `delivery.timeout.ms`); its
    /// requests time out within it too. A failed delivery leaves the event's outcome unknown,
    /// and the service appends the same event again until a copy is read back.
    public var deliveryTimeout: Duration = .seconds(30)
    public var rules = OrderRules()
    public var idempotencyWindow: Duration = .seconds(24 * 3600)
    public var maxBodyBytes = 64 * 1024

    /// Bearer-token authentication of the routes (AUTH_*); nil: off.
    public var authentication: AuthenticationSettings?

    public init() {}

    /// The URL peers forward to.
    public var effectiveAdvertisedURL: String {
        if let advertisedURL { return advertisedURL }
        let host = httpHost == "0.0.0.0" || httpHost == "::" ? ProcessInfo.processInfo.hostName : httpHost
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(httpPort)"
    }

    /// The effective configuration, for the start-up log line (nothing here is secret).
    public var summary: [String: String] {
        [
            "kafka.bootstrap_servers": bootstrapServers.map { "\($0)" }.joined(separator: ","),
            "kafka.security": kafkaSecurity.description,
            "auth": authentication?.summary ?? "off",
            "http.listen": "\(httpHost):\(httpPort)", "advertised_url": effectiveAdvertisedURL,
            "topic": topic.name, "partitions": "\(topic.partitions)", "replication_factor": "\(topic.replicationFactor)",
            "group_id": groupID, "session_timeout": "\(sessionTimeout)", "command_deadline": "\(commandDeadline)",
            "delivery_timeout": "\(deliveryTimeout)",
            "max_lines": "\(rules.maxLines)", "max_quantity": "\(rules.maxQuantity)", "max_unit_price": "\(rules.maxUnitPrice)",
            "idempotency_window": "\(idempotencyWindow)", "max_body_bytes": "\(maxBodyBytes)",
        ]
    }
}
