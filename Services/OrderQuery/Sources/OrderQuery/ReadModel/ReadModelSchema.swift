import SQLStore
/// The read model's tables and their DDL. The service keeps everything in its own schema,
/// `order_query` (a table-name prefix on SQLite). Bookkeeping tables are shared by all
/// generations; each generation (the live one, a rebuild, a snapshot as of a position) has
/// its own set of data tables, suffixed `_g<N>`.
public struct ReadModelSchema: Sendable {
    public static let schemaName = "order_query"
    public let dialect: SQLDialect

    public init(dialect: SQLDialect) { self.dialect = dialect }

    func meta(_ name: String) -> String { dialect.table(name, schema: Self.schemaName) }
    var migrations: String { meta("migrations") }
    var generations: String { meta("generations") }
    var offsets: String { meta("offsets") }

    /// The data tables of one generation.
    public struct Tables: Sendable {
        public let generation: Int64
        let orders: String
        /// The table that held the orders' lines before they became a column of `orders`
        /// (`ReadModelStore.moveLinesIntoOrders`).
        let legacyItems: String
        let events: String
        let customers: String
        /// The bookkeeping table of stored offsets (shared by all generations).
        let offsets: String
        /// The bare names, for index names (which PostgreSQL qualifies by the table's schema).
        let bare: (orders: String, events: String, customers: String)
    }

    public func tables(_ generation: Int64) -> Tables {
        let suffix = "_g\(generation)"
        let bare = (orders: "orders\(suffix)", events: "order_events\(suffix)", customers: "customers\(suffix)")
        return Tables(
            generation: generation, orders: meta(bare.orders), legacyItems: meta("order_items\(suffix)"), events: meta(bare.events),
            customers: meta(bare.customers), offsets: offsets, bare: bare)
    }

    /// The migrations, in order. Each runs once, recorded in the migrations table.
    var migrationSteps: [(version: Int64, description: String, statements: [String])] {
        [
            (1, "bookkeeping: generations and their stored offsets", [
                """
                CREATE TABLE IF NOT EXISTS \(generations) (
                    generation BIGINT PRIMARY KEY,
                    status TEXT NOT NULL,
                    created_at_ms BIGINT NOT NULL,
                    swapped_at_ms BIGINT,
                    up_to TEXT,
                    events_applied BIGINT NOT NULL DEFAULT 0,
                    target_events BIGINT,
                    started_at_ms BIGINT NOT NULL,
                    updated_at_ms BIGINT NOT NULL,
                    error TEXT)
                """,
                """
                CREATE TABLE IF NOT EXISTS \(offsets) (
                    generation BIGINT NOT NULL,
                    kafka_partition BIGINT NOT NULL,
                    next_offset BIGINT NOT NULL,
                    stop_offset BIGINT,
                    PRIMARY KEY (generation, kafka_partition))
                """,
            ]),
        ]
    }

    /// The DDL of one generation's data tables: with the indexes that serve queries, or
    /// without them for a generation built from the log before it serves any (a rebuild, a
    /// read model as of a position), which gets them once built (`queryIndexStatements`):
    /// maintaining them row by row cost a rebuild more than building them at the end.
    func createStatements(_ t: Tables, queryIndexes: Bool) -> [String] {
        tableStatements(t) + (queryIndexes ? queryIndexStatements(t) : [])
    }

    /// The indexes that serve the list queries (the tables' keys serve the rest).
    func queryIndexStatements(_ t: Tables) -> [String] {
        let b = t.bare
        return [
            // The list's orders: newest first, then by id (keyset pagination), optionally by status or customer.
            "CREATE INDEX IF NOT EXISTS \(indexName(b.orders, "placed")) ON \(t.orders) (placed_at_ms DESC, order_id DESC)",
            "CREATE INDEX IF NOT EXISTS \(indexName(b.orders, "status")) ON \(t.orders) (status, placed_at_ms DESC, order_id DESC)",
            "CREATE INDEX IF NOT EXISTS \(indexName(b.orders, "customer")) ON \(t.orders) (customer_id, placed_at_ms DESC, order_id DESC)",
        ]
    }

    /// The tables, with their keys. An order's lines are a column of its row (`items`, JSON as
    /// `LineItemsJSON` writes it), not rows of their own.
    private func tableStatements(_ t: Tables) -> [String] {
        // Keys compare as bytes on PostgreSQL, as they do on SQLite: ids sort the same in both
        // stores, and index inserts skip the locale's collation (C.UTF-8 is not PostgreSQL's
        // built-in "C": every comparison went through the C library; about 10% of a COPY).
        let key = dialect == .postgres ? "TEXT COLLATE \"C\"" : "TEXT"
        return [
            """
            CREATE TABLE \(t.orders) (
                order_id \(key) PRIMARY KEY,
                kafka_partition BIGINT NOT NULL,
                customer_id \(key) NOT NULL,
                status \(key) NOT NULL,
                currency TEXT NOT NULL,
                total BIGINT NOT NULL,
                confirmed_total BIGINT,
                item_count BIGINT NOT NULL,
                line_count BIGINT NOT NULL,
                items TEXT NOT NULL,
                version BIGINT NOT NULL,
                placed_at_ms BIGINT NOT NULL,
                updated_at_ms BIGINT NOT NULL,
                carrier TEXT,
                tracking_number TEXT,
                cancel_reason TEXT)
            """,
            // The status history and every event in effect; the primary key refuses a double apply.
            """
            CREATE TABLE \(t.events) (
                order_id \(key) NOT NULL,
                version BIGINT NOT NULL,
                event_type TEXT NOT NULL,
                event_id TEXT NOT NULL,
                schema_version BIGINT NOT NULL,
                command_id TEXT NOT NULL,
                occurred_at_ms BIGINT NOT NULL,
                kafka_partition BIGINT NOT NULL,
                kafka_offset BIGINT NOT NULL,
                status TEXT NOT NULL,
                payload TEXT NOT NULL,
                actor TEXT,
                PRIMARY KEY (order_id, version))
            """,
            """
            CREATE TABLE \(t.customers) (
                customer_id \(key) PRIMARY KEY,
                order_count BIGINT NOT NULL,
                placed_count BIGINT NOT NULL,
                confirmed_count BIGINT NOT NULL,
                shipped_count BIGINT NOT NULL,
                delivered_count BIGINT NOT NULL,
                cancelled_count BIGINT NOT NULL,
                first_order_at_ms BIGINT NOT NULL,
                last_order_at_ms BIGINT NOT NULL)
            """,
        ]
    }

    func dropStatements(_ t: Tables) -> [String] {
        [t.orders, t.legacyItems, t.events, t.customers].map { "DROP TABLE IF EXISTS \($0)" }
    }

    /// PostgreSQL puts an index in its table's schema; SQLite's names are file-wide, so they
    /// carry the service's prefix.
    private func indexName(_ table: String, _ what: String) -> String {
        dialect == .postgres ? "\(table)_\(what)" : "\(Self.schemaName)_\(table)_\(what)"
    }
}
