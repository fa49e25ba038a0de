import KafkaEvents
import SQLStore
import Events

/// Why a batch was not applied. Either way nothing was written.
public enum ApplyRefusal: Error, Sendable, Equatable {
    /// The stored offset of the partition is not the one the batch started from: another
    /// instance (or this one before a rebalance) applied past it. Seek to the stored offset.
    case offsetMoved(partition: Int32, stored: Int64?, expected: Int64)
    /// The generation no longer takes events (swapped out, retired, failed).
    case generationClosed(Int64)
}

/// The guard every batch write runs in its transaction or statement: the generation still takes
/// events, and each partition's stored offset moves from where the batch started, or the
/// batch is refused whole (`ApplyRefusal`).
extension ReadModelStore {
    /// Refuses the batch unless the generation takes events. A key-share lock on the
    /// generation's row orders the batch with a swap (which locks the row for update) but not
    /// with other batches (whose progress updates take no key lock): two batches both holding
    /// a plain share lock and then both updating the row would deadlock.
    static func lockAcceptingGeneration(_ generation: Int64, _ schema: ReadModelSchema, _ db: any SQLExecutor) async throws {
        let lock = schema.dialect == .postgres ? " FOR KEY SHARE" : ""
        let status = try await db.query(
            "SELECT status FROM \(schema.generations) WHERE generation = $1\(lock)", [.int(generation)]
        ).first?.string(0)
        guard let status, Generation.Status(rawValue: status)?.acceptsEvents == true else {
            throw ApplyRefusal.generationClosed(generation)
        }
    }

    /// Moves each partition's stored offset from where the batch started to where it ends, or
    /// throws `offsetMoved` for the first partition whose stored offset is not the start. On
    /// PostgreSQL, one statement for every partition of the batch (a round trip each was a
    /// third of a small batch's statements under a steady trickle of commands), which also
    /// adds the batch's events in effect to the generation's `eventsApplied`.
    static func moveOffsets(
        _ nextOffsets: [Int32: Int64], from startOffsets: [Int32: Int64], generation: Int64, eventsApplied: Int,
        _ schema: ReadModelSchema, _ db: any SQLExecutor
    ) async throws {
        let moves = nextOffsets.sorted { $0.key < $1.key }.map { (partition: $0.key, next: $0.value, expected: startOffsets[$0.key] ?? 0) }
        guard !moves.isEmpty else { return }
        var moved = Set<Int32>()
        if db.dialect == .postgres {
            var update = Statement()
            let generationPlaceholder = update.bind(.int(generation))
            if eventsApplied > 0 {
                update.append("""
                    WITH progress AS (
                        UPDATE \(schema.generations) SET events_applied = events_applied + \(update.bind(.int(Int64(eventsApplied)))),
                            updated_at_ms = \(update.bind(.int(Timestamp.now.millisecondsSinceEpoch)))
                        WHERE generation = \(generationPlaceholder))

                    """)
            }
            update.append("UPDATE \(schema.offsets) AS s SET next_offset = v.next FROM (VALUES ")
            let values = moves.map { move in
                "(\(update.bind(.int(Int64(move.partition))))::bigint, \(update.bind(.int(move.next)))::bigint, \(update.bind(.int(move.expected)))::bigint)"
            }
            update.append(values.joined(separator: ", "))
            update.append("""
                ) AS v(kafka_partition, next, expected)
                WHERE s.generation = \(generationPlaceholder) AND s.kafka_partition = v.kafka_partition AND s.next_offset = v.expected
                RETURNING s.kafka_partition
                """)
            for row in try await update.run(on: db) { moved.insert(Int32(try row.int(0))) }
        } else {
            if eventsApplied > 0 {
                try await db.query(
                    "UPDATE \(schema.generations) SET events_applied = events_applied + $1, updated_at_ms = $2 WHERE generation = $3",
                    [.int(Int64(eventsApplied)), .int(Timestamp.now.millisecondsSinceEpoch), .int(generation)])
            }
            for move in moves {
                let rows = try await db.query("""
                    UPDATE \(schema.offsets) SET next_offset = $1
                    WHERE generation = $2 AND kafka_partition = $3 AND next_offset = $4
                    RETURNING kafka_partition
                    """, [.int(move.next), .int(generation), .int(Int64(move.partition)), .int(move.expected)])
                if rows.isEmpty { break }
                moved.insert(move.partition)
            }
        }
        if let refused = moves.first(where: { !moved.contains($0.partition) }) {
            let stored = try await db.query(
                "SELECT next_offset FROM \(schema.offsets) WHERE generation = $1 AND kafka_partition = $2",
                [.int(generation), .int(Int64(refused.partition))]).first?.int(0)
            throw ApplyRefusal.offsetMoved(partition: refused.partition, stored: stored, expected: refused.expected)
        }
    }
}
