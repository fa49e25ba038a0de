import KafkaBroker
import KafkaProtocol
import KafkaWire
import NIOCore
import Testing

/// The consumer against a broker that offers only old versions of the APIs it uses, and
/// one that offers only the newest (topic ids in Fetch, grouped OffsetFetch, flexible
/// group APIs): every version-dependent request shape is exercised.
@Suite("Consumer against old and new brokers", .timeLimit(.minutes(2)))
struct ConsumerVersionsTests {
    typealias Support = ConsumerTestSupport

    static let consumerAPIs: [APIKey: (old: Int16, new: Int16)] = [
        .fetch: (4, FetchRequest.validVersions.upperBound),
        .listOffsets: (0, ListOffsetsRequest.validVersions.upperBound),
        .offsetCommit: (2, OffsetCommitRequest.validVersions.upperBound),
        .offsetFetch: (1, OffsetFetchRequest.validVersions.upperBound),
        .findCoordinator: (0, FindCoordinatorRequest.validVersions.upperBound),
        .joinGroup: (0, JoinGroupRequest.validVersions.upperBound),
        .syncGroup: (0, SyncGroupRequest.validVersions.upperBound),
        .heartbeat: (0, HeartbeatRequest.validVersions.upperBound),
        .leaveGroup: (0, LeaveGroupRequest.validVersions.upperBound),
    ]

    @Test func worksWithOnlyOldVersions() async throws {
        try await scenario { configuration in
            for (key, versions) in Self.consumerAPIs { configuration.maxVersions[key] = versions.old }
        }
    }

    @Test func worksWithOnlyTheNewestVersions() async throws {
        try await scenario { configuration in
            for (key, versions) in Self.consumerAPIs { configuration.minVersions[key] = versions.new }
        }
    }

    /// Reads part of a topic in a group and commits, then a second member resumes there
    /// and reads to the end; a plain assignment seeks to the end and back to the beginning.
    private func scenario(_ adjust: @escaping (inout BrokerConfiguration) -> Void) async throws {
        try await ConnectionTestBroker.run(adjust) { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "versions", partitions: 2)
                for partition in Int32(0)..<2 {
                    try await Support.produce(
                        cluster, topic: "versions", partition: partition, values: (0..<5).map { "p\(partition)-\($0)" },
                        compression: .lz4)
                }
                func member() throws -> KafkaConsumer {
                    var configuration = KafkaConsumerConfiguration(
                        client: Support.client(port), consumption: .group(id: "versioned", topics: ["versions"]))
                    configuration.autoOffsetReset = .earliest
                    configuration.enableAutoCommit = false
                    configuration.sessionTimeout = .seconds(6)
                    configuration.heartbeatInterval = .milliseconds(200)
                    return try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger)
                }
                let first = try await Support.withRunning(try member()) { consumer in
                    var iterator = consumer.messages.makeAsyncIterator()
                    let records = try await Support.take(6, from: &iterator)
                    try await consumer.commit()
                    return records.map { String(buffer: $0.value!) }
                }
                let rest = try await Support.withRunning(try member()) { consumer in
                    var iterator = consumer.messages.makeAsyncIterator()
                    return try await Support.take(4, from: &iterator).map { String(buffer: $0.value!) }
                }
                let all = (0..<2).flatMap { p in (0..<5).map { "p\(p)-\($0)" } }
                #expect(Set(first + rest) == Set(all))
                #expect(first.count + rest.count == 10)

                let partition = TopicPartition("versions", 1)
                var manual = KafkaConsumerConfiguration(client: Support.client(port), consumption: .partitions([partition]))
                manual.autoOffsetReset = .latest
                let consumer = try KafkaConsumer(configuration: manual, logger: ConnectionTestBroker.logger)
                try await Support.withRunning(consumer) { consumer in
                    #expect(try await consumer.endOffsets([partition]) == [partition: 5])
                    try consumer.seek(partition, to: .beginning)
                    var iterator = consumer.messages.makeAsyncIterator()
                    let records = try await Support.take(2, from: &iterator)
                    #expect(records.map(\.offset) == [0, 1])
                }
            }
        }
    }
}
