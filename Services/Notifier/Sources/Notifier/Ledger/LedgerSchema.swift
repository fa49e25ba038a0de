import SQLStore

/// The delivery ledger's tables, in the service's own schema `notifier` (a table-name prefix
/// on SQLite), so it can share a database with OrderQuery.
public struct LedgerSchema: Sendable {
    public static let schemaName = "notifier"
    public let dialect: SQLDialect

    public init(dialect: SQLDialect) { self.dialect = dialect }

    func table(_ name: String) -> String { dialect.table(name, schema: Self.schemaName) }
    var migrations: String { table("migrations") }
    /// Per partition: how far the fold has gone, and from where it delivers.
    var partitions: String { table("partitions") }
    /// Per order: its version in effect and what notifications need of it.
    var orders: String { table("orders") }
    /// Every event in effect that notifies, with its rendered notification.
    var events: String { table("events") }
    /// One row per event and sink: the delivery ledger proper.
    var deliveries: String { table("deliveries") }
    /// Counters that tell every instance to look at the ledger again (a replay, a redrive).
    var signals: String { table("signals") }

    private func index(_ table: String, _ what: String) -> String { "\(Self.schemaName)_\(table)_\(what)" }

    var migrationSteps: [(version: Int64, description: String, statements: [String])] {
        [
            (1, "the delivery ledger", [
                """
                CREATE TABLE IF NOT EXISTS \(partitions) (
                    kafka_partition BIGINT PRIMARY KEY,
                    folded_offset BIGINT NOT NULL,
                    deliver_from BIGINT NOT NULL)
                """,
                """
                CREATE TABLE IF NOT EXISTS \(orders) (
                    order_id TEXT PRIMARY KEY,
                    kafka_partition BIGINT NOT NULL,
                    version BIGINT NOT NULL,
                    customer_id TEXT NOT NULL,
                    currency TEXT NOT NULL)
                """,
                """
                CREATE TABLE IF NOT EXISTS \(events) (
                    event_id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    kafka_partition BIGINT NOT NULL,
                    kafka_offset BIGINT NOT NULL,
                    record_timestamp BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    notification TEXT NOT NULL,
                    record_value TEXT NOT NULL,
                    record_headers TEXT NOT NULL)
                """,
                "CREATE INDEX IF NOT EXISTS \(index("events", "position")) ON \(events) (kafka_partition, kafka_offset)",
                "CREATE INDEX IF NOT EXISTS \(index("events", "time")) ON \(events) (record_timestamp)",
                "CREATE INDEX IF NOT EXISTS \(index("events", "order")) ON \(events) (order_id, version)",
                """
                CREATE TABLE IF NOT EXISTS \(deliveries) (
                    event_id TEXT NOT NULL,
                    sink TEXT NOT NULL,
                    kafka_partition BIGINT NOT NULL,
                    kafka_offset BIGINT NOT NULL,
                    order_id TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    round BIGINT NOT NULL,
                    attempts BIGINT NOT NULL,
                    last_error TEXT,
                    updated_at_ms BIGINT NOT NULL,
                    delivered_at_ms BIGINT,
                    PRIMARY KEY (event_id, sink))
                """,
                "CREATE INDEX IF NOT EXISTS \(index("deliveries", "pending")) ON \(deliveries) (kafka_partition, status, kafka_offset)",
                "CREATE INDEX IF NOT EXISTS \(index("deliveries", "order")) ON \(deliveries) (order_id, version)",
                "CREATE TABLE IF NOT EXISTS \(signals) (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            ]),
        ]
    }
}

/// Where a delivery is.
public enum DeliveryStatus: String, Sendable, Codable {
    case pending
    case delivered
    case deadLettered = "dead-lettered"
}
