import SQLStore
import Events
import KafkaWire
import Logging
import NIOConcurrencyHelpers
import KafkaEvents

/// Folds the records a consumer hands out into one generation of the read model: each batch
/// (what one `next()` gave plus everything already fetched behind it) in one transaction with
/// the partitions' next offsets, as a compare-and-set. The live projection (partitions from
/// the consumer group) and a rebuild (every partition, by hand) both run one.
public final class ProjectionRunner: Sendable {
    public let name: String
    let consumer: KafkaConsumer
    let store: ReadModelStore
    let topic: String
    let partitionOf: @Sendable (String) -> Int32
    let metrics: QueryMetrics
    let logger: Logger
    let maxBatch: Int
    /// The live projection tells waiting reads how far it has stored; a rebuild has none.
    let board: ProgressBoard?
    private let state: NIOLockedValueBox<State>

    struct State {
        var cursors = PartitionCursors()
        var generation: Int64
        var eventsApplied: Int64 = 0
        /// Why the last batch could not be stored, until one is (readiness shows it).
        var failing: (any Error)?
        /// The rows of recently touched orders, as this projection wrote them.
        var orderRows: OrderRowCache
    }

    public init(
        name: String, consumer: KafkaConsumer, store: ReadModelStore, topic: String, generation: Int64,
        partitionOf: @escaping @Sendable (String) -> Int32, metrics: QueryMetrics, logger: Logger, maxBatch: Int = OrderQueryConfiguration.defaultMaxBatch,
        board: ProgressBoard? = nil, cachedOrders: Int = 50_000
    ) {
        self.board = board
        self.name = name
        self.consumer = consumer
        self.store = store
        self.topic = topic
        self.partitionOf = partitionOf
        self.metrics = metrics
        self.logger = logger
        self.maxBatch = maxBatch
        self.state = NIOLockedValueBox(State(generation: generation, orderRows: OrderRowCache(capacity: cachedOrders)))
    }

    public var generation: Int64 { state.withLockedValue { $0.generation } }
    public var cursors: PartitionCursors { state.withLockedValue { $0.cursors } }
    public var eventsApplied: Int64 { state.withLockedValue { $0.eventsApplied } }
    /// Why batches are failing now (the database unreachable), or nil.
    public var failing: (any Error)? { state.withLockedValue { $0.failing } }

    /// An order's row as this projection last stored it (committed), if it still holds it,
    /// with the generation it was stored in.
    public func storedRow(_ orderId: String) -> (generation: Int64, row: OrderRow)? {
        state.withLockedValue { state in state.orderRows.row(orderId).map { (state.generation, $0) } }
    }

    // MARK: Ownership

    /// Takes partitions: reads the generation's stored offsets and seeks there (the group's
    /// committed offsets are never used). `stops` bounds a read model as of a position.
    public func assign(_ partitions: [Int32], stops: [Int32: Int64]? = nil) async throws {
        guard !partitions.isEmpty else { return }
        let generation = self.generation
        let stored = try await store.storedOffsets(generation)
        try state.withLockedValue { state in
            state.orderRows.removeAll()
            for partition in partitions {
                let next = stored[partition] ?? 0
                state.cursors.assign(partition, next: next, stopBefore: stops.map { $0[partition] ?? 0 })
                try consumer.seek(TopicPartition(topic, partition), to: .offset(next))
            }
        }
        board?.publish(Dictionary(uniqueKeysWithValues: partitions.map { ($0, stored[$0] ?? 0) }))
        logger.info("Projection took partitions", metadata: [
            "projection": "\(name)", "generation": "\(generation)",
            "kafka.partitions": "\(partitions.sorted().map { "\($0)@\(stored[$0] ?? 0)" })",
        ])
    }

    public func revoke(_ partitions: [Int32]) {
        state.withLockedValue { state in
            state.orderRows.removeAll()
            for partition in partitions { state.cursors.revoke(partition) }
        }
        board?.forget(partitions)
    }

    // MARK: Folding

    /// Folds until the consumer stops. A batch is what one `next()` gave plus everything
    /// already fetched behind it, up to `maxBatch`. Large batches (a backlog) are pipelined:
    /// while one is stored, the next one already fetched is admitted, its unknown orders read
    /// and folded, so order-query's CPU and the database's work overlap. On PostgreSQL the
    /// next one's storing starts too, before the one in flight has committed
    /// (`ReadModelStore.applyFolded(_:to:startOffsets:after:)`): at most two are in flight.
    public func run() async throws {
        let started = NIOLockedValueBox<[Task<Bool, any Error>]>([])
        try await withTaskCancellationHandler {
            var inFlight: InFlight?
            do {
                try await fold(inFlight: &inFlight, started: started)
                if let inFlight { _ = try await inFlight.task.value }
            } catch {
                inFlight?.task.cancel()
                _ = try? await inFlight?.task.value
                throw error
            }
        } onCancel: {
            started.withLockedValue { tasks in tasks.forEach { $0.cancel() } }
        }
    }

