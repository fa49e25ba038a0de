import KafkaProtocol

/// Producer settings. Defaults follow the Java client's (Kafka 4.x) unless noted; the Kafka
/// property each one corresponds to is in parentheses.
public struct KafkaProducerConfiguration: Sendable {
    /// How many replicas must have a record before the broker acknowledges it (acks).
    public enum Acks: Int16, Sendable, Hashable {
        /// Fire and forget: no response; delivered records report offset -1.
        case none = 0
        /// The partition leader wrote the record.
        case leader = 1
        /// Every in-sync replica has the record (the default).
        case all = -1
    }

    /// Connection and cluster settings shared with the other clients.
    public var client: KafkaClientConfiguration
    /// Default `.all` (acks=all).
    public var acks: Acks = .all
    /// Exactly-once delivery per partition across retries: a producer id and per-partition
    /// sequence numbers let the broker drop duplicates (enable.idempotence, default true).
    /// Needs acks `.all` and at most 5 requests in flight per broker.
    public var idempotence = true
    /// How long a partition's batch may wait for more records before it is sent
    /// (linger.ms, 5 ms).
    public var linger: Duration = .milliseconds(5)
    /// Bytes of records per partition batch before it is sent without waiting for linger
    /// (batch.size). Default 128 KiB: Java's 16 KiB makes small batches at high rates;
    /// librdkafka's is 1 MB.
    public var batchSize = 128 * 1024
    /// Bytes of records the producer holds before `send`/`enqueue` wait for room
    /// (buffer.memory, 32 MiB).
    public var bufferMemory = 32 * 1024 * 1024
    /// How long `send`/`enqueue` wait for buffer room or for the topic's metadata before
    /// failing (max.block.ms, 60 s).
    public var maxBlock: Duration = .seconds(60)
    /// Requests sent to one broker before an answer is needed (max.in.flight.requests.per.connection, 5).
    public var maxInFlightRequestsPerConnection = 5
    /// Codec for record batches (compression.type, none).
    public var compression: CompressionCodec = .none
    /// Codec level; nil for the codec's default (compression.<codec>.level).
    public var compressionLevel: Int32?
    /// Upper bound on the time from `send`/`enqueue` to the record's success or failure,
    /// retries included (delivery.timeout.ms, 120 s).
    public var deliveryTimeout: Duration = .seconds(120)
    /// How often a failed batch is sent again; the delivery timeout bounds it too
    /// (retries, unlimited).
    public var retries = Int.max
    /// Largest produce request, and so largest record (max.request.size, 1 MiB).
    public var maxRequestSize = 1024 * 1024
    /// Where records without an explicit partition go (partitioner.class; default murmur2
    /// with sticky keyless placement, as Java and librdkafka's murmur2_random).
    public var partitioner: KafkaPartitioner = .murmur2Random
    /// Topics missing from the cluster are created on first use when the broker allows
    /// it (allow.auto.create.topics, true).
    public var allowAutoTopicCreation = true

    public init(bootstrapServers: [BrokerAddress]) {
        self.client = KafkaClientConfiguration(bootstrapServers: bootstrapServers)
    }

    public init(client: KafkaClientConfiguration) {
        self.client = client
    }

    /// Throws `.invalidConfiguration` for values the producer cannot honour.
    public func validate() throws {
        func invalid(_ message: String) -> KafkaError { KafkaError(.invalidConfiguration, message) }
        guard !client.bootstrapServers.isEmpty else { throw invalid("no bootstrap servers") }
        guard batchSize > 0 else { throw invalid("batchSize must be positive") }
        guard bufferMemory >= batchSize else { throw invalid("bufferMemory must be at least batchSize") }
        guard maxRequestSize > RecordBatchHeader.size else { throw invalid("maxRequestSize too small") }
        guard maxInFlightRequestsPerConnection >= 1 else { throw invalid("maxInFlightRequestsPerConnection must be at least 1") }
        guard retries >= 0 else { throw invalid("retries must not be negative") }
        guard linger >= .zero, maxBlock >= .zero, deliveryTimeout > .zero else {
            throw invalid("linger and maxBlock must not be negative, deliveryTimeout must be positive")
        }
        if idempotence {
            // As the Java client: the sequence window the broker keeps is 5 batches.
            guard acks == .all else { throw invalid("idempotence needs acks all") }
            guard maxInFlightRequestsPerConnection <= 5 else {
                throw invalid("idempotence needs at most 5 requests in flight per connection")
            }
        }
    }
}
