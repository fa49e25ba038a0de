import SQLStore
import Events

/// The set-based writes of a folded batch, which a transaction and the pipeline both run: COPY
/// on PostgreSQL (`BatchCopyRows`), multi-row statements on SQLite (`BatchValueRows`).
extension ReadModelStore {
    /// Set-based writes: a few statements per batch, whatever its size.
    static func write(_ projection: BatchProjection, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
        guard !projection.orders.isEmpty else { return }
        if db.dialect == .postgres {
            let rows = BatchCopyRows(projection)
            try await writeCreated(rows, to: t, db)
            try await writeChanged(rows, to: t, db)
        } else {
            try await writeWithStatements(BatchValueRows(projection), to: t, db)
        }
    }

    /// PostgreSQL: the rows only this batch writes, by COPY. Its events (their key is the
    /// order and its version), the orders the read model did not hold (the table's key
    /// refuses an order that exists: the batch then fails whole) and their lines.
    static func writeCreated(_ rows: BatchCopyRows, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
        try await db.copy(into: t.orders, columns: UpsertSQL.orderColumns, rows: rows.newOrders)
        try await db.copy(into: t.items, columns: UpsertSQL.itemColumns, rows: rows.newItems)
        try await db.copy(into: t.events, columns: UpsertSQL.eventColumns, rows: rows.events)
    }

    /// PostgreSQL: the rows an earlier batch may have written. The orders the read model held
    /// (COPY into a staging table, then one merge), their changed lines, the customers' summaries.
    static func writeChanged(_ rows: BatchCopyRows, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
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
    static func writeWithStatements(_ rows: BatchValueRows, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
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
}
