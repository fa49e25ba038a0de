import TestSupport
import KafkaProtocol
import KafkaWire
import NIOCore
import Testing

/// The consumer against the in-process dev broker over TCP.
@Suite("Consumer against the dev broker", .timeLimit(.minutes(2)))
struct ConsumerBrokerTests {
    typealias Support = ConsumerTestSupport

    @Test func readsEveryCodecFromTheBeginningInOrder() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "codecs", partitions: 1)
                var expected: [String] = []
                for codec in CompressionCodec.allCases {
                    let values = (0..<50).map { "\(codec)-\($0)" }
                    try await Support.produce(cluster, topic: "codecs", partition: 0, values: values, compression: codec)
                    expected += values
                }
                var configuration = KafkaConsumerConfiguration(
                    client: Support.client(port), consumption: .partitions([TopicPartition("codecs", 0)]))
                configuration.autoOffsetReset = .earliest
                let consumer = try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger)
                let total = expected.count
                let records = try await Support.withRunning(consumer) { consumer in
                    var iterator = consumer.messages.makeAsyncIterator()
                    return try await Support.take(total, from: &iterator)
                }
                #expect(records.map { String(buffer: $0.value!) } == expected)
                #expect(records.map(\.offset) == Array(0..<Int64(expected.count)))
                #expect(records[3].key == ByteBuffer(string: "k" + expected[3]))
                #expect(records[3].headers == [RecordHeader(key: "h", value: ByteBuffer(string: expected[3]))])
                #expect(records[3].timestamp == 1_700_000_000_003)
                #expect(records.allSatisfy { $0.topic == "codecs" && $0.partition == 0 })
            }
        }
    }

    @Test func seeksToOffsetsTimestampsAndTheEndAndPauses() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "seek", partitions: 1)
                try await Support.produce(cluster, topic: "seek", partition: 0, values: (0..<10).map { "v\($0)" }, timestamp: 1000)
                let partition = TopicPartition("seek", 0)
                var configuration = KafkaConsumerConfiguration(client: Support.client(port), consumption: .partitions([partition]))
                configuration.autoOffsetReset = .latest
                let consumer = try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger)
                try consumer.seek(partition, to: .offset(5))
                try await Support.withRunning(consumer) { consumer in
                    var iterator = consumer.messages.makeAsyncIterator()
                    let afterOffsetSeek = try await Support.take(2, from: &iterator)
                    #expect(afterOffsetSeek.map(\.offset) == [5, 6])
                    try consumer.seek(partition, to: .timestamp(1002))
                    let afterTimestampSeek = try await Support.take(1, from: &iterator)
                    #expect(afterTimestampSeek.map(\.offset) == [2])
                    try consumer.seek(partition, to: .beginning)
                    let afterBeginningSeek = try await Support.take(1, from: &iterator)
                    #expect(afterBeginningSeek.map(\.offset) == [0])
                    consumer.pause([partition])
                    consumer.resume([partition])
                    let afterResume = try await Support.take(1, from: &iterator)
                    #expect(afterResume.map(\.offset) == [1])
                    try consumer.seek(partition, to: .end)
                    // The end is looked up asynchronously; produce only once it is known.
                    try await waitUntil { consumer.position(of: partition) == 10 }
                    try await Support.produce(cluster, topic: "seek", partition: 0, values: ["new"])
                    let fresh = try await Support.take(1, from: &iterator)
                    #expect(fresh.map(\.offset) == [10])
                    #expect(fresh.first.map { String(buffer: $0.value!) } == "new")
                    #expect(throws: KafkaError.self) { try consumer.seek(TopicPartition("other", 0), to: .beginning) }
                    let ends = try await consumer.endOffsets([partition])
                    #expect(ends == [partition: 11])
                }
            }
        }
    }

    @Test func outOfRangeOffsetFollowsTheResetPolicy() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "range", partitions: 1)
                try await Support.produce(cluster, topic: "range", partition: 0, values: ["a", "b", "c"])
                let partition = TopicPartition("range", 0)
                var configuration = KafkaConsumerConfiguration(client: Support.client(port), consumption: .partitions([partition]))
                configuration.autoOffsetReset = .earliest
                let consumer = try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger)
                try consumer.seek(partition, to: .offset(1_000))
                try await Support.withRunning(consumer) { consumer in
                    var iterator = consumer.messages.makeAsyncIterator()
                    let afterReset = try await Support.take(3, from: &iterator)
                    #expect(afterReset.map(\.offset) == [0, 1, 2])
                }
            }
        }
    }

    @Test func groupMembersSplitPartitionsAndCommitOnRevoke() async throws {
        try await groupScenario(strategies: [.range])
    }

    @Test func cooperativeStickyGroupHandsPartitionsOverIncrementally() async throws {
        try await groupScenario(strategies: [.cooperativeSticky])
    }

    @Test func manualCommitIsReadBackAndAGroupResumesFromIt() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "resume", partitions: 1)
                try await Support.produce(cluster, topic: "resume", partition: 0, values: (0..<10).map { "v\($0)" })
                let partition = TopicPartition("resume", 0)
                func member() throws -> KafkaConsumer {
                    var configuration = KafkaConsumerConfiguration(
                        client: Support.client(port), consumption: .group(id: "resumers", topics: ["resume"]))
                    configuration.autoOffsetReset = .earliest
                    configuration.enableAutoCommit = false
                    configuration.commitOnRevoke = false
                    configuration.sessionTimeout = .seconds(6)
                    configuration.heartbeatInterval = .milliseconds(200)
                    return try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger)
                }
                try await Support.withRunning(try member()) { consumer in
                    var iterator = consumer.messages.makeAsyncIterator()
                    let first = try await Support.take(4, from: &iterator)
                    #expect(first.map(\.offset) == [0, 1, 2, 3])
                    // commit() covers every record handed out, the one in hand included.
                    try await consumer.commit()
                    let committed = try await consumer.committed([partition])
                    #expect(committed == [partition: 4])
                }
                try await Support.withRunning(try member()) { consumer in
                    var iterator = consumer.messages.makeAsyncIterator()
                    let rest = try await Support.take(6, from: &iterator)
                    #expect(rest.map(\.offset) == [4, 5, 6, 7, 8, 9])
                }
            }
        }
    }

    @Test func leaderRebalancesWhenASubscribedTopicAppears() async throws {
        try await ConnectionTestBroker.run({ $0.autoCreateTopics = false }) { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                var configuration = KafkaConsumerConfiguration(
                    client: Support.client(port), consumption: .group(id: "early", topics: ["later"]))
                configuration.autoOffsetReset = .earliest
                configuration.sessionTimeout = .seconds(6)
                configuration.heartbeatInterval = .milliseconds(200)
                let log = RebalanceLog()
                let consumer = try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger) { event in
                    await log.append(event)
                }
                try await Support.withRunning(consumer) { consumer in
                    try await waitUntil { await log.events.first.map { $0.kind == .assigned && $0.partitions.isEmpty } == true }
                    try await Support.createTopic(cluster, "later", partitions: 2)
                    try await Support.produce(cluster, topic: "later", partition: 1, values: ["hello"])
                    var iterator = consumer.messages.makeAsyncIterator()
                    let records = try await Support.take(1, from: &iterator)
                    #expect(records.map { String(buffer: $0.value!) } == ["hello"])
                    #expect(consumer.assignment == [TopicPartition("later", 0), TopicPartition("later", 1)])
                }
            }
        }
    }

    @Test func aSlowRebalanceHandlerDoesNotCostTheSession() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "slow", partitions: 2)
                func member(_ log: RebalanceLog, handled: RebalanceLog, handlerDelay: Duration) throws -> KafkaConsumer {
                    var configuration = KafkaConsumerConfiguration(
                        client: Support.client(port), consumption: .group(id: "slow", topics: ["slow"]))
                    configuration.autoOffsetReset = .earliest
                    configuration.sessionTimeout = .seconds(6)
                    configuration.heartbeatInterval = .milliseconds(300)
                    // Commits would refresh the session too; leave it to heartbeats.
                    configuration.enableAutoCommit = false
                    return try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger) { event in
                        await log.append(event)
                        if event.kind == .assigned && !event.partitions.isEmpty { try? await Task.sleep(for: handlerDelay) }
                        await handled.append(event)
                    }
                }
                let fastLog = RebalanceLog()
                let slowLog = RebalanceLog()
                let slowHandled = RebalanceLog()
                let fast = try member(fastLog, handled: RebalanceLog(), handlerDelay: .zero)
                let slow = try member(slowLog, handled: slowHandled, handlerDelay: .seconds(8))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await fast.run() }
                    try await waitUntil { fast.assignment.count == 2 }
                    group.addTask { try await slow.run() }
                    // The slow member's handler outlasts its session timeout. Wait for it to
                    // return (not for a guessed time). Had the member stopped heartbeating
                    // meanwhile, the coordinator would have given both partitions to the fast
                    // member, and the slow one would find its partitions lost before the
                    // split below comes back; the check after shutdown catches that.
                    try await waitUntil { await slowHandled.events.contains { $0.kind == .assigned && !$0.partitions.isEmpty } }
                    try await waitUntil { fast.assignment.count == 1 && slow.assignment.count == 1 }
                    slow.triggerGracefulShutdown()
                    fast.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
                let events = await slowLog.events
                #expect(!events.contains { $0.kind == .lost }, "\(events)")
            }
        }
    }

    /// Member A consumes all 4 partitions alone; B joins; after the rebalance each record
    /// produced later goes to exactly one of them, and A's revoked partitions were committed
    /// so B does not read A's records again.
    private func groupScenario(strategies: [PartitionAssignmentStrategy]) async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "orders", partitions: 4)
                for partition in Int32(0)..<4 {
                    try await Support.produce(cluster, topic: "orders", partition: partition, values: (0..<5).map { "p\(partition)-old\($0)" })
                }
                func member(_ log: RebalanceLog) throws -> KafkaConsumer {
                    var configuration = KafkaConsumerConfiguration(
                        client: Support.client(port), consumption: .group(id: "g", topics: ["orders"]))
                    configuration.autoOffsetReset = .earliest
                    configuration.sessionTimeout = .seconds(6)
                    configuration.heartbeatInterval = .milliseconds(200)
                    configuration.enableAutoCommit = false
                    configuration.partitionAssignmentStrategy = strategies
                    return try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger) { event in
                        await log.append(event)
                    }
                }
                let logA = RebalanceLog()
                let logB = RebalanceLog()
                let a = try member(logA)
                let b = try member(logB)
                let seenA = RecordSink()
                let seenB = RecordSink()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await a.run() }
                    group.addTask { for try await record in a.messages { await seenA.add(record) } }
                    try await waitUntil { await seenA.count >= 20 }
                    group.addTask { try await b.run() }
                    group.addTask { for try await record in b.messages { await seenB.add(record) } }
                    try await waitUntil { a.assignment.count + b.assignment.count == 4 && !b.assignment.isEmpty && !a.assignment.isEmpty }
                    #expect(Set(a.assignment).isDisjoint(with: Set(b.assignment)))
                    for partition in Int32(0)..<4 {
                        try await Support.produce(cluster, topic: "orders", partition: partition, values: (0..<5).map { "p\(partition)-new\($0)" })
                    }
                    try await waitUntil { await seenA.count + seenB.count >= 40 }
                    b.triggerGracefulShutdown()
                    a.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
                let all = await seenA.values + seenB.values
                #expect(all.count == 40, "every record exactly once: \(all.sorted())")
                #expect(Set(all).count == 40)
                #expect(await seenB.values.allSatisfy { $0.contains("new") }, "B re-read records A had committed")
                let eventsA = await logA.events
                #expect(eventsA.first?.kind == .assigned)
                #expect(eventsA.first?.partitions == (0..<4).map { TopicPartition("orders", $0) })
                #expect(eventsA.first?.assignment?.partitions == (0..<4).map { TopicPartition("orders", $0) })
                #expect(eventsA.contains { $0.kind == .revoked })
                #expect(await logB.events.contains { $0.kind == .assigned && !$0.partitions.isEmpty })
            }
        }
    }
}

/// Values of consumed records, shared between tasks.
actor RecordSink {
    private(set) var values: [String] = []
    var count: Int { values.count }
    func add(_ record: ConsumerRecord) { values.append(String(buffer: record.value!)) }
}
