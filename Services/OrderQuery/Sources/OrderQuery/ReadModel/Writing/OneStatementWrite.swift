import KafkaEvents
import SQLStore
import Events

/// The one-statement path could not read the touched orders; the transaction path takes the batch.
enum OneStatementFallback: Error {
    case loadFailed
    /// More bound parameters than one statement takes (many orders, events or customers).
    case tooManyParameters
}

extension ReadModelStore {
    /// PostgreSQL, a small batch: one round trip, or two when some touched orders must be read
    /// first, instead of a transaction's eight.
    ///
    /// 1. The touched orders' rows before the batch. Rows in `known` (the projection's cache)
    ///    are taken as they are. An order whose first event in the batch is its version 1 is
    ///    assumed new, and the statement checks that it is. The others are read outside any
    ///    transaction. All of this is safe because an order is only ever
    ///    written together with its partition's stored offset, under a compare-and-set on it:
    ///    if anyone wrote these orders after the rows were read (or cached), they moved the
    ///    offset, and step 2 refuses the batch.
    /// 2. One statement: lock the generation's row (key share, as a swap locks it for update),
    ///    lock the partitions' offset rows where they still are where the batch started, check
    ///    that the orders assumed new are, and only if all of that holds, move the offsets and
    ///    write the orders, events and customers. A statement outside a transaction is
    ///    atomic on its own, so a refusal writes nothing, and a batch that fails half-way
    ///    leaves nothing behind. An order wrongly assumed new (a second writer's version 1 of
    ///    an order that exists) makes the statement write nothing, and the batch is folded
    ///    again from rows read.
    func applyInOneStatement(
        _ records: [LogRecord], orderIds: Set<String>, to generation: Int64, startOffsets: [Int32: Int64],
        partitionOf: @escaping @Sendable (String) -> Int32, known: [String: OrderRow], assumeNew: Bool = true
    ) async throws -> BatchProjection {
        let tables = schema.tables(generation)
        var before = known.filter { orderIds.contains($0.key) }
        let assumedNew = assumeNew ? Self.firstSeenAtVersionOne(records, excluding: before) : []
        let toRead = orderIds.subtracting(before.keys).subtracting(assumedNew)
        if !toRead.isEmpty {
            let load = Self.orderSelect(tables, ids: toRead)
            do {
                before.merge(try Self.orders(try await database.readStatement(load.sql, load.binds))) { _, read in read }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw OneStatementFallback.loadFailed
            }
        }
        let projection = BatchProjection(records: records, before: before, partitionOf: partitionOf)
        let moves = projection.nextOffsets.sorted { $0.key < $1.key }.map {
            (partition: $0.key, next: $0.value, expected: startOffsets[$0.key] ?? 0)
        }
        guard !moves.isEmpty else { return projection }

        let statement = oneStatement(
            BatchValueRows(projection), moves: moves, eventsApplied: projection.inEffectCount, assumedNew: assumedNew, tables)
        guard statement.binds.count <= BatchWrite.oneStatementParameters else { throw OneStatementFallback.tooManyParameters }
        let answer = try await database.writeStatement(statement.sql, statement.binds)
        guard let row = answer.first else { throw DatabaseError.unexpectedValue(column: 0, found: .null) }
        if try row.int(0) == 0 { return projection }
        guard try row.int(1) == 1 else { throw ApplyRefusal.generationClosed(generation) }
        if try row.int(2) == 0 {
            return try await applyInOneStatement(
                records, orderIds: orderIds, to: generation, startOffsets: startOffsets, partitionOf: partitionOf,
                known: known, assumeNew: false)
        }
        // Refused: find the first partition whose stored offset is not where the batch started.
        let stored = try await storedOffsets(generation)
        let refused = moves.first { stored[$0.partition] != $0.expected } ?? moves[0]
        throw ApplyRefusal.offsetMoved(partition: refused.partition, stored: stored[refused.partition], expected: refused.expected)
    }

    /// The orders (not in `known`) whose first record in the batch says it is their version 1.
    static func firstSeenAtVersionOne(_ records: [LogRecord], excluding known: [String: OrderRow]) -> Set<String> {
        Set(ordersFirstSeen(records).lazy.filter { $0.value && known[$0.key] == nil }.map(\.key))
    }

