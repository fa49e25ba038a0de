import KafkaEvents
import SQLStore
import Events

public enum SwapOutcome: Sendable, Equatable {
    /// The rebuild is behind the live generation in some partition; nothing changed.
    case behind
    /// The rebuild is live; `retired` was live before it.
    case swapped(retired: Int64?)
}

extension ReadModelStore {
    /// Makes `generation` (a rebuild) live if it has caught up with the live generation in
    /// every partition; one transaction, so queries see either the old generation or the new
    /// one. PostgreSQL: the live row is locked first, which waits for batches being applied
    /// to it (they hold it shared) and holds off new ones until the swap is committed.
    public func swapIfCaughtUp(_ generation: Int64) async throws -> SwapOutcome {
        let schema = self.schema
        return try await database.write { db -> SwapOutcome in
            let lock = schema.dialect == .postgres ? " FOR UPDATE" : ""
            let live = try await db.query(
                "SELECT generation FROM \(schema.generations) WHERE status = 'live' ORDER BY generation DESC LIMIT 1\(lock)"
            ).first?.int(0)
            if let live {
                let liveOffsets = try await Self.storedOffsets(db, schema, live)
                let newOffsets = try await Self.storedOffsets(db, schema, generation)
                let behind = liveOffsets.contains { partition, offset in (newOffsets[partition] ?? 0) < offset }
                if behind { return .behind }
            }
            let now = Timestamp.now.millisecondsSinceEpoch
            try await db.query(
                "UPDATE \(schema.generations) SET status = 'retired', updated_at_ms = $1 WHERE status = 'live'", [.int(now)])
            try await db.query(
                "UPDATE \(schema.generations) SET status = 'live', swapped_at_ms = $1, updated_at_ms = $1 WHERE generation = $2",
                [.int(now), .int(generation)])
            return .swapped(retired: live)
        }
    }

    /// Generations retired (or failed) whose tables may still exist, and rebuilds whose
    /// builder stopped reporting for `staleAfter` (its process died): those are marked failed.
    /// A retired generation is droppable once `retiredFor` has passed (queries that began on it end).
    public func droppableGenerations(staleAfter: Duration, retiredFor: Duration) async throws -> [Int64] {
        let now = Timestamp.now.millisecondsSinceEpoch
        var droppable: [Int64] = []
        for generation in try await generations() {
            let silentFor = now - generation.updatedAt.millisecondsSinceEpoch
            let stale = silentFor > staleAfter.wholeMilliseconds
            switch generation.status {
            case .failed:
                droppable.append(generation.generation)
            case .retired where silentFor >= retiredFor.wholeMilliseconds:
                droppable.append(generation.generation)
            case .building where stale, .snapshotBuilding where stale:
                try await setStatus(generation.generation, .failed, error: "its builder stopped reporting (the process ended)")
                droppable.append(generation.generation)
            default:
                break
            }
        }
        return droppable
    }
}