    /// Waits for the batch in flight, if any, to be stored (or not).
    private func finish(_ inFlight: inout InFlight?) async throws {
        guard let pending = inFlight else { return }
        inFlight = nil
        _ = try await pending.task.value
    }

    private func fold(inFlight: inout InFlight?, started: NIOLockedValueBox<[Task<Bool, any Error>]>) async throws {
        var iterator = consumer.messages.makeAsyncIterator()
        var carried: (fetched: FetchedBatch, ahead: FoldedAhead?)?
        let overlapStores = store.schema.dialect == .postgres
        while true {
            let fetched: FetchedBatch
            var ahead: FoldedAhead?
            if let carried {
                (fetched, ahead) = carried
            } else {
                // Nothing fetched behind the batch in flight: it ends before the consumer is waited on.
                try await finish(&inFlight)
                let askedAt = state.withLockedValue { $0.cursors.epoch }
                guard let first = try await iterator.next() else { return }
                var batch = FetchedBatch()
                batch.append(first, askedAt: askedAt)
                takeBuffered(&iterator, upTo: maxBatch, into: &batch)
                fetched = batch
            }
            carried = nil
            if let folded = ahead, !stillValid(folded, after: inFlight?.folded) { ahead = nil }
            // Admitted against the cursors as they are: after the batch in flight.
            if ahead == nil { try await finish(&inFlight) }
            let admission = ahead?.admission ?? admit(fetched)
            guard BatchWrite.isBacklog(records: admission.records.count) else {
                // Folded here against the cache: after the batch in flight.
                try await finish(&inFlight)
                try await apply(admission)
                continue
            }
            // A large batch: fold it (unless that was done ahead), store it, and meanwhile
            // fold the next one if it is already here.
            let folded: FoldedAhead
            if let ahead {
                folded = ahead
            } else {
                guard let prepared = try await foldAhead(admission, after: nil) else {
                    try await apply(admission)
                    continue
                }
                folded = prepared
            }
            if !overlapStores { try await finish(&inFlight) }
            let previous = inFlight?.task
            let storing = Task { try await self.storeFolded(folded, after: previous) }
            started.withLockedValue { $0 = [previous, storing].compactMap { $0 } }
            // The one before ends before the next fold: that fold reads the cache as the
            // stores before the one now in flight left it.
            if let previous { _ = try await previous.value }
            inFlight = InFlight(task: storing, folded: folded)
            var next = FetchedBatch()
            takeBuffered(&iterator, upTo: maxBatch, into: &next)
            var nextAhead: FoldedAhead?
            if BatchWrite.isBacklog(records: next.count) {
                nextAhead = try await foldAhead(admit(next, after: folded), after: folded)
            }
            if !next.isEmpty { carried = (next, nextAhead) }
        }
    }

    /// Adds what the consumer has already fetched to `batch`, until it holds `limit` records.
    private func takeBuffered(_ iterator: inout KafkaConsumerMessages.AsyncIterator, upTo limit: Int, into batch: inout FetchedBatch) {
        // No capacity reserved up front: a live trickle's batch is a few records, and reserving
        // `limit` (100,000) allocated megabytes for each of them.
        let askedAt = state.withLockedValue { $0.cursors.epoch }
        while batch.count < limit, let record = iterator.nextIfBuffered() {
            batch.append(record, askedAt: askedAt)
        }
    }

    /// Admission, per partition in the order the records came: against the cursors as they
    /// are, or, for a batch folded ahead, as they will be once `previous` is stored.
    func admit(_ batch: FetchedBatch, after previous: FoldedAhead? = nil) -> Admission {
        var cursors = state.withLockedValue { $0.cursors }
        if let previous {
            for (partition, next) in previous.projection.nextOffsets {
                cursors.advance(partition, to: next, ifEpoch: previous.admission.epochs[partition] ?? 0)
            }
        }
        var admission = Admission()
        var next: [Int32: Int64] = [:]
        // The records admitted, once one is not (until then, all of them so far).
        var admitted: [LogRecord]?
        for index in batch.records.indices {
            let partition = batch.records[index].partition, offset = batch.records[index].offset
            var applies = false
            if admission.reseeks[partition] == nil, let cursor = cursors.cursors[partition] {
                switch cursors.admit(partition, offset: offset, next: next[partition] ?? cursor.next, askedAt: batch.askedAt[index]) {
                case .apply:
                    applies = true
                    if admission.startOffsets[partition] == nil {
                        admission.startOffsets[partition] = cursor.next
                        admission.epochs[partition] = cursor.epoch
                    }
                    next[partition] = offset + 1
                case .skip:
                    break
                case .reseek(let offset):
                    admission.reseeks[partition] = offset
                }
            }
            if applies {
                admitted?.append(batch.records[index])
            } else if admitted == nil {
                admitted = Array(batch.records[..<index])
            }
        }
        admission.records = admitted ?? batch.records
        return admission
    }

