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
    /// order and its version) and the orders the read model did not hold (the table's key
    /// refuses an order that exists: the batch then fails whole).
    static func writeCreated(_ rows: BatchCopyRows, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
        try await db.copy(into: t.orders, columns: UpsertSQL.orderColumns, rows: rows.newOrders)
        try await db.copy(into: t.events, columns: UpsertSQL.eventColumns, rows: rows.events)
    }

    /// PostgreSQL: the rows an earlier batch may have written. The orders the read model held
    /// (COPY into a staging table, then one merge) and the customers' summaries.
    static func writeChanged(_ rows: BatchCopyRows, to t: ReadModelSchema.Tables, _ db: any SQLExecutor) async throws {
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
