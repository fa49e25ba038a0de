import Events
import KafkaProtocol
import KafkaWire
import NIOCore

extension EventRecord {
    /// The record as consumed (copies key, value and headers out of the fetched bytes, each in
    /// one copy: `Array(readableBytesView)` went through an iterator byte by byte, and showed
    /// up in the fold of a taken-over partition).
    public init(_ record: ConsumerRecord) {
        self.init(
            key: record.key.map { [UInt8](buffer: $0) },
            value: record.value.map { [UInt8](buffer: $0) },
            headers: record.headers.map { Header(name: $0.key, value: $0.value.map { [UInt8](buffer: $0) }) })
    }
}

extension ProducerRecord {
    /// The record to append for an event, to an explicit partition (the one the ledger owns,
    /// which is the key's murmur2 partition).
    public init(_ record: EventRecord, topic: String, partition: Int32) {
        self.init(topic: topic, key: record.keyBuffer, value: record.valueBuffer, headers: record.recordHeaders, partition: partition)
    }
}

/// The fold reads a consumed record's bytes where the client fetched them (see `EventRecordBytes`).
extension ConsumerRecord: EventRecordBytes {
    public func withKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        key?.withUnsafeReadableBytes { body($0.assumingMemoryBound(to: UInt8.self)) } != nil
    }

    public func withValue(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        value?.withUnsafeReadableBytes { body($0.assumingMemoryBound(to: UInt8.self)) } != nil
    }

    public var headerCount: Int { headers.count }

    // Headers are read in place (through the array's buffer), not copied out: a copy retains
    // and releases the name and the value's storage, for each of a record's headers.
    public func headerNameLength(at index: Int) -> Int {
        headers.withUnsafeBufferPointer { $0[index].key.utf8.count }
    }

    public func headerName(at index: Int, is name: String) -> Bool {
        headers.withUnsafeBufferPointer { $0[index].key == name }
    }

    public func withHeaderValue(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        headers.withUnsafeBufferPointer { headers in
            headers[index].value?.withUnsafeReadableBytes { body($0.assumingMemoryBound(to: UInt8.self)) } != nil
        }
    }
}

extension ConsumerRecord {
    /// An event's record as if consumed at `offset` of `partition` (for tests and tools that
    /// build records rather than consume them).
    public init(_ record: EventRecord, topic: String = "", partition: Int32, offset: Int64, timestamp: Int64 = 0) {
        self.init(
            topic: topic, partition: partition, offset: offset, timestamp: timestamp,
            key: record.keyBuffer, value: record.valueBuffer, headers: record.recordHeaders)
    }
}

extension EventRecord {
    /// Key, value and headers as the Kafka client's types (a producer's record, or one as if consumed).
    var keyBuffer: ByteBuffer? { key.map { ByteBuffer(bytes: $0) } }
    var valueBuffer: ByteBuffer? { value.map { ByteBuffer(bytes: $0) } }
    var recordHeaders: [RecordHeader] { headers.map { RecordHeader(key: $0.name, value: $0.value.map { ByteBuffer(bytes: $0) }) } }
}