    /// Stores an admitted batch (folding it against the cached rows and those read in the
    /// same transaction), then seeks the partitions admission asked to.
    func apply(_ admission: Admission) async throws {
        if !admission.records.isEmpty {
            try await store(admission)
        }
        reseek(admission)
    }

    private func reseek(_ admission: Admission) {
        for (partition, offset) in admission.reseeks {
            let current = state.withLockedValue { $0.cursors.cursors[partition]?.next } ?? offset
            seek(partition, to: current)
        }
    }

    /// Folds a large batch before it is stored: its orders' rows come from the cache, from
    /// `previous` (folded, being stored), or are read. Nil if they could not be read (the
    /// batch then takes the transaction path, which says why).
    func foldAhead(_ admission: Admission, after previous: FoldedAhead?) async throws -> FoldedAhead? {
        guard !admission.records.isEmpty, admission.reseeks.isEmpty else { return nil }
        // One pass over the records: each order once, with whether its first record is its version 1.
        let firstSeen = ReadModelStore.ordersFirstSeen(admission.records)
        let (generation, cached, cacheEpoch) = state.withLockedValue { state in
            (state.generation, state.orderRows.rows(for: firstSeen.keys), state.orderRows.epoch)
        }
        var before = cached
        if let previous {
            guard previous.cacheEpoch == cacheEpoch else { return nil }
            for (id, row) in previous.projection.orders where firstSeen[id] != nil { before[id] = row }
        }
        // Orders seen first at their version 1 are new, unless another writer put a version 1
        // of an existing order in the log: not read (most of a backlog's orders are new), but
        // checked when the batch is stored (`FoldedAhead.assumedNew`).
        var toRead = Set<String>(), assumedNew = false
        for (id, versionOne) in firstSeen where before[id] == nil {
            if versionOne { assumedNew = true } else { toRead.insert(id) }
        }
        do {
            let read = try await store.storedOrders(toRead, generation: generation)
            before.merge(read) { known, _ in known }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return nil
        }
        let projection = BatchProjection(records: admission.records, before: before, partitionOf: partitionOf)
        return FoldedAhead(admission: admission, projection: projection, cacheEpoch: cacheEpoch, assumedNew: assumedNew)
    }

    /// Whether a batch folded ahead may be stored as folded: nothing was sought, assigned,
    /// revoked or refused since (the cursors' and the cache's epochs are those it saw), and
    /// it starts where `previous` (folded before it, maybe still being stored) ends.
    private func stillValid(_ ahead: FoldedAhead, after previous: FoldedAhead?) -> Bool {
        if let previous, !previous.projection.stopped.isEmpty { return false }
        return state.withLockedValue { state in
            state.orderRows.epoch == ahead.cacheEpoch
                && ahead.admission.startOffsets.keys.allSatisfy { partition in
                    guard let cursor = state.cursors.cursors[partition] else { return false }
                    let next = previous?.projection.nextOffsets[partition] ?? cursor.next
                    return cursor.epoch == ahead.admission.epochs[partition] && cursor.stopped == nil
                        && next == ahead.admission.startOffsets[partition]
                }
        }
    }

    /// Stores a batch folded ahead, after `previous` (the batch before it, maybe still being
    /// stored). True if it was stored and nothing else happened to the projection (the next
    /// batch folded ahead may follow it).
    private func storeFolded(_ folded: FoldedAhead, after previous: Task<Bool, any Error>?) async throws -> Bool {
        // No reseeks to make: a batch with any is never folded ahead.
        try await store(folded.admission, folded: folded, after: previous) && folded.projection.stopped.isEmpty
    }

