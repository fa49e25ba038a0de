import SQLStore
import Events

/// `BatchWrite.pipelined`: a batch folded before it is stored (`ProjectionRunner.foldAhead`),
/// stored here, on PostgreSQL overlapping the batch before it.
extension ReadModelStore {
    /// Stores a batch folded before (`BatchProjection` over the rows of its orders as stored,
    /// read outside any transaction or known from the projection's own writes) in one
    /// transaction, with the compare-and-set on `startOffsets`. Safe for the same reason as
    /// `applyInOneStatement`: the orders are only ever written together with their
    /// partitions' offsets, so if anyone wrote them after they were read, the offsets moved
    /// and the batch is refused.
    ///
    /// `after`: on PostgreSQL, the batch before this one may still be being stored (in its
    /// own transaction, on another connection). This one then first writes the rows no other
    /// batch writes (its events and the orders it creates), then waits for
    /// `after` to end, then moves the offsets and writes the rest (rows that batch may have
    /// written: orders it held, the customers' summaries). The two batches'
    /// largest writes overlap; the compare-and-set still orders them (if the one before was
    /// not stored, the offsets are not where this one starts, and it is refused whole).
    public func applyFolded(
        _ projection: BatchProjection, to generation: Int64, startOffsets: [Int32: Int64],
        after previous: (@Sendable () async -> Void)? = nil
    ) async throws {
        let schema = self.schema
        do {
            try await storeFolded(projection, to: generation, startOffsets: startOffsets, after: previous)
        } catch let error as DatabaseError where previous != nil && schema.dialect == .postgres {
            // The batch's own rows are written before the compare-and-set: a zombie's batch
            // (its partition moved to another instance, which stored these events) fails on
            // their keys instead. Nothing was written; refuse it as the compare-and-set would
            // (once the batch before, which may move the offsets, has ended).
            await previous?()
            let stored = try await storedOffsets(generation)
            for partition in projection.nextOffsets.keys.sorted() {
                let expected = startOffsets[partition] ?? 0
                if stored[partition] != expected {
                    throw ApplyRefusal.offsetMoved(partition: partition, stored: stored[partition], expected: expected)
                }
            }
            throw error
        }
    }

    private func storeFolded(
        _ projection: BatchProjection, to generation: Int64, startOffsets: [Int32: Int64],
        after previous: (@Sendable () async -> Void)?
    ) async throws {
        let schema = self.schema
        let tables = schema.tables(generation)
        try await database.write { db in
            try await Self.lockAcceptingGeneration(generation, schema, db)
            let moveOffsets = {
                try await Self.moveOffsets(
                    projection.nextOffsets, from: startOffsets, generation: generation, eventsApplied: projection.inEffectCount, schema, db)
            }
            guard let previous, db.dialect == .postgres else {
                try await moveOffsets()
                try await Self.write(projection, to: tables, db)
                return
            }
            let rows = BatchCopyRows(projection)
            try await Self.writeCreated(rows, to: tables, db)
            await previous()
            try await moveOffsets()
            try await Self.writeChanged(rows, to: tables, db)
        }
    }

    /// The stored rows of those of `ids` the generation has, read outside any transaction
    /// (for a batch folded before it is stored: `applyFolded`).
    public func storedOrders(_ ids: Set<String>, generation: Int64) async throws -> [String: OrderRow] {
        guard !ids.isEmpty else { return [:] }
        let tables = schema.tables(generation)
        return try await database.read { db in try await Self.loadOrders(db, tables, ids: ids) }
    }
}
