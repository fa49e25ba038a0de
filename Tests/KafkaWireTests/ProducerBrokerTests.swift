import KafkaBroker
import KafkaProtocol
import KafkaWire
import NIOCore
import Testing

/// The producer against the in-process dev broker over TCP.
@Suite("Producer against the dev broker", .timeLimit(.minutes(2)))
struct ProducerBrokerTests {
    @Test func sendReturnsPartitionAndOffsetAndTheRecordIsStored() async throws {
        try await ProducerTestSupport.withBroker { port in
            let header = RecordHeader(key: "h", value: ByteBuffer(string: "hv"))
            let sent = try await ProducerTestSupport.withProducer(ProducerTestSupport.configuration(port: port)) { producer in
                let first = try await producer.send(
                    ProducerRecord(topic: "t1", key: "k", value: "v0", headers: [header], partition: 0, timestamp: 1_700_000_000_123))
                let second = try await producer.send(ProducerRecord(topic: "t1", key: "k", value: "v1", partition: 0))
                return [first, second]
            }
            #expect(sent[0] == RecordMetadata(topic: "t1", partition: 0, offset: 0, timestamp: 1_700_000_000_123))
            #expect(sent[1].offset == 1)
            let stored = try await ProducerTestSupport.fetchAll(port: port, topic: "t1", partition: 0)
            #expect(stored.count == 2)
            #expect(stored[0].record.key?.string == "k")
            #expect(stored[0].record.value?.string == "v0")
            #expect(stored[0].record.headers == [header])
            #expect(stored[0].record.timestamp == 1_700_000_000_123)
            // Idempotent by default: a producer id and sequences 0, 1.
            #expect(stored[0].batch.producerID >= 0)
            #expect(stored.map(\.batch.baseSequence) == [0, 1])
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func pipelinedRecordsArriveInOrderWithEveryCodec(_ codec: CompressionCodec) async throws {
        try await ProducerTestSupport.withBroker({ $0.defaultPartitions = 3 }) { port in
            var configuration = ProducerTestSupport.configuration(port: port)
            configuration.compression = codec
            configuration.batchSize = 4096
            let count = 3000
            let offsets = try await ProducerTestSupport.withProducer(configuration) { producer in
                var handles: [DeliveryHandle] = []
                for i in 0..<count {
                    handles.append(try await producer.enqueue(ProducerRecord(topic: "codec", value: "value-\(i)", partition: Int32(i % 3))))
                }
                var offsets: [RecordMetadata] = []
                for handle in handles { offsets.append(try await handle.metadata()) }
                return offsets
            }
            for partition in Int32(0)..<3 {
                let mine = offsets.enumerated().filter { $0.element.partition == partition }
                #expect(mine.map(\.element.offset) == Array(0..<Int64(mine.count)))
                let stored = try await ProducerTestSupport.fetchAll(port: port, topic: "codec", partition: partition)
                #expect(stored.map { $0.record.value?.string } == mine.map { "value-\($0.offset)" })
                #expect(stored.allSatisfy { (try? $0.batch.attributes.compression()) == codec })
            }
        }
    }

    @Test func keyedRecordsGoWhereMurmur2Says() async throws {
        try await ProducerTestSupport.withBroker({ $0.defaultPartitions = 6 }) { port in
            let keys = (0..<200).map { "key-\($0)" }
            let placed = try await ProducerTestSupport.withProducer(ProducerTestSupport.configuration(port: port)) { producer in
                var handles: [DeliveryHandle] = []
                for key in keys { handles.append(try await producer.enqueue(ProducerRecord(topic: "keyed", key: key, value: "x"))) }
                var partitions: [Int32] = []
                for handle in handles { partitions.append(try await handle.metadata().partition) }
                return partitions
            }
            let expected = keys.map { KafkaPartitioner.partition(forKey: Array($0.utf8).withUnsafeBytes { ByteBuffer(bytes: $0) }, partitionCount: 6) }
            #expect(placed == expected)
            #expect(Set(placed).count == 6)
        }
    }

    @Test func keylessRecordsSpreadOverPartitions() async throws {
        try await ProducerTestSupport.withBroker({ $0.defaultPartitions = 4 }) { port in
            var configuration = ProducerTestSupport.configuration(port: port)
            configuration.batchSize = 1024
            let partitions = try await ProducerTestSupport.withProducer(configuration) { producer in
                var handles: [DeliveryHandle] = []
                for i in 0..<2000 { handles.append(try await producer.enqueue(ProducerRecord(topic: "keyless", value: "value \(i)"))) }
                var partitions = Set<Int32>()
                for handle in handles { partitions.insert(try await handle.metadata().partition) }
                return partitions
            }
            #expect(partitions == [0, 1, 2, 3])
        }
    }

    @Test(arguments: [KafkaProducerConfiguration.Acks.none, .leader])
    func otherAcksWithoutIdempotence(_ acks: KafkaProducerConfiguration.Acks) async throws {
        try await ProducerTestSupport.withBroker { port in
            var configuration = ProducerTestSupport.configuration(port: port)
            configuration.acks = acks
            configuration.idempotence = false
            let results = try await ProducerTestSupport.withProducer(configuration) { producer in
                var results: [RecordMetadata] = []
                for i in 0..<10 { results.append(try await producer.send(ProducerRecord(topic: "acks", value: "v\(i)", partition: 0))) }
                return results
            }
            if acks == .none {
                #expect(results.allSatisfy { $0.offset == -1 })
            } else {
                #expect(results.map(\.offset) == Array(0..<10))
            }
            let stored = try await ProducerTestSupport.fetchAll(port: port, topic: "acks", partition: 0)
            #expect(stored.count == 10)
            #expect(stored.allSatisfy { $0.batch.producerID == -1 })
        }
    }

    @Test func flushDeliversWithoutWaitingForLinger() async throws {
        try await ProducerTestSupport.withBroker { port in
            var configuration = ProducerTestSupport.configuration(port: port)
            // Longer than the suite's time limit: a flush that waited for the linger would fail
            // the test, with no upper bound on elapsed time for a loaded machine to overrun.
            configuration.linger = .seconds(3600)
            try await ProducerTestSupport.withProducer(configuration) { producer in
                let handle = try await producer.enqueue(ProducerRecord(topic: "flush", value: "v", partition: 0))
                await producer.flush()
                #expect(try await handle.metadata().offset == 0)
            }
        }
    }

    @Test func closedProducerRefusesRecords() async throws {
        try await ProducerTestSupport.withBroker { port in
            try await ProducerTestSupport.withProducer(ProducerTestSupport.configuration(port: port)) { producer in
                _ = try await producer.send(ProducerRecord(topic: "close", value: "v", partition: 0))
                await producer.close()
                await #expect(throws: KafkaError.self) {
                    _ = try await producer.send(ProducerRecord(topic: "close", value: "late", partition: 0))
                }
            }
        }
    }

    @Test func explicitPartitionOutOfRangeFails() async throws {
        try await ProducerTestSupport.withBroker { port in
            try await ProducerTestSupport.withProducer(ProducerTestSupport.configuration(port: port)) { producer in
                let error = await #expect(throws: KafkaError.self) {
                    _ = try await producer.send(ProducerRecord(topic: "range", value: "v", partition: 7))
                }
                #expect(error?.code == .broker(.unknownTopicOrPartition))
                #expect(error?.isRetriable == false)
            }
        }
    }

