/// A broker's address: host and port.
public struct BrokerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses "host:port" (or "[v6]:port"); nil when malformed.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses a bootstrap list, "host:port[,host:port...]" (spaces around entries allowed),
    /// as given on command lines and in KAFKA_BOOTSTRAP_SERVERS-style settings.
    public static func list(_ text: String) throws -> [BrokerAddress] {
        let entries = text.split(separator: ",").map { $0.filter { $0 != " " } }.filter { !$0.isEmpty }
        guard !entries.isEmpty else { throw KafkaError(.invalidConfiguration, "no broker address in \"\(text)\"") }
        return try entries.map { entry in
            guard let address = BrokerAddress(entry) else {
                throw KafkaError(.invalidConfiguration, "not a HOST:PORT broker address: \(entry)")
            }
            return address
        }
    }
}

/// Settings shared by every KafkaWire client (producer, consumer, admin): how to find and talk
/// to the cluster. Defaults follow the Java client's.
public struct KafkaClientConfiguration: Sendable {
    /// Brokers to ask for cluster metadata first (bootstrap.servers). Any one is enough.
    public var bootstrapServers: [BrokerAddress]
    /// Sent with every request; brokers log it and use it in quotas (client.id).
    public var clientID: String = "kafkawire"
    /// How long to wait for a response before failing the request (request.timeout.ms, 30 s).
    public var requestTimeout: Duration = .seconds(30)
    /// How long to wait for a TCP connection (socket.connection.setup.timeout.ms, 10 s).
    public var connectTimeout: Duration = .seconds(10)
    /// First and largest delay between reconnect attempts to one broker; the delay doubles
    /// in between (reconnect.backoff.ms 50 ms, reconnect.backoff.max.ms 1 s).
    public var reconnectBackoff: Duration = .milliseconds(50)
    public var reconnectBackoffMax: Duration = .seconds(1)
    /// Delay before retrying a retriable failure (retry.backoff.ms, 100 ms).
    public var retryBackoff: Duration = .milliseconds(100)
    /// Refresh metadata at least this often even without errors (metadata.max.age.ms, 5 min).
    public var metadataMaxAge: Duration = .seconds(300)
    /// TLS and SASL (security.protocol, sasl.*, ssl.*); PLAINTEXT by default.
    public var security = KafkaSecurityConfiguration.plaintext
    /// Largest response frame accepted from a broker.
    public var maxResponseBytes: Int = 256 * 1024 * 1024

    public init(bootstrapServers: [BrokerAddress]) {
        self.bootstrapServers = bootstrapServers
    }
}