    /// Each order of `records` once, with whether its first record there is its version 1.
    static func ordersFirstSeen(_ records: [LogRecord]) -> [String: Bool] {
        var firstSeen: [String: Bool] = [:]
        for index in records.indices {
            guard let id = records[index].orderId, firstSeen[id] == nil else { continue }
            firstSeen[id] = (try? EventCodec.aggregateVersion(of: records[index].record)) == 1
        }
        return firstSeen
    }

    /// The batch's statement. It answers one row: whether it was refused (1) or applied (0),
    /// whether the generation still takes events (1) or not (0), and whether the orders
    /// assumed new are (1) or not (0).
    private func oneStatement(
        _ rows: BatchValueRows, moves: [(partition: Int32, next: Int64, expected: Int64)], eventsApplied: Int,
        assumedNew: Set<String>, _ t: ReadModelSchema.Tables
    ) -> Statement {
        var s = Statement()
        let generation = s.bind(.int(t.generation))
        let accepting = [Generation.Status.live, .building, .snapshotBuilding].map { s.bind(.text($0.rawValue)) }
        let sql = UpsertSQL(tables: t, dialect: .postgres)
        // Every write below is conditional on `go`, which is true only if every offset row was
        // found (and locked) where the batch started, in a generation that takes events, and
        // no order assumed new exists.
        var fresh = "TRUE"
        if !assumedNew.isEmpty {
            fresh = "NOT EXISTS (SELECT 1 FROM \(t.orders) WHERE order_id IN \(s.list(assumedNew.sorted())))"
        }
        var parts = [
            """
            gen AS (SELECT generation FROM \(schema.generations)
                WHERE generation = \(generation) AND status IN (\(accepting.joined(separator: ", "))) FOR KEY SHARE)
            """,
            """
            cas AS (SELECT s.kafka_partition FROM \(schema.offsets) s
                JOIN (VALUES \(s.rows(moves.map { [.int(Int64($0.partition)), .int($0.expected)] }, types: ["bigint", "bigint"])))
                    AS v(kafka_partition, expected) ON s.kafka_partition = v.kafka_partition
                WHERE s.generation = (SELECT generation FROM gen) AND s.next_offset = v.expected
                FOR UPDATE OF s)
            """,
            "fresh AS (SELECT \(fresh) AS fresh)",
            "go AS (SELECT count(*) = \(moves.count) AND (SELECT fresh FROM fresh) AS go FROM cas)",
            """
            moved AS (UPDATE \(schema.offsets) s SET next_offset = v.next
                FROM (VALUES \(s.rows(moves.map { [.int(Int64($0.partition)), .int($0.next)] }, types: ["bigint", "bigint"])))
                    AS v(kafka_partition, next)
                WHERE (SELECT go FROM go) AND s.generation = \(generation) AND s.kafka_partition = v.kafka_partition)
            """,
        ]
        if eventsApplied > 0 {
            parts.append("""
                progress AS (UPDATE \(schema.generations) SET events_applied = events_applied + \(s.bind(.int(Int64(eventsApplied)))),
                    updated_at_ms = \(s.bind(.int(Timestamp.now.millisecondsSinceEpoch)))
                    WHERE generation = \(generation) AND (SELECT go FROM go))
                """)
        }
        if !rows.orders.isEmpty {
            parts.append("orders_upserted AS (\(sql.orders(Self.valuesIf(s.rows(rows.orders, types: UpsertSQL.orderTypes)), values: false)))")
        }
        if !rows.events.isEmpty {
            parts.append("events_inserted AS (\(sql.events(Self.valuesIf(s.rows(rows.events, types: UpsertSQL.eventTypes)), values: false)))")
        }
        if !rows.customers.isEmpty {
            parts.append(
                "customers_upserted AS (\(sql.customers(Self.valuesIf(s.rows(rows.customers, types: UpsertSQL.customerTypes)), values: false)))")
        }
        s.append("WITH " + parts.joined(separator: ",\n"))
        s.append("""

            SELECT CASE WHEN (SELECT go FROM go) THEN 0 ELSE 1 END, CASE WHEN EXISTS (SELECT 1 FROM gen) THEN 1 ELSE 0 END,
                CASE WHEN (SELECT fresh FROM fresh) THEN 1 ELSE 0 END
            """)
        return s
    }

    /// The rows of a VALUES list, kept only if the batch goes ahead.
    private static func valuesIf(_ values: String) -> String {
        "SELECT * FROM (VALUES \(values)) AS v WHERE (SELECT go FROM go)"
    }
}