    @Test func fullBufferFailsAfterMaxBlockWhenNothingDrains() async throws {
        try await ProducerTestSupport.withBroker { port in
            var configuration = ProducerTestSupport.configuration(port: port)
            configuration.bufferMemory = 2048
            configuration.batchSize = 1024
            configuration.maxBlock = .milliseconds(300)
            // run() is not started: nothing is sent, so the buffer stays full.
            let producer = try KafkaProducer(configuration: configuration, logger: ProducerTestSupport.logger)
            let value = String(repeating: "x", count: 900)
            _ = try await producer.enqueue(ProducerRecord(topic: "full", value: value, partition: 0))
            _ = try await producer.enqueue(ProducerRecord(topic: "full", value: value, partition: 0))
            let error = await #expect(throws: KafkaError.self) {
                _ = try await producer.enqueue(ProducerRecord(topic: "full", value: value, partition: 0))
            }
            #expect(error?.code == .bufferExhausted)
        }
    }

    @Test func backPressureDeliversMoreThanTheBufferHolds() async throws {
        try await ProducerTestSupport.withBroker { port in
            var configuration = ProducerTestSupport.configuration(port: port)
            configuration.bufferMemory = 16 * 1024
            configuration.batchSize = 4096
            let value = ByteBuffer(repeating: 7, count: 200)
            let last = try await ProducerTestSupport.withProducer(configuration) { producer in
                var last: DeliveryHandle?
                for _ in 0..<2000 { last = try await producer.enqueue(ProducerRecord(topic: "bp", value: value, partition: 0)) }
                return try await last!.metadata()
            }
            #expect(last.offset == 1999)
        }
    }

    /// Produce v3 (the first with record batches) and InitProducerId v0 still give an
    /// idempotent producer; the newest versions are covered by every other test.
    @Test func worksWithABrokerCappedAtTheOldestUsableVersions() async throws {
        try await ProducerTestSupport.withBroker({ $0.maxVersions = [.produce: 3, .initProducerId: 0] }) { port in
            let results = try await ProducerTestSupport.withProducer(ProducerTestSupport.configuration(port: port)) { producer in
                var results: [RecordMetadata] = []
                for i in 0..<5 { results.append(try await producer.send(ProducerRecord(topic: "old", key: "k", value: "v\(i)", partition: 0))) }
                return results
            }
            #expect(results.map(\.offset) == Array(0..<5))
            let stored = try await ProducerTestSupport.fetchAll(port: port, topic: "old", partition: 0)
            #expect(stored.map(\.batch.baseSequence) == [0, 1, 2, 3, 4])
        }
    }
}
