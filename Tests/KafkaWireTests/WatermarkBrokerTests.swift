import TestSupport
import KafkaProtocol
import KafkaWire
import NIOCore
import Testing

/// High watermarks and catching up against the dev broker over TCP: an empty partition is
/// known to be at its end without any record, a partition with records once they are handed
/// out.
@Suite("Watermarks against the dev broker", .timeLimit(.minutes(2)))
struct WatermarkBrokerTests {
    typealias Support = ConsumerTestSupport

    @Test func emptyAndFilledPartitionsAreCaughtUpAtTheirHighWatermark() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "folds", partitions: 2)
                let empty = TopicPartition("folds", 0)
                let filled = TopicPartition("folds", 1)
                try await Support.produce(cluster, topic: "folds", partition: 1, values: (0..<5).map { "v\($0)" })
                var configuration = KafkaConsumerConfiguration(client: Support.client(port), consumption: .partitions([empty, filled]))
                configuration.autoOffsetReset = .earliest
                let consumer = try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger)
                #expect(consumer.highWatermark(of: empty) == nil)
                try await Support.withRunning(consumer) { consumer in
                    // The empty partition: its first answer says it ends at 0, where we are.
                    let watermarks = try await consumer.waitForWatermarks(of: empty)
                    #expect(watermarks.highWatermark == 0)
                    #expect(watermarks.logStartOffset == 0)
                    try await consumer.waitUntilCaughtUp([empty])
                    #expect(consumer.isCaughtUp(empty))
                    #expect(consumer.lag(of: empty) == 0)

                    // The filled one is caught up only once its 5 records are handed out.
                    let end = try await consumer.waitForWatermarks(of: filled)
                    #expect(end.highWatermark == 5)
                    #expect(!consumer.isCaughtUp(filled))
                    var iterator = consumer.messages.makeAsyncIterator()
                    let first = try await Support.take(4, from: &iterator)
                    #expect(first.map(\.offset) == [0, 1, 2, 3])
                    #expect(consumer.lag(of: filled) == 1)
                    #expect(!consumer.isCaughtUp(filled))
                    let last = try await Support.take(1, from: &iterator)
                    #expect(last.map(\.offset) == [4])
                    #expect(consumer.isCaughtUp(filled))
                    try await consumer.waitUntilCaughtUp([empty, filled])

                    // New records move the end; caught up again after they are handed out.
                    try await Support.produce(cluster, topic: "folds", partition: 1, values: ["a", "b", "c"])
                    try await waitUntil { consumer.highWatermark(of: filled) == 8 }
                    #expect(consumer.lag(of: filled) == 3)
                    let waiter = Task { try await consumer.waitUntilCaughtUp([filled]) }
                    let more = try await Support.take(3, from: &iterator)
                    #expect(more.map(\.offset) == [5, 6, 7])
                    try await waiter.value
                    #expect(consumer.isCaughtUp(filled))

                    await #expect(throws: KafkaError.self) { try await consumer.waitUntilCaughtUp([TopicPartition("other", 0)]) }
                }
            }
        }
    }

    /// A batch reader takes what `next()` gave and everything fetched behind it, of every
    /// partition, without waiting (OrderQuery applies such a batch in one transaction).
    @Test func nextIfBufferedDrainsEveryFetchedPartition() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "batches", partitions: 3)
                let partitions = (0..<3).map { TopicPartition("batches", Int32($0)) }
                for partition in 0..<3 {
                    try await Support.produce(cluster, topic: "batches", partition: Int32(partition), values: (0..<5).map { "p\(partition)-\($0)" })
                }
                var configuration = KafkaConsumerConfiguration(client: Support.client(port), consumption: .partitions(partitions))
                configuration.autoOffsetReset = .earliest
                let consumer = try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger)
                try await Support.withRunning(consumer) { consumer in
                    var iterator = consumer.messages.makeAsyncIterator()
                    let first = try #require(try await iterator.next())
                    // Every partition's records are fetched (their high watermarks came with
                    // them), and handed over as they reach the buffer: a high watermark can be
                    // known a moment before its records are buffered, so this takes them as
                    // they come, never through next(), until all are in (or a generous deadline).
                    try await waitUntil { partitions.allSatisfy { consumer.highWatermark(of: $0) == 5 } }
                    var batch = [first]
                    try await waitUntil("15 records buffered", timeout: .seconds(30)) {
                        while let record = iterator.nextIfBuffered() { batch.append(record) }
                        return batch.count >= 15
                    }
                    #expect(batch.count == 15)
                    #expect(Set(batch.map(\.partition)) == [0, 1, 2])
                    for partition in Int32(0)..<3 {
                        #expect(batch.filter { $0.partition == partition }.map(\.offset) == [0, 1, 2, 3, 4])
                    }
                    #expect(iterator.nextIfBuffered() == nil)
                }
            }
        }
    }

    @Test func aGroupMemberKnowsItsEmptyPartitionsAreFolded() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "empty-events", partitions: 3)
                var configuration = KafkaConsumerConfiguration(
                    client: Support.client(port), consumption: .group(id: "folder", topics: ["empty-events"]))
                configuration.autoOffsetReset = .earliest
                configuration.sessionTimeout = .seconds(6)
                configuration.heartbeatInterval = .milliseconds(200)
                configuration.partitionAssignmentStrategy = [.cooperativeSticky]
                let assigned = RebalanceLog()
                let consumer = try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger) { event in
                    await assigned.append(event)
                }
                try await Support.withRunning(consumer) { consumer in
                    try await waitUntil { await assigned.events.contains { $0.kind == .assigned && !$0.partitions.isEmpty } }
                    let partitions = try #require(await assigned.events.first { $0.kind == .assigned }?.assignment?.partitions)
                    #expect(partitions.count == 3)
                    try await consumer.waitUntilCaughtUp(partitions)
                    #expect(partitions.allSatisfy { consumer.highWatermark(of: $0) == 0 && consumer.lag(of: $0) == 0 })
                }
            }
        }
    }
}
