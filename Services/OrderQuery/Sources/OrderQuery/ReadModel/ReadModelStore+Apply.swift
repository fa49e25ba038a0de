import ServiceKit
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

extension ReadModelStore {
    /// Applies one fetched batch to `generation` atomically, together with the next offset of
    /// every partition it touched, as a compare-and-set on `startOffsets` (the stored offsets
    /// the batch started from). Returns what the batch changed. On PostgreSQL a small batch
    /// (a live trickle of commands) is one statement (`applyInOneStatement`); a large one (a
    /// rebuild), and every batch on SQLite, one transaction of set-based statements.
    /// `known`: rows the caller knows to be the stored ones (its `OrderRowCache`), which a
    /// small batch need not read.
    public func apply(
        _ records: [LogRecord], to generation: Int64, startOffsets: [Int32: Int64],
        partitionOf: @escaping @Sendable (String) -> Int32, known: [String: OrderRow] = [:]
    ) async throws -> BatchProjection {
        let orderIds = Set(records.compactMap(\.orderId))
        if schema.dialect == .postgres, !records.isEmpty, records.count <= Self.oneStatementRecords, orderIds.count <= Self.oneStatementOrders {
            do {
                return try await applyInOneStatement(
                    records, orderIds: orderIds, to: generation, startOffsets: startOffsets, partitionOf: partitionOf, known: known)
            } catch OneStatementFallback.loadFailed {
                // The generation's tables could not be read (dropped after a swap): the
                // transaction's generation check says why, as a typed refusal.
            } catch OneStatementFallback.tooManyParameters {
                // Nothing was written; the transaction's COPY takes any number of rows.
            }
        }
        return try await applyInTransaction(
            records, orderIds: orderIds, to: generation, startOffsets: startOffsets, partitionOf: partitionOf, known: known)
    }

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

    /// Stores a batch folded before (`BatchProjection` over the rows of its orders as stored,
    /// read outside any transaction or known from the projection's own writes) in one
    /// transaction, with the compare-and-set on `startOffsets`. Safe for the same reason as
    /// `applyInOneStatement`: the orders are only ever written together with their
    /// partitions' offsets, so if anyone wrote them after they were read, the offsets moved
    /// and the batch is refused.
    ///
    /// `after`: on PostgreSQL, the batch before this one may still be being stored (in its
    /// own transaction, on another connection). This one then first writes the rows no other
    /// batch writes (its events, the orders it creates and their lines), then waits for
    /// `after` to end, then moves the offsets and writes the rest (rows that batch may have
    /// written: orders it held, their lines, the customers' summaries). The two batches'
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
            let rows = CopyBatch(projection)
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

    /// Set-based writes: a few statements per batch, whatever its size.
    static func write(_ projection: BatchProjection, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
        guard !projection.orders.isEmpty else { return }
        if db.dialect == .postgres {
            let rows = CopyBatch(projection)
            try await writeCreated(rows, to: t, db)
            try await writeChanged(rows, to: t, db)
        } else {
            try await writeWithStatements(BatchRows(projection), to: t, db)
        }
    }

    /// PostgreSQL: the rows only this batch writes, by COPY. Its events (their key is the
    /// order and its version), the orders the read model did not hold (the table's key
    /// refuses an order that exists: the batch then fails whole) and their lines.
    static func writeCreated(_ rows: CopyBatch, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
        try await db.copy(into: t.orders, columns: UpsertSQL.orderColumns, rows: rows.newOrders)
        try await db.copy(into: t.items, columns: UpsertSQL.itemColumns, rows: rows.newItems)
        try await db.copy(into: t.events, columns: UpsertSQL.eventColumns, rows: rows.events)
    }