    /// Stores admitted records in one transaction (folded here, or `folded` before) and
    /// handles a refusal. True if the batch was stored. If storing a batch folded with orders
    /// assumed new fails (not a refusal), it is folded and stored again here at once.
    ///
    /// `previous`: a batch still being stored before this one (folded only). What this one
    /// writes alone overlaps it; the rest, and everything done after the transaction (the
    /// cursors, the cache, a refusal's seeks), waits for it to end.
    @discardableResult
    private func store(_ admission: Admission, folded: FoldedAhead? = nil, after previous: Task<Bool, any Error>? = nil) async throws -> Bool {
        let records = admission.records
        let startOffsets = admission.startOffsets
        let epochs = admission.epochs
        // A batch folded ahead has its rows already; the others take what the cache knows.
        let orderIds = folded == nil ? Set(records.compactMap(\.orderId)) : []
        let (generation, known, currentCacheEpoch) = state.withLockedValue { state in
            (state.generation, state.orderRows.rows(for: orderIds), state.orderRows.epoch)
        }
        let cacheEpoch = folded?.cacheEpoch ?? currentCacheEpoch
        let started = ContinuousClock.now
        var afterPrevious: (@Sendable () async -> Void)?
        if let previous {
            afterPrevious = { @Sendable in _ = try? await previous.value }
        }
        do {
            let projection: BatchProjection
            do {
                if let folded {
                    try await store.applyFolded(folded.projection, to: generation, startOffsets: startOffsets, after: afterPrevious)
                    projection = folded.projection
                } else {
                    projection = try await store.apply(
                        records, to: generation, startOffsets: startOffsets, partitionOf: partitionOf, known: known)
                }
            } catch {
                await afterPrevious?()
                throw error
            }
            await afterPrevious?()
            metrics.batchApplied(records: records.count, inEffect: projection.inEffectCount,
                                 voidEvents: projection.voidEvents, latency: ContinuousClock.now - started)
            state.withLockedValue { state in
                state.failing = nil
                state.orderRows.store(projection.orders, ifEpoch: cacheEpoch)
                state.eventsApplied += Int64(projection.inEffectCount)
                for (partition, next) in projection.nextOffsets {
                    state.cursors.advance(partition, to: next, ifEpoch: epochs[partition] ?? 0)
                }
                for (partition, stop) in projection.stopped {
                    state.cursors.stop(partition, at: stop.offset, reason: "\(stop.error)")
                }
            }
            board?.publish(projection.nextOffsets)
            for (partition, stop) in projection.stopped {
                // Not folding past an event it cannot read: the partition waits for a fixed
                // reader (or a fixed event), visibly.
                metrics.partitionStopped(partition)
                logger.error("Projection stopped a partition at an event it cannot read", metadata: [
                    "projection": "\(name)", "kafka.partition": "\(partition)", "kafka.offset": "\(stop.offset)",
                    "error": "\(stop.error)",
                ])
                consumer.pause([TopicPartition(topic, partition)])
            }
            return true
        } catch let refusal as ApplyRefusal {
            state.withLockedValue { $0.orderRows.removeAll() }
            switch refusal {
            case .offsetMoved(let partition, let stored, let expected):
                // Another instance applied past the batch's start (this one lost the
                // partition, or a rebuild swapped in): continue from what is stored.
                logger.notice("Stored offset moved under the projection; seeking to it", metadata: [
                    "projection": "\(name)", "kafka.partition": "\(partition)", "expected": "\(expected)", "stored": "\(stored ?? -1)",
                ])
                if let stored {
                    seek(partition, to: stored)
                    board?.publish([partition: stored])
                }
                // The batch's other partitions were not stored either: read them again from
                // where they were (a seek, so nothing handed out before counts as a gap).
                for (other, start) in startOffsets where other != partition { seek(other, to: start) }
            case .generationClosed:
                try await generationClosed()
            }
            return false
        } catch is CancellationError {
            throw CancellationError()
        } catch where folded?.assumedNew == true {
            // An order assumed new was not (or the database failed): nothing was stored, and
            // the rows cached are still those stored. Fold again from rows read.
            logger.notice("A batch folded ahead was not stored; folding it again from rows read", metadata: [
                "projection": "\(name)", "error": "\(error)",
            ])
            return try await store(admission)
        } catch {
            // The database is unreachable or failed the transaction: nothing was stored. The
            // batch is read again from the stored offsets after a pause; the projection does
            // not stop (readiness and lag show it falling behind).
            metrics.applyFailed()
            state.withLockedValue { state in
                state.failing = error
                // The outcome may be unknown (the connection lost with the statement sent).
                state.orderRows.removeAll()
            }
            logger.error("Applying a batch failed; retrying from the stored offsets", metadata: [
                "projection": "\(name)", "generation": "\(generation)", "error": "\(error)",
            ])
            try await Task.sleep(for: .seconds(1))
            for (partition, offset) in startOffsets { seek(partition, to: offset) }
            return false
        }
    }

    /// The generation this projection wrote to is no longer writable: a live projection
    /// follows the new live generation from its stored offsets; others end.
    func generationClosed() async throws {
        guard name == "live", let live = try await store.liveGeneration() else {
            throw ApplyRefusal.generationClosed(generation)
        }
        board?.forgetAll()
        let owned = state.withLockedValue { state in
            state.orderRows.removeAll()
            state.generation = live
            return Array(state.cursors.cursors.keys)
        }
        logger.info("Live projection follows a new generation", metadata: ["generation": "\(live)"])
        try await assign(owned)
    }

    private func seek(_ partition: Int32, to offset: Int64) {
        state.withLockedValue { state in
            state.cursors.reseek(partition, to: offset)
            try? consumer.seek(TopicPartition(topic, partition), to: .offset(offset))
        }
    }
}
