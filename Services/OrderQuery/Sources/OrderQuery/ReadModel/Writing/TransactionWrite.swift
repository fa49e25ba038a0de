import SQLStore
import Events

/// `BatchWrite.transaction`: the touched orders read, the batch folded, the offsets moved and
/// the rows written (`TableWrites.swift`), all in one transaction.
extension ReadModelStore {
    /// `known`: as for `apply`; only the other touched orders are read (the compare-and-set
    /// on the offsets, in the same transaction, refuses the batch if anyone else wrote them).
    func applyInTransaction(
        _ records: [LogRecord], orderIds: Set<String>, to generation: Int64, startOffsets: [Int32: Int64],
        partitionOf: @escaping @Sendable (String) -> Int32, known: [String: OrderRow] = [:]
    ) async throws -> BatchProjection {
        let schema = self.schema
        let tables = schema.tables(generation)
        return try await database.write { db in
            try await Self.lockAcceptingGeneration(generation, schema, db)
            var before = known.filter { orderIds.contains($0.key) }
            let toRead = orderIds.subtracting(before.keys)
            if !toRead.isEmpty {
                before.merge(try await Self.loadOrders(db, tables, ids: toRead)) { _, read in read }
            }
            let projection = BatchProjection(records: records, before: before, partitionOf: partitionOf)

            // The compare-and-set: the row is locked by the update until commit, so of two
            // writers starting from the same offset exactly one moves it.
            try await Self.moveOffsets(
                projection.nextOffsets, from: startOffsets, generation: generation, eventsApplied: projection.inEffectCount, schema, db)
            try await Self.write(projection, to: tables, db)
            return projection
        }
    }
}
