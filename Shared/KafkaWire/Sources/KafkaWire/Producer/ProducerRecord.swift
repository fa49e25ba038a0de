import KafkaProtocol
import NIOCore

/// One record to produce.
public struct ProducerRecord: Sendable {
    public var topic: String
    /// Null when nil. Keyed records without `partition` are placed by murmur2 of the key.
    public var key: ByteBuffer?
    /// Null (a tombstone) when nil.
    public var value: ByteBuffer?
    public var headers: [RecordHeader]
    /// Explicit partition; nil lets the partitioner choose.
    public var partition: Int32?
    /// Create time in milliseconds since the Unix epoch; nil for the time of `send`/`enqueue`.
    public var timestamp: Int64?

    public init(
        topic: String, key: ByteBuffer? = nil, value: ByteBuffer?, headers: [RecordHeader] = [],
        partition: Int32? = nil, timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
        self.timestamp = timestamp
    }

    /// A record with UTF-8 text key and value.
    public init(
        topic: String, key: String? = nil, value: String?, headers: [RecordHeader] = [],
        partition: Int32? = nil, timestamp: Int64? = nil
    ) {
        self.init(
            topic: topic, key: key.map { ByteBuffer(string: $0) }, value: value.map { ByteBuffer(string: $0) },
            headers: headers, partition: partition, timestamp: timestamp)
    }

    /// Upper bound of the bytes this record takes in a batch: data plus the largest varint
    /// framing (length, attributes, deltas, lengths, header count).
    @inlinable
    var estimatedSize: Int {
        var size = 5 + 1 + 10 + 5 + 5 + 5 + 5
        size += key?.readableBytes ?? 0
        size += value?.readableBytes ?? 0
        for header in headers { size += header.encodedSize }
        return size
    }
}

/// Where a record was written.
public struct RecordMetadata: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    /// The record's offset; -1 with acks `.none`, where the broker does not answer.
    public var offset: Int64
    /// The record's create time, or the broker's append time for LogAppendTime topics (ms).
    public var timestamp: Int64

    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }

    public var description: String { "\(topic)[\(partition)]@\(offset)" }
}
