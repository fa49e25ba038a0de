import KafkaWire
import ServiceHTTP
import ServiceOptions

/// Everything a console instance needs, with the contract's defaults.
public struct ConsoleConfiguration: Sendable, KafkaServiceConfiguration {
    public var bootstrapServers: [BrokerAddress] = [BrokerAddress(host: "127.0.0.1", port: 9092)]
    /// TLS and SASL towards Kafka (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*).
    public var kafkaSecurity = KafkaSecurityConfiguration.plaintext
    public var httpHost = "127.0.0.1"
    public var httpPort = 8080
    public var topic = "orders.events"
    /// The console reads the log without a consumer group (each page reads it from the
    /// beginning, for the fold rule's verdicts): these three are the shared options' fields,
    /// unused by the live log.
    public var groupID = "console"
    public var sessionTimeout: Duration = .seconds(10)
    public var heartbeatInterval: Duration = .seconds(1)
    /// Events a live-log client may have waiting to be written before it is dropped (it
    /// reconnects from its last event with `Last-Event-ID`).
    public var clientBuffer = 2_000
    /// How often an idle live-log stream sends a comment, so a gone client is noticed and
    /// proxies keep the connection.
    public var keepAlive: Duration = .seconds(15)
    /// Where the other services are (the CLI's `ORDERS_*_URL`): the order, system and try
    /// pages ask them.
    public var commandURL = "http://127.0.0.1:8081"
    public var queryURL = "http://127.0.0.1:8082"
    public var notifierURL = "http://127.0.0.1:8083"

    /// The services' AUTH_* settings: with them, the console requires a staff or admin token
    /// too (it shows every order); nil: open, as the services are.
    public var authentication: AuthenticationSettings?

    var serviceURLs: [UpstreamService: String] {
        [.orderCommand: commandURL, .orderQuery: queryURL, .notifier: notifierURL]
    }

    public init() {}

    /// The effective configuration for the start-up log line.
    public var summary: [String: String] {
        [
            "kafka.bootstrap_servers": bootstrapServers.map(\.description).joined(separator: ","),
            "kafka.security": kafkaSecurity.description,
            "http.listen": "\(httpHost):\(httpPort)",
            "kafka.topic": topic,
            "client_buffer": "\(clientBuffer)",
            "order_command.url": commandURL,
            "order_query.url": queryURL,
            "notifier.url": notifierURL,
            "auth": authentication?.summary ?? "off",
        ]
    }
}