    /// PostgreSQL: the rows an earlier batch may have written. The orders the read model held
    /// (COPY into a staging table, then one merge), their changed lines, the customers' summaries.
    static func writeChanged(_ rows: CopyBatch, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
        // Only lines the read model holds from an order's first changed line on are replaced
        // (an item added at the end deletes nothing).
        // Arrays (one parameter each, whatever their size) rather than a VALUES list: on a new
        // generation's table, before any statistics, a VALUES list got a hash join over the
        // whole table (75 ms a statement at 640,000 lines) instead of the key's index.
        if !rows.replacedLines.isEmpty {
            var delete = Statement()
            let ids = delete.array(rows.replacedLines.lazy.map(\.orderId))
            let fromLines = delete.array(rows.replacedLines.lazy.map(\.fromLine))
            delete.append("""
                DELETE FROM \(t.items) AS i USING unnest(\(ids)::text[], \(fromLines)::bigint[]) AS v(order_id, from_line)
                WHERE i.order_id = v.order_id AND i.line_no >= v.from_line
                """)
            try await delete.run(on: db)
        }
        try await db.copy(into: t.items, columns: UpsertSQL.itemColumns, rows: rows.heldItems)
        let sql = UpsertSQL(tables: t, dialect: db.dialect)
        if !rows.heldOrders.isEmpty {
            let stage = "order_query_orders_stage"
            try await db.query("CREATE TEMP TABLE IF NOT EXISTS \(stage) (LIKE \(t.orders)) ON COMMIT DELETE ROWS")
            try await db.copy(into: stage, columns: UpsertSQL.orderColumns, rows: rows.heldOrders)
            let list = UpsertSQL.orderColumns.joined(separator: ", ")
            try await db.query(sql.orders("SELECT \(list) FROM \(stage)", values: false))
        }
        try await upsertCustomers(rows.customers, sql, db)
    }

    /// SQLite: multi-row statements.
    static func writeWithStatements(_ rows: BatchRows, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
        for order in rows.itemOrders where order.previousLineCount > order.firstChangedLine {
            try await db.query(
                "DELETE FROM \(t.items) WHERE order_id = $1 AND line_no >= $2", [.text(order.orderId), .int(order.firstChangedLine)])
        }
        try await db.insert(into: t.items, columns: UpsertSQL.itemColumns, rows: rows.items)
        let sql = UpsertSQL(tables: t, dialect: db.dialect)
        for chunk in rows.orders.chunked(1_000) {
            var upsert = Statement()
            upsert.append(sql.orders(upsert.rows(chunk)))
            try await upsert.run(on: db)
        }
        try await db.insert(into: t.events, columns: UpsertSQL.eventColumns, rows: rows.events)
        try await upsertCustomers(rows.customers, sql, db)
    }

    private static func upsertCustomers(_ customers: [[SQLValue]], _ sql: UpsertSQL, _ db: any SQLExecutor) async throws {
        for chunk in customers.chunked(1_000) {
            var upsert = Statement()
            upsert.append(sql.customers(upsert.rows(chunk)))
            try await upsert.run(on: db)
        }
    }

    /// The rows of `ids` (those the read model has), with their items in line order.
    static func loadOrders(_ db: any SQLExecutor, _ t: ReadModelSchema.Tables, ids: Set<String>) async throws -> [String: OrderRow] {
        if ids.count <= oneStatementOrders {
            // A small batch: each order with its items in one statement, one round trip less.
            // A large one (a rebuild) reads orders and items apart: repeating every order's
            // columns on each of its items' rows cost more than the round trip.
            return try joinedOrders(try await joinedLoad(t, ids: ids).run(on: db))
        }
        var orders: [String: OrderRow] = [:]
        for chunk in Array(ids).chunked(1_000) {
            var select = Statement("\(orderColumns) FROM \(t.orders) WHERE order_id IN ")
            select.append(select.list(chunk))
            for row in try await select.run(on: db) {
                let order = try orderRow(row)
                orders[order.orderId] = order
            }
        }
        guard !orders.isEmpty else { return orders }
        for chunk in Array(orders.keys).chunked(1_000) {
            var select = Statement("SELECT order_id, sku, quantity, unit_price FROM \(t.items) WHERE order_id IN ")
            select.append(select.list(chunk))
            select.append(" ORDER BY order_id, line_no")
            for row in try await select.run(on: db) {
                orders[try row.string(0)]?.state.items.append(
                    LineItem(sku: try row.string(1), quantity: try row.int(2), unitPrice: try row.int(3)))
            }
        }
        return orders
    }

