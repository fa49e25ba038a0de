import Events
import KafkaProtocol
import KafkaWire
import NIOCore

extension EventRecord {
    /// The record as consumed (copies key, value and headers out of the fetched bytes).
    public init(_ record: ConsumerRecord) {
        self.init(
            key: record.key.map(\.readableBytesArray),
            value: record.value.map(\.readableBytesArray),
            headers: record.headers.map { Header(name: $0.key, value: $0.value.map(\.readableBytesArray)) })
    }
}

extension ByteBuffer {
    /// The readable bytes as an array, in one copy (`Array(readableBytesView)` copies through
    /// an iterator, byte by byte: it showed up in the fold of a taken-over partition).
    var readableBytesArray: [UInt8] {
        withUnsafeReadableBytes { source in
            Array(unsafeUninitializedCapacity: source.count) { target, count in
                UnsafeMutableRawBufferPointer(target).copyMemory(from: source)
                count = source.count
            }
        }
    }
}

extension ProducerRecord {
    /// The record to append for an event, to an explicit partition (the one the ledger owns,
    /// which is the key's murmur2 partition).
    public init(_ record: EventRecord, topic: String, partition: Int32) {
        self.init(
            topic: topic, key: record.key.map { ByteBuffer(bytes: $0) }, value: record.value.map { ByteBuffer(bytes: $0) },
            headers: record.headers.map { RecordHeader(key: $0.name, value: $0.value.map { ByteBuffer(bytes: $0) }) },
            partition: partition)
    }
}
