import KafkaProtocol
import KafkaSecurity

/// Everything the dev broker can be told. Defaults mirror Apache Kafka's where one exists.
public struct BrokerConfiguration: Sendable {
    /// Where the broker accepts connections, each with its security protocol (Kafka's
    /// `listeners`). The first is the one `host`, `port` and `advertised*` below speak of.
    public var listeners: [BrokerListener] = [BrokerListener(host: "127.0.0.1", port: 9092)]
    /// Certificate and key of the TLS listeners, and the CA of client certificates (mutual TLS).
    public var tls: BrokerTLSConfiguration?
    /// Mechanisms, users and session lifetime of the SASL listeners.
    public var sasl = BrokerSASLConfiguration()

    /// Address to bind. Port 0 picks a free port (see `BrokerServer.boundPort`).
    public var host: String {
        get { listeners[0].host }
        set { listeners[0].host = newValue }
    }
    public var port: Int {
        get { listeners[0].port }
        set { listeners[0].port = newValue }
    }
    /// Host and port clients are told to connect to (Metadata, FindCoordinator).
    /// Defaults to the bound address.
    public var advertisedHost: String? {
        get { listeners[0].advertisedHost }
        set { listeners[0].advertisedHost = newValue }
    }
    public var advertisedPort: Int? {
        get { listeners[0].advertisedPort }
        set { listeners[0].advertisedPort = newValue }
    }
    /// Directory for topic logs, committed offsets and producer ids.
    public var dataDirectory: String
    public var nodeID: Int32 = 1
    public var clusterID: String = "kafkawire-dev-cluster"

    /// Create a topic the first time Metadata or Produce names it (auto.create.topics.enable).
    public var autoCreateTopics: Bool = true
    /// Partitions of an auto-created topic, or of one created with -1 (num.partitions).
    public var defaultPartitions: Int32 = 1

    /// A connection that sends nothing for this long is closed (connections.max.idle.ms, 10 min):
    /// a half-sent frame or an unfinished TLS or SASL handshake does not hold memory forever.
    public var connectionsMaxIdleMilliseconds: Int64 = 600_000

    /// Largest request frame accepted (socket.request.max.bytes); larger ones close the connection.
    public var maxFrameBytes: Int = 100 * 1024 * 1024
    /// Largest record batch accepted in a produce (message.max.bytes).
    public var maxBatchBytes: Int = 1_048_588

    public var log = LogConfiguration()
    public var groups = GroupSettings()

    /// Highest version offered per API; nil offers everything implemented. Lets tests
    /// pose as an old broker (for example `[.fetch: 4]`).
    public var maxVersions: [APIKey: Int16] = [:]
    /// Lowest version accepted per API; lets tests pose as Kafka 4 (which dropped old versions).
    public var minVersions: [APIKey: Int16] = [:]

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }
}

/// Segment, flush and retention policy of every partition log.
public struct LogConfiguration: Sendable, Hashable {
    /// Roll a new segment after this many bytes (log.segment.bytes).
    public var segmentBytes: Int64 = 1 << 30
    /// One offset-index entry per this many log bytes (log.index.interval.bytes).
    public var indexIntervalBytes: Int64 = 4096
    /// fsync after this many appended messages; nil never counts (log.flush.interval.messages).
    public var flushIntervalMessages: Int64?
    /// fsync dirty logs at this period in milliseconds; nil leaves it to the OS (log.flush.interval.ms).
    public var flushIntervalMilliseconds: Int64? = 1000
    /// Delete segments older than this (log.retention.ms); nil keeps forever.
    public var retentionMilliseconds: Int64? = 7 * 24 * 3600 * 1000
    /// Delete oldest segments while a partition is larger than this (log.retention.bytes); nil: no limit.
    public var retentionBytes: Int64?
    /// How often retention runs (log.retention.check.interval.ms).
    public var retentionCheckIntervalMilliseconds: Int64 = 5 * 60 * 1000

    public init() {}
}

/// Group coordinator timing (the broker-side settings of the classic protocol).
public struct GroupSettings: Sendable, Hashable {
    /// group.initial.rebalance.delay.ms
    public var initialRebalanceDelayMilliseconds: Int64 = 3000
    /// group.min.session.timeout.ms / group.max.session.timeout.ms
    public var minSessionTimeoutMilliseconds: Int32 = 6000
    public var maxSessionTimeoutMilliseconds: Int32 = 1_800_000

    public init() {}
}

/// One listener: an address, what to advertise for it, and its security protocol.
public struct BrokerListener: Sendable, Hashable {
    /// As in `listeners=SASL_SSL://host:port`.
    public typealias SecurityProtocol = KafkaSecurity.SecurityProtocol

    public var host: String
    public var port: Int
    public var advertisedHost: String?
    public var advertisedPort: Int?
    public var securityProtocol: SecurityProtocol

    public init(host: String, port: Int, securityProtocol: SecurityProtocol = .plaintext,
                advertisedHost: String? = nil, advertisedPort: Int? = nil) {
        self.host = host
        self.port = port
        self.securityProtocol = securityProtocol
        self.advertisedHost = advertisedHost
        self.advertisedPort = advertisedPort
    }
}

/// The TLS listeners' identity (PEM files) and, for mutual TLS, the CA that signs client certificates.
public struct BrokerTLSConfiguration: Sendable, Hashable {
    public var certificateFile: String
    public var keyFile: String
    /// When set, clients must present a certificate signed by this CA (ssl.client.auth=required).
    public var clientCAFile: String?

    public init(certificateFile: String, keyFile: String, clientCAFile: String? = nil) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
    }
}

/// SASL on the SASL listeners: which mechanisms, whose credentials, how long a session lasts.
public struct BrokerSASLConfiguration: Sendable, Hashable {
    /// Offered in SaslHandshake answers (sasl.enabled.mechanisms).
    public var mechanisms: [SaslMechanism] = [.plain, .scramSHA256, .scramSHA512]
    /// Salted credentials, never passwords (see `SaslUsers`).
    public var users = SaslUsers()
    /// Sessions end after this long and must re-authenticate (connections.max.reauth.ms, KIP-368);
    /// nil: they last as long as the connection.
    public var connectionsMaxReauthMilliseconds: Int64?

    public init() {}
}