    /// `ids` (at least one) with their items: a row per item in line order, or one with null
    /// item columns for an order without items.
    static func joinedLoad(_ t: ReadModelSchema.Tables, ids: Set<String>) -> Statement {
        var select = Statement("""
            SELECT \(joinedOrderColumns) FROM \(t.orders) o LEFT JOIN \(t.items) i ON i.order_id = o.order_id
            WHERE o.order_id IN
            """)
        select.append(select.list(ids))
        select.append(" ORDER BY o.order_id, i.line_no")
        return select
    }

    static let orderColumns = """
        SELECT order_id, kafka_partition, customer_id, status, currency, confirmed_total, version,
               placed_at_ms, updated_at_ms, carrier, tracking_number, cancel_reason
        """

    /// An order's columns (`o`) and its items' (`i`), in the order `orderRow` and
    /// `joinedOrders` read them.
    static let joinedOrderColumns = """
        o.order_id, o.kafka_partition, o.customer_id, o.status, o.currency, o.confirmed_total, o.version,
        o.placed_at_ms, o.updated_at_ms, o.carrier, o.tracking_number, o.cancel_reason,
        i.sku, i.quantity, i.unit_price
        """

    /// The orders of rows selected with `joinedOrderColumns`, one row per item in line order
    /// (an order without items: one row with null item columns; rows with a null order: none).
    static func joinedOrders(_ rows: [SQLRow]) throws -> [String: OrderRow] {
        var orders: [String: OrderRow] = [:]
        for row in rows {
            guard let id = try row.optionalString(0) else { continue }
            if orders[id] == nil { orders[id] = try orderRow(row) }
            if let sku = try row.optionalString(12) {
                orders[id]!.state.items.append(LineItem(sku: sku, quantity: try row.int(13), unitPrice: try row.int(14)))
            }
        }
        return orders
    }

    /// An order row without its items (`loadOrders` adds them).
    static func orderRow(_ row: SQLRow) throws -> OrderRow {
        var state = OrderState()
        state.customerId = try row.string(2)
        state.status = OrderStatus(rawValue: try row.string(3)) ?? .placed
        state.currency = try row.string(4)
        state.confirmedTotal = try row.optionalInt(5)
        state.version = try row.int(6)
        if let carrier = try row.optionalString(9), let tracking = try row.optionalString(10) {
            state.shipping = Shipping(carrier: carrier, trackingNumber: tracking)
        }
        state.cancelReason = try row.optionalString(11)
        return OrderRow(
            orderId: try row.string(0), partition: Int32(try row.int(1)), state: state,
            placedAt: Timestamp(millisecondsSinceEpoch: try row.int(7)),
            updatedAt: Timestamp(millisecondsSinceEpoch: try row.int(8)))
    }
}

/// The batch's upserts and inserts as SQL, around rows given as a VALUES list (or a SELECT).
struct UpsertSQL {
    let tables: ReadModelSchema.Tables
    let dialect: SQLDialect

    static let orderColumns = [
        "order_id", "kafka_partition", "customer_id", "status", "currency", "total", "confirmed_total", "item_count",
        "line_count", "version", "placed_at_ms", "updated_at_ms", "carrier", "tracking_number", "cancel_reason",
    ]
    static let eventColumns = [
        "order_id", "version", "event_type", "event_id", "schema_version", "command_id", "occurred_at_ms",
        "kafka_partition", "kafka_offset", "status", "payload",
    ]
    static let itemColumns = ["order_id", "line_no", "sku", "quantity", "unit_price"]
    /// The columns' types, for VALUES lists that are not an INSERT's own (`Statement.rows(_:types:)`).
    static let orderTypes = ["text", "bigint", "text", "text", "text", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "text", "text", "text"]
    static let eventTypes = ["text", "bigint", "text", "text", "bigint", "text", "bigint", "bigint", "bigint", "text", "text"]
    static let itemTypes = ["text", "bigint", "text", "bigint", "bigint"]
    static let customerTypes = ["text", "bigint"] + customerCounts.map { _ in "bigint" } + ["bigint", "bigint"]
    static let customerCounts = ["placed_count", "confirmed_count", "shipped_count", "delivered_count", "cancelled_count"]

