import ArgumentParser
import KafkaWire
import Logging
import NIOCore
import ServiceLifecycle

struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Consume records and print them, in a format or as JSON lines.",
        discussion: """
            Without --group, reads --partition (or every partition) from --offset and, unless \
            --follow or --count, stops at the end of each partition. With --group, joins the \
            consumer group (commits on revoke and periodically; --offset beginning|end is where \
            partitions without a committed offset start) and follows until interrupted.
            """
    )

    @Option(help: "Bootstrap brokers, HOST:PORT[,HOST:PORT...].")
    var brokers: String = "127.0.0.1:9092"

    @OptionGroup var security: SecurityOptions

    @Option(help: "Topic to read.")
    var topic: String

    @Option(help: "Only this partition (default: all).")
    var partition: Int32?

    @Option(help: "Where to start: beginning, end, an offset, or @TIMESTAMP_MS.")
    var offset: String = "beginning"

    @Option(help: "Stop after this many records.")
    var count: Int?

    @Flag(help: "Keep waiting for new records instead of stopping at the end.")
    var follow = false

    @Option(help: "Consume as a member of this consumer group.")
    var group: String?

    @Option(help: "Output format: %t topic, %p partition, %o offset, %T timestamp, %k key, %v value, %h headers.")
    var format: String = "%k %v %p %o %h"

    @Flag(help: "Print one JSON object per record (key/value as text and base64).")
    var json = false

    @Option(help: "Group session timeout in milliseconds.")
    var sessionTimeoutMs: Int = 45_000

    @Option(help: "Group heartbeat interval in milliseconds.")
    var heartbeatIntervalMs: Int = 3_000

    @Option(help: "Partition assignment strategies, comma separated (range, roundrobin, cooperative-sticky).")
    var assignmentStrategy: String = "range,cooperative-sticky"

    @Option(help: "With --group: subscription user data (text) for the group leader's assignor.")
    var userData: String?

    @Flag(help: "With --group: as leader, attach to every assignment a JSON map from topic/partition to its owner's user data.")
    var ownerMap = false

    @Flag(help: "Also print rebalances (with the leader's user data) and partitions reaching their high watermark as JSON lines.")
    var printEvents = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func validate() throws {
        if count != nil && follow { throw ValidationError("--count and --follow exclude each other") }
        if let count, count < 0 { throw ValidationError("--count must not be negative") }
        if group == nil && (userData != nil || ownerMap) { throw ValidationError("--user-data and --owner-map need --group") }
        _ = try startPosition()
    }

    private enum Start: Equatable {
        case beginning, end, offset(Int64), timestamp(Int64)

        var seekPosition: SeekPosition {
            switch self {
            case .beginning: return .beginning
            case .end: return .end
            case .offset(let value): return .offset(value)
            case .timestamp(let ms): return .timestamp(ms)
            }
        }
    }

    private func startPosition() throws -> Start {
        switch offset {
        case "beginning": return .beginning
        case "end": return .end
        default:
            if offset.hasPrefix("@"), let ms = Int64(offset.dropFirst()) { return .timestamp(ms) }
            if let value = Int64(offset), value >= 0 { return .offset(value) }
            throw ValidationError("--offset must be beginning, end, an offset or @TIMESTAMP_MS, got \(offset)")
        }
    }

    func run() async throws {
        ClientCommandSupport.bootstrapLogging(logLevel)
        let logger = Logger(label: "kafkawire.consume")
        var client = KafkaClientConfiguration(bootstrapServers: try ClientCommandSupport.brokers(brokers))
        client.clientID = "kafkawire-consume"
        try security.apply(to: &client)
        let start = try startPosition()
        let events = ConsumeEvents(enabled: printEvents)

        let consumer: KafkaConsumer
        var ends: [TopicPartition: Int64]? = nil
        if let group {
            var configuration = KafkaConsumerConfiguration(client: client, consumption: .group(id: group, topics: [topic]))
            configuration.autoOffsetReset = start == .end ? .latest : .earliest
            configuration.sessionTimeout = .milliseconds(sessionTimeoutMs)
            configuration.heartbeatInterval = .milliseconds(heartbeatIntervalMs)
            configuration.partitionAssignmentStrategy = try assignmentStrategy.split(separator: ",").map { name in
                let strategy: PartitionAssignmentStrategy
                switch name {
                case "range": strategy = .range
                case "roundrobin": strategy = .roundRobin
                case "cooperative-sticky": strategy = .cooperativeSticky
                default: throw ValidationError("unknown assignment strategy \(name)")
                }
                return ownerMap ? strategy.attachingUserData(ConsumeEvents.ownerMap) : strategy
            }
            configuration.subscriptionUserData = userData.map { ByteBuffer(string: $0) }
            consumer = try KafkaConsumer(configuration: configuration, logger: logger, onRebalance: events.handler)
        } else {
            let partitions = try await partitionsToRead(client: client, logger: logger)
            var configuration = KafkaConsumerConfiguration(client: client, consumption: .partitions(partitions))
            configuration.autoOffsetReset = start == .end ? .latest : .earliest
            consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            if start != .beginning && start != .end {
                for partition in partitions { try consumer.seek(partition, to: start.seekPosition) }
            }
            if !follow && count == nil {
                ends = try await consumer.endOffsets(partitions)
            }
            events.watch(partitions)
        }
        try await consume(consumer, ends: ends, events: events, logger: logger)
    }

    /// --partition, or every partition of the topic.
    private func partitionsToRead(client: KafkaClientConfiguration, logger: Logger) async throws -> [TopicPartition] {
        if let partition { return [TopicPartition(topic, partition)] }
        let cluster = KafkaCluster(configuration: client, logger: logger)
        let metadata: ClusterMetadata
        do {
            metadata = try await cluster.metadata(for: [topic])
            await cluster.shutdown()
        } catch {
            await cluster.shutdown()
            throw error
        }
        guard let info = metadata.topics[topic], info.error == .none, !info.partitions.isEmpty else {
            throw ValidationError("topic \(topic) does not exist")
        }
        return info.partitions.map { TopicPartition(topic, $0.index) }.sorted()
    }

    private func consume(_ consumer: KafkaConsumer, ends: [TopicPartition: Int64]?, events: ConsumeEvents, logger: Logger) async throws {
        let formatter = RecordFormatter(style: json ? .json : .format(format))
        // Records print at once when following, in a group or between events (others watch
        // the output).
        let flushEach = follow || group != nil || printEvents
        let limit = count
        let services = ServiceGroup(
            configuration: .init(services: [consumer], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await services.run() }
            if events.enabled { tasks.addTask { await events.run(consumer) } }
            var out = OutputBuffer()
            var seen = 0
            var remaining = ends.map { ends in Set(ends.filter { $0.value > 0 }.keys) }
            // Partitions that start at or past their end need no record.
            if var pending = remaining, let ends {
                for partition in pending where try await startsAtEnd(consumer, partition, end: ends[partition]!) {
                    pending.remove(partition)
                }
                remaining = pending
            }
            if limit != 0 && remaining?.isEmpty != true {
                for try await record in consumer.messages {
                    formatter.write(record, to: &out)
                    seen += 1
                    if flushEach { out.flush() }
                    if let limit, seen >= limit { break }
                    if let ends, var pending = remaining, record.offset + 1 >= ends[record.topicPartition] ?? 0 {
                        pending.remove(record.topicPartition)
                        remaining = pending
                        if pending.isEmpty { break }
                    }
                }
            }
            out.flush()
            await services.triggerGracefulShutdown()
            events.finish()
            try await tasks.waitForAll()
        }
    }

    /// Whether a seek put the partition at or beyond its end (nothing to read).
    private func startsAtEnd(_ consumer: KafkaConsumer, _ partition: TopicPartition, end: Int64) async throws -> Bool {
        switch try startPosition() {
        case .end: return true
        case .offset(let value) where value >= end: return true
        default: return false
        }
    }
}
