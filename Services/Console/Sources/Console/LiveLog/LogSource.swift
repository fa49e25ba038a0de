import Events
import KafkaEvents
import KafkaWire
import Logging
import NIOConcurrencyHelpers
import OrderLog

/// Where the live log's events come from: the topic's shape, and its records with the fold
/// rule's verdicts. `KafkaLogSource` in the service; one in memory in the router tests.
protocol LogSource: Sendable {
    /// The topic's partition count and the producers' partitioner.
    func topic() async throws -> LogReader.Topic

    /// Per partition, the first offset `position` names (absent: the partition's beginning).
    func startOffsets(_ position: LogPosition, partitions: [Int32]) async throws -> [Int32: Int64]

    /// Reads `partitions`, each folded from its beginning (a record's verdict needs every
    /// record before it), and hands `handle` every record at or after `from` (per partition;
    /// absent: all), in offset order per partition, then the ones appended later, until the
    /// task is cancelled. `caughtUp` runs once the records that were there at the start are
    /// handled. A slow `handle` slows the reading.
    func follow(
        _ partitions: [Int32], from: [Int32: Int64],
        caughtUp: () async throws -> Void, handle: (LoggedEvent) async throws -> Void
    ) async throws

    /// One order's records as its partition has them now, folded (the order page).
    func timeline(of orderId: String) async throws -> OrderTimeline

    /// Every partition's end offset now (the system page).
    func endOffsets() async throws -> [Int32: Int64]

    /// The last `count` entries of each partition of the dead-letter topic `topic`, newest
    /// first, at most `count` in all (the system page).
    func deadLetters(topic: String, count: Int) async throws -> [DeadLetter]
}

/// The log in Kafka, read with `LogReader`: every stream its own consumer, without a group.
struct KafkaLogSource: LogSource {
    let reader: LogReader
    /// The topic as last described, and when: described again after `topicMaxAge`, so a
    /// topic created or grown later is seen, without a metadata request per page view.
    private let described = NIOLockedValueBox<(topic: LogReader.Topic, at: ContinuousClock.Instant)?>(nil)
    private let topicMaxAge: Duration = .seconds(10)

    init(client: KafkaClientConfiguration, topic: String, logger: Logger) {
        reader = LogReader(client: client, topic: topic, logger: logger)
    }

    func topic() async throws -> LogReader.Topic {
        let now = ContinuousClock.now
        if let cached = described.withLockedValue({ $0 }), now - cached.at < topicMaxAge { return cached.topic }
        let topic = try await reader.describe()
        described.withLockedValue { $0 = (topic, now) }
        return topic
    }

    func startOffsets(_ position: LogPosition, partitions: [Int32]) async throws -> [Int32: Int64] {
        try await reader.startOffsets(position, partitions: partitions)
    }

    func follow(
        _ partitions: [Int32], from: [Int32: Int64],
        caughtUp: () async throws -> Void, handle: (LoggedEvent) async throws -> Void
    ) async throws {
        let topic = try await topic()
        var folds = Dictionary(uniqueKeysWithValues: partitions.map { ($0, PartitionFold(partition: $0, partitionOf: topic.partitionOf)) })
        try await reader.read(partitions, follow: true, atEnd: caughtUp) { record in
            // Folded in place: a copy taken out and put back would copy every order's state.
            guard let verdict = folds[record.partition]?.fold(EventRecord(record)) else { return }
            guard record.offset >= from[record.partition] ?? 0 else { return }
            try await handle(LoggedEvent(record, verdict: verdict))
        }
    }

    func timeline(of orderId: String) async throws -> OrderTimeline {
        try await OrderTimeline.read(orderId, from: reader, topic: try await topic())
    }

    func endOffsets() async throws -> [Int32: Int64] {
        let count = try await topic().partitionCount
        return try await reader.offsets(at: nil, partitions: Array(0..<count))
    }

    func deadLetters(topic name: String, count: Int) async throws -> [DeadLetter] {
        let dlq = LogReader(client: reader.client, topic: name)
        let partitions = Array(0..<(try await dlq.describe().partitionCount))
        let ends = try await dlq.offsets(at: nil, partitions: partitions)
        // A start below the log's start (records deleted by retention) reads from its start.
        let start = ends.mapValues { max(0, $0 - Int64(count)) }
        var entries: [(timestamp: Int64, letter: DeadLetter)] = []
        try await dlq.read(partitions, from: start, stopAt: ends) { record in
            entries.append((record.timestamp, DeadLetter(record)))
        }
        return entries.sorted { $0.timestamp > $1.timestamp }.prefix(count).map(\.letter)
    }
}