    /// `values`: rows as `(...), (...)`; or, with `values` false, a SELECT giving them.
    func orders(_ rows: String, values: Bool = true) -> String {
        """
        INSERT INTO \(tables.orders) (\(Self.orderColumns.joined(separator: ", "))) \(values ? "VALUES " : "")\(rows)
        ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, total = excluded.total,
            confirmed_total = excluded.confirmed_total, item_count = excluded.item_count,
            line_count = excluded.line_count, version = excluded.version, updated_at_ms = excluded.updated_at_ms,
            carrier = excluded.carrier, tracking_number = excluded.tracking_number, cancel_reason = excluded.cancel_reason
        """
    }

    func events(_ rows: String, values: Bool = true) -> String {
        "INSERT INTO \(tables.events) (\(Self.eventColumns.joined(separator: ", "))) \(values ? "VALUES " : "")\(rows)"
    }

    func customers(_ rows: String, values: Bool = true) -> String {
        let c = tables.customers
        let least = dialect == .postgres ? "LEAST" : "MIN"
        let greatest = dialect == .postgres ? "GREATEST" : "MAX"
        return """
            INSERT INTO \(c) (customer_id, order_count, \(Self.customerCounts.joined(separator: ", ")),
                first_order_at_ms, last_order_at_ms) \(values ? "VALUES " : "")\(rows)
            ON CONFLICT (customer_id) DO UPDATE SET order_count = \(c).order_count + excluded.order_count,
                \(Self.customerCounts.map { "\($0) = \(c).\($0) + excluded.\($0)" }.joined(separator: ", ")),
                first_order_at_ms = \(least)(\(c).first_order_at_ms, excluded.first_order_at_ms),
                last_order_at_ms = \(greatest)(\(c).last_order_at_ms, excluded.last_order_at_ms)
            """
    }
}

/// A batch's writes as rows of the read model's tables, in `UpsertSQL`'s column order.
struct BatchRows {
    var orders: [[SQLValue]] = []
    /// Per row of `orders`: the read model did not hold the order before the batch.
    var orderIsNew: [Bool] = []
    var events: [[SQLValue]] = []
    /// Each touched customer's summary change (an order's customer never changes, so counts
    /// move between statuses and new orders add up).
    var customers: [[SQLValue]] = []
    /// The changed lines (from each order's first changed line on) of the orders whose items
    /// the batch changed, and per such order where its lines changed.
    var items: [[SQLValue]] = []
    var itemOrders: [ItemOrder] = []

    struct ItemOrder {
        var orderId: String
        var firstChangedLine: Int64
        var previousLineCount: Int64
        var lineCount: Int64
    }

    init(_ projection: BatchProjection) {
        var orderRows = ValueRows(), itemRows = ValueRows(), eventRows = ValueRows()
        for row in projection.orders.values.sorted(by: { $0.orderId < $1.orderId }) {
            CopyBatch.append(row, to: &orderRows)
            orderIsNew.append(projection.newOrders.contains(row.orderId))
            guard let change = projection.itemChanges[row.orderId] else { continue }
            itemOrders.append(ItemOrder(
                orderId: row.orderId, firstChangedLine: Int64(change.firstChangedLine),
                previousLineCount: Int64(change.previousLineCount), lineCount: Int64(row.state.items.count)))
            CopyBatch.appendLines(of: row, from: change.firstChangedLine, to: &itemRows)
        }
        for event in projection.events { CopyBatch.append(event, to: &eventRows) }
        orders = orderRows.rows
        items = itemRows.rows
        events = eventRows.rows
        customers = Self.customerRows(projection)
    }

    /// Each touched customer's summary change, in key order (the order two writers lock them in).
    static func customerRows(_ projection: BatchProjection) -> [[SQLValue]] {
        projection.customerDeltas.sorted { $0.key < $1.key }.map { customer, delta in
            [.text(customer), .int(delta.orders)] + OrderStatus.allCases.map { .int(delta.count($0)) }
                + [.int(delta.firstOrderAt?.millisecondsSinceEpoch ?? Int64.max), .int(delta.lastOrderAt?.millisecondsSinceEpoch ?? Int64.min)]
        }
    }
}
