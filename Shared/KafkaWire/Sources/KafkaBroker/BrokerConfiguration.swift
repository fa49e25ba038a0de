import KafkaProtocol

/// Everything the dev broker can be told. Defaults mirror Apache Kafka's where one exists.
public struct BrokerConfiguration: Sendable {
    /// Address to bind. Port 0 picks a free port (see `BrokerServer.boundPort`).
    public var host: String = "127.0.0.1"
    public var port: Int = 9092
    /// Host and port clients are told to connect to (Metadata, FindCoordinator).
    /// Defaults to the bound address.
    public var advertisedHost: String?
    public var advertisedPort: Int?
    /// Directory for topic logs, committed offsets and producer ids.
    public var dataDirectory: String
    public var nodeID: Int32 = 1
    public var clusterID: String = "kafkawire-dev-cluster"

    /// Create a topic the first time Metadata or Produce names it (auto.create.topics.enable).
    public var autoCreateTopics: Bool = true
    /// Partitions of an auto-created topic, or of one created with -1 (num.partitions).
    public var defaultPartitions: Int32 = 1

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
