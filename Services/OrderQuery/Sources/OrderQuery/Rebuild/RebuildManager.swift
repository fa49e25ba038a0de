import SQLStore
import Events
import KafkaWire
import Logging

/// What a rebuild folds: the whole log (then swaps it in), or the log up to a position (a
/// read model as of that point, kept beside the live one).
public enum RebuildTarget: Sendable, Hashable {
    case live
    case upTo([Int32: Int64])
    case upToTimestamp(Int64)
}

/// Runs rebuilds: each into a fresh generation, from the beginning of the log, with a
/// consumer of its own (every partition, no group) while the live projection keeps going.
public actor RebuildManager {
    let store: ReadModelStore
    let client: KafkaClientConfiguration
    let admin: KafkaAdmin
    let topic: String
    let partitionCount: Int32
    let partitionOf: @Sendable (String) -> Int32
    let metrics: QueryMetrics
    let logger: Logger
    /// How long a retired generation's tables outlive the swap (queries that began on it finish).
    let retireGrace: Duration
    /// Records per stored batch, as for the live projection.
    let maxBatch: Int
    private var running: [Int64: Task<Void, Never>] = [:]

    public init(
        store: ReadModelStore, client: KafkaClientConfiguration, admin: KafkaAdmin, topic: String, partitionCount: Int32,
        partitionOf: @escaping @Sendable (String) -> Int32, metrics: QueryMetrics, logger: Logger,
        retireGrace: Duration = .seconds(60), maxBatch: Int = OrderQueryConfiguration.defaultMaxBatch
    ) {
        self.maxBatch = maxBatch
        self.store = store
        self.client = client
        self.admin = admin
        self.topic = topic
        self.partitionCount = partitionCount
        self.partitionOf = partitionOf
        self.metrics = metrics
        self.logger = logger
        self.retireGrace = retireGrace
    }

    public enum StartRefusal: Error, Equatable {
        case alreadyRunning(Int64)
    }

    /// Starts a rebuild and returns its generation (the id `GET /admin/rebuild/{id}` takes).
    public func start(_ target: RebuildTarget) async throws -> Int64 {
        await dropLeftovers()
        if target == .live, let building = try await store.generations().first(where: { $0.status == .building }) {
            throw StartRefusal.alreadyRunning(building.generation)
        }
        let ends = try await endOffsets(.latest)
        var stops: [Int32: Int64]?
        switch target {
        case .live: stops = nil
        case .upTo(let positions):
            stops = Dictionary(uniqueKeysWithValues: (0..<partitionCount).map { ($0, min(positions[$0] ?? 0, ends[$0] ?? 0)) })
        case .upToTimestamp(let ms):
            // Everything written before the timestamp: stop at the first record at or after it.
            let atTime = try await endOffsets(.timestamp(ms))
            stops = Dictionary(uniqueKeysWithValues: (0..<partitionCount).map { p in
                let offset = atTime[p] ?? -1
                return (p, offset < 0 ? ends[p] ?? 0 : min(offset, ends[p] ?? 0))
            })
        }
        let status: Generation.Status = stops == nil ? .building : .snapshotBuilding
        let generation = try await store.createGeneration(status: status, upTo: stops, partitionCount: partitionCount)
        let target = (stops ?? ends).values.reduce(0, +)
        try await store.recordProgress(generation, eventsApplied: 0, targetEvents: target)
        logger.info("Rebuild started", metadata: [
            "generation": "\(generation)", "target": "\(stops.map { ReadModelStore.encodePositions($0) } ?? "the log's end, then swap")",
        ])
        running[generation] = Task { [self] in
            await self.run(generation, stops: stops)
        }
        return generation
    }

    private func endOffsets(_ spec: OffsetSpec) async throws -> [Int32: Int64] {
        var offsets: [Int32: Int64] = [:]
        for offset in try await admin.listOffsets(spec, topic: topic) { offsets[offset.partition] = offset.offset }
        return offsets
    }

    private func run(_ generation: Int64, stops: [Int32: Int64]?) async {
        do {
            var configuration = KafkaConsumerConfiguration(
                client: client,
                consumption: .partitions((0..<partitionCount).map { TopicPartition(topic, $0) }))
            configuration.enableAutoCommit = false
            configuration.autoOffsetReset = .earliest
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            let runner = ProjectionRunner(
                name: "rebuild g\(generation)", consumer: consumer, store: store, topic: topic, generation: generation,
                partitionOf: partitionOf, metrics: metrics, logger: logger, maxBatch: maxBatch,
                // Nothing cached: a rebuild's large batches read their orders anyway, and its memory stays flat.
                cachedOrders: 0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await consumer.run() }
                try await runner.assign(Array(0..<partitionCount), stops: stops)
                group.addTask { try await runner.run() }
                // Watch from outside the fold: an empty log hands out no record to react to.
                try await self.watch(generation, stops: stops)
                consumer.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        } catch {
            logger.error("Rebuild failed", metadata: ["generation": "\(generation)", "error": "\(error)"])
            try? await store.setStatus(generation, .failed, error: "\(error)")
            try? await store.drop(generation)
        }
        running[generation] = nil
    }

    /// Until done: a snapshot has reached its stop offsets; a rebuild has caught up with the
    /// live generation and been swapped in (then the old generation is dropped after a grace).
    private func watch(_ generation: Int64, stops: [Int32: Int64]?) async throws {
        var lastReport = ContinuousClock.now
        var prepared = false
        while true {
            try await Task.sleep(for: .milliseconds(100))
            if ContinuousClock.now - lastReport > Self.heartbeat {
                // Alive: a rebuild whose process died is recognised by its silence.
                try await store.touch(generation)
                lastReport = .now
            }
            let stored = try await store.storedOffsets(generation)
            if let stops {
                if stops.allSatisfy({ stored[$0.key, default: 0] >= $0.value }) {
                    try await store.prepareForQueries(generation)
                    try await store.setStatus(generation, .snapshot)
                    logger.info("Read model as of a position is ready", metadata: ["generation": "\(generation)"])
                    return
                }
                continue
            }
            let ends = try await endOffsets(.latest)
            // Try the swap only near the end; the transaction checks against the live offsets.
            guard ends.allSatisfy({ stored[$0.key, default: 0] + 1_000 >= $0.value }) else { continue }
            if !prepared {
                // Before it serves: its query indexes (it was built without them) and statistics.
                try await store.prepareForQueries(generation)
                prepared = true
            }
            if case .swapped(let retired) = try await store.swapIfCaughtUp(generation) {
                logger.info("Rebuild swapped in", metadata: ["generation": "\(generation)", "retired": "\(retired.map(String.init) ?? "none")"])
                if let retired {
                    let store = self.store
                    let grace = retireGrace
                    Task {
                        try? await Task.sleep(for: grace)
                        try? await store.drop(retired)
                    }
                }
                return
            }
        }
    }

    /// How often a running rebuild says it is alive, and how long a silent one is trusted.
    static let heartbeat: Duration = .seconds(2)
    static let staleAfter: Duration = .seconds(60)

    /// Drops the tables of generations retired or failed, and of rebuilds whose process died.
    public func dropLeftovers() async {
        for generation in (try? await store.droppableGenerations(staleAfter: Self.staleAfter, retiredFor: retireGrace)) ?? [] where running[generation] == nil {
            try? await store.drop(generation)
        }
    }

    public func cancelAll() {
        for task in running.values { task.cancel() }
    }
}
