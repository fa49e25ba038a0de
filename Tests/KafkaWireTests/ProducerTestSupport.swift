import Foundation
import KafkaBroker
import KafkaProtocol
import KafkaWire
import Logging
import NIOCore
import Testing

/// The dev broker in-process and a producer running against it, for producer tests.
enum ProducerTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "kafkawire.producer-test")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs a broker for the duration of `body`, which gets its port.
    static func withBroker(
        _ adjust: (inout BrokerConfiguration) -> Void = { _ in },
        _ body: (Int) async throws -> Void
    ) async throws {
        try await ConnectionTestBroker.run(adjust, body)
    }

    static func configuration(port: Int) -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: port)])
        configuration.client.requestTimeout = .seconds(10)
        configuration.maxBlock = .seconds(10)
        return configuration
    }

    /// Runs a producer (its `run()` in a child task) for the duration of `body`, then closes it.
    static func withProducer<T: Sendable>(
        _ configuration: KafkaProducerConfiguration,
        _ body: (KafkaProducer) async throws -> T
    ) async throws -> T {
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            do {
                let result = try await body(producer)
                await producer.close()
                try await group.waitForAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Every record of `topic`'s `partition`, read with Fetch through a cluster client.
    static func fetchAll(port: Int, topic: String, partition: Int32) async throws -> [(batch: RecordBatchHeader, record: Record)] {
        let cluster = KafkaCluster(
            configuration: KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: port)]),
            logger: logger)
        defer { Task { await cluster.shutdown() } }
        var out: [(RecordBatchHeader, Record)] = []
        var offset: Int64 = 0
        while true {
            let request = FetchRequest(
                maxWaitMs: 0, minBytes: 0, maxBytes: 64 << 20,
                topics: [.init(topic: topic, partitions: [.init(partition: partition, fetchOffset: offset, partitionMaxBytes: 32 << 20)])])
            let metadata = try await cluster.metadata(for: [topic])
            let leader = try #require(metadata.topics[topic]?.partitions.first { $0.index == partition }?.leader)
            let response = try await cluster.send(request, to: leader, version: 11)
            let data = try #require(response.responses.first?.partitions.first)
            #expect(data.errorCode == 0)
            var iterator = RecordBatchIterator(data.records ?? ByteBuffer())
            var progressed = false
            while let batch = try iterator.next() {
                for record in batch.records where record.offset >= offset {
                    out.append((batch.header, record))
                    progressed = true
                }
                offset = batch.header.baseOffset + Int64(batch.header.lastOffsetDelta) + 1
            }
            if !progressed || offset >= data.highWatermark { break }
        }
        return out
    }
}

extension ByteBuffer {
    var string: String { String(buffer: self) }
}
