import Events
import Logging
import SQLStore

/// Generations are made at run time, so a change to their tables cannot be one of the
/// numbered migrations: each is brought up to date here, at every start, inside the
/// migration's transaction (under its lock), and a second run changes nothing.
extension ReadModelStore {
    static func upgradeGenerations(_ db: any SQLExecutor, _ schema: ReadModelSchema, logger: Logger) async throws {
        for row in try await db.query("SELECT generation FROM \(schema.generations) WHERE status <> 'retired'") {
            let t = schema.tables(try row.int(0))
            try await addActorColumn(db, schema, t, logger: logger)
            try await moveLinesIntoOrders(db, schema, t, logger: logger)
        }
    }

    /// Generations built before events recorded their actor get the history's `actor` column
    /// (nullable: those events have none).
    static func addActorColumn(_ db: any SQLExecutor, _ schema: ReadModelSchema, _ t: ReadModelSchema.Tables, logger: Logger) async throws {
        switch schema.dialect {
        case .postgres:
            try await db.query("ALTER TABLE IF EXISTS \(t.events) ADD COLUMN IF NOT EXISTS actor TEXT")
        case .sqlite:
            let columns = try await columnNames(db, t.events)
            guard !columns.isEmpty, !columns.contains("actor") else { return }
            try await db.query("ALTER TABLE \(t.events) ADD COLUMN actor TEXT")
            logger.info("Added the history's actor column", metadata: ["generation": "\(t.generation)"])
        }
    }

    /// Generations built when an order's lines were rows of a table of their own get them as
    /// the orders' `items` column (JSON, `LineItemsJSON`), and that table goes.
    static func moveLinesIntoOrders(_ db: any SQLExecutor, _ schema: ReadModelSchema, _ t: ReadModelSchema.Tables, logger: Logger) async throws {
        switch schema.dialect {
        case .postgres:
            let exists = try await db.query(
                "SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE 1 END", [.text(t.legacyItems)]).first?.int(0) ?? 0
            guard exists > 0 else { return }
            try await db.query("ALTER TABLE \(t.orders) ADD COLUMN IF NOT EXISTS items TEXT NOT NULL DEFAULT '[]'")
            // PostgreSQL writes the lines as it likes (spaces around `:`); `LineItemsJSON` reads them.
            try await db.query("""
                UPDATE \(t.orders) o SET items = l.items
                FROM (SELECT order_id,
                             json_agg(json_build_object('quantity', quantity, 'sku', sku, 'unitPrice', unit_price) ORDER BY line_no)::text AS items
                      FROM \(t.legacyItems) GROUP BY order_id) l
                WHERE o.order_id = l.order_id
                """)
            try await db.query("ALTER TABLE \(t.orders) ALTER COLUMN items DROP DEFAULT")
        case .sqlite:
            let exists = try await db.query(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1", [.text(t.legacyItems)]).first?.int(0) ?? 0
            guard exists > 0 else { return }
            if try await !columnNames(db, t.orders).contains("items") {
                try await db.query("ALTER TABLE \(t.orders) ADD COLUMN items TEXT NOT NULL DEFAULT '[]'")
            }
            var lines: [String: [LineItem]] = [:]
            for row in try await db.query("SELECT order_id, sku, quantity, unit_price FROM \(t.legacyItems) ORDER BY order_id, line_no") {
                lines[try row.string(0), default: []].append(
                    LineItem(sku: try row.string(1), quantity: try row.int(2), unitPrice: try row.int(3)))
            }
            for (orderId, items) in lines {
                try await db.query("UPDATE \(t.orders) SET items = $1 WHERE order_id = $2", [.text(LineItemsJSON.encode(items)), .text(orderId)])
            }
        }
        try await db.query("DROP TABLE \(t.legacyItems)")
        logger.info("Moved the orders' lines into their rows", metadata: ["generation": "\(t.generation)"])
    }

    private static func columnNames(_ db: any SQLExecutor, _ table: String) async throws -> [String] {
        try await db.query("SELECT name FROM pragma_table_info('\(table)')").map { try $0.string(0) }
    }
}
