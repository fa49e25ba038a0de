import SQLStore
import Events

/// The batch's upserts and inserts as SQL, around rows given as a VALUES list (or a SELECT).
struct UpsertSQL {
    let tables: ReadModelSchema.Tables
    let dialect: SQLDialect

    static let orderColumns = [
        "order_id", "kafka_partition", "customer_id", "status", "currency", "total", "confirmed_total", "item_count",
        "line_count", "items", "version", "placed_at_ms", "updated_at_ms", "carrier", "tracking_number", "cancel_reason",
    ]
    static let eventColumns = [
        "order_id", "version", "event_type", "event_id", "schema_version", "command_id", "occurred_at_ms",
        "kafka_partition", "kafka_offset", "status", "payload", "actor",
    ]
    /// The columns' types, for VALUES lists that are not an INSERT's own (`Statement.rows(_:types:)`).
    static let orderTypes = ["text", "bigint", "text", "text", "text", "bigint", "bigint", "bigint", "bigint", "text", "bigint", "bigint", "bigint", "text", "text", "text"]
    static let eventTypes = ["text", "bigint", "text", "text", "bigint", "text", "bigint", "bigint", "bigint", "text", "text", "text"]
    static let customerTypes = ["text", "bigint"] + customerCounts.map { _ in "bigint" } + ["bigint", "bigint"]
    static let customerCounts = ["placed_count", "confirmed_count", "shipped_count", "delivered_count", "cancelled_count"]

    /// `values`: rows as `(...), (...)`; or, with `values` false, a SELECT giving them.
    func orders(_ rows: String, values: Bool = true) -> String {
        """
        INSERT INTO \(tables.orders) (\(Self.orderColumns.joined(separator: ", "))) \(values ? "VALUES " : "")\(rows)
        ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, total = excluded.total,
            confirmed_total = excluded.confirmed_total, item_count = excluded.item_count,
            line_count = excluded.line_count, items = excluded.items, version = excluded.version, updated_at_ms = excluded.updated_at_ms,
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
