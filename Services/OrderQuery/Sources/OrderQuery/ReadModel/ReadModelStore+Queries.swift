import SQLStore
import Events
import Foundation

/// The list's position: the last order of a page (newest first by placement, then by id).
public struct ListCursor: Sendable, Hashable {
    public var placedAtMs: Int64
    public var orderId: String

    /// Opaque to clients: base64url of `ms:orderId`.
    public var token: String {
        Data("\(placedAtMs):\(orderId)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init(placedAtMs: Int64, orderId: String) {
        self.placedAtMs = placedAtMs
        self.orderId = orderId
    }

    public init?(token: String) {
        guard token.count <= 200, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"), let ms = Int64(text[..<colon]),
              FieldLimits.isValidIdentifier(String(text[text.index(after: colon)...]))
        else { return nil }
        self.init(placedAtMs: ms, orderId: String(text[text.index(after: colon)...]))
    }
}

public struct OrderListFilter: Sendable, Hashable {
    public var status: OrderStatus?
    public var customerId: String?
    public var limit: Int
    public var after: ListCursor?

    public init(status: OrderStatus? = nil, customerId: String? = nil, limit: Int = 50, after: ListCursor? = nil) {
        self.status = status
        self.customerId = customerId
        self.limit = limit
        self.after = after
    }
}

public struct CustomerSummary: Sendable, Hashable {
    public var customerId: String
    public var orderCount: Int64
    public var byStatus: [String: Int64]
    public var firstOrderAt: Timestamp
    public var lastOrderAt: Timestamp
    /// What the customer's orders that are not cancelled come to, per currency.
    public var totals: [String: Int64]
}

public struct StatusStats: Sendable, Hashable {
    public var status: String
    public var orders: Int64
    public var totals: [String: Int64]
}

public enum QueryRefusal: Error, Sendable, Equatable {
    case generationNotFound(Int64)
    case noLiveGeneration
}

extension ReadModelStore {
    /// Runs `body` on one snapshot of the database, against `requested` (a live or snapshot
    /// generation) or the live generation: which is live and its data come from the same snapshot.
    public func read<T: Sendable>(
        generation requested: Int64?, _ body: @escaping @Sendable (any SQLExecutor, ReadModelSchema.Tables) async throws -> T
    ) async throws -> T {
        let schema = self.schema
        return try await database.read { db in
            let generation: Int64
            if let requested {
                let status = try await db.query(
                    "SELECT status FROM \(schema.generations) WHERE generation = $1", [.int(requested)]).first?.string(0)
                guard let status, Generation.Status(rawValue: status)?.servesQueries == true else {
                    throw QueryRefusal.generationNotFound(requested)
                }
                generation = requested
            } else {
                guard let live = try await Self.liveGeneration(db, schema) else { throw QueryRefusal.noLiveGeneration }
                generation = live
            }
            return try await body(db, schema.tables(generation))
        }
    }

    static func order(_ db: any SQLExecutor, _ t: ReadModelSchema.Tables, id: String) async throws -> OrderRow? {
        try await loadOrders(db, t, ids: [id])[id]
    }

    static func history(_ db: any SQLExecutor, _ t: ReadModelSchema.Tables, id: String) async throws -> [EventRow] {
        try await db.query("""
            SELECT order_id, version, event_type, event_id, schema_version, command_id, occurred_at_ms,
                   kafka_partition, kafka_offset, status, payload, actor
            FROM \(t.events) WHERE order_id = $1 ORDER BY version
            """, [.text(id)]).map { row in
            EventRow(
                orderId: try row.string(0), version: try row.int(1), eventType: try row.string(2), eventId: try row.string(3),
                schemaVersion: try row.int(4), commandId: try row.string(5),
                occurredAt: Timestamp(millisecondsSinceEpoch: try row.int(6)), partition: Int32(try row.int(7)),
                offset: try row.int(8), status: try row.string(9), payload: try row.string(10), actor: try row.optionalString(11))
        }
    }

    /// One page, newest first; the cursor continues strictly after the last row, so rows
    /// inserted meanwhile never repeat or shift a page.
    static func list(_ db: any SQLExecutor, _ t: ReadModelSchema.Tables, _ filter: OrderListFilter) async throws -> (orders: [OrderRow], next: ListCursor?) {
        var select = Statement("\(orderColumns) FROM \(t.orders) WHERE 1 = 1")
        if let status = filter.status { select.append(" AND status = \(select.bind(status.rawValue))") }
        if let customer = filter.customerId { select.append(" AND customer_id = \(select.bind(customer))") }
        if let after = filter.after {
            let ms = select.bind(after.placedAtMs)
            let id = select.bind(after.orderId)
            select.append(" AND (placed_at_ms < \(ms) OR (placed_at_ms = \(ms) AND order_id < \(id)))")
        }
        select.append(" ORDER BY placed_at_ms DESC, order_id DESC LIMIT \(select.bind(Int64(filter.limit + 1)))")
        var page = try await select.run(on: db).map(orderRow)
        let hasMore = page.count > filter.limit
        if hasMore { page.removeLast() }
        let next = hasMore ? page.last.map { ListCursor(placedAtMs: $0.placedAt.millisecondsSinceEpoch, orderId: $0.orderId) } : nil
        return (page, next)
    }

    static func customer(_ db: any SQLExecutor, _ t: ReadModelSchema.Tables, id: String) async throws -> CustomerSummary? {
        guard let row = try await db.query("""
            SELECT customer_id, order_count, placed_count, confirmed_count, shipped_count, delivered_count,
                   cancelled_count, first_order_at_ms, last_order_at_ms
            FROM \(t.customers) WHERE customer_id = $1
            """, [.text(id)]).first else { return nil }
        var totals: [String: Int64] = [:]
        for total in try await db.query(
            "SELECT currency, CAST(SUM(total) AS BIGINT) FROM \(t.orders) WHERE customer_id = $1 AND status <> 'cancelled' GROUP BY currency",
            [.text(id)]) {
            totals[try total.string(0)] = try total.int(1)
        }
        let statuses = OrderStatus.allCases.map(\.rawValue)
        return CustomerSummary(
            customerId: try row.string(0), orderCount: try row.int(1),
            byStatus: Dictionary(uniqueKeysWithValues: try statuses.enumerated().map { ($1, try row.int(2 + $0)) }),
            firstOrderAt: Timestamp(millisecondsSinceEpoch: try row.int(7)),
            lastOrderAt: Timestamp(millisecondsSinceEpoch: try row.int(8)), totals: totals)
    }

    /// Orders and their totals per status and currency.
    static func stats(_ db: any SQLExecutor, _ t: ReadModelSchema.Tables) async throws -> [StatusStats] {
        var byStatus: [String: StatusStats] = [:]
        for status in OrderStatus.allCases { byStatus[status.rawValue] = StatusStats(status: status.rawValue, orders: 0, totals: [:]) }
        for row in try await db.query("SELECT status, currency, COUNT(*), CAST(SUM(total) AS BIGINT) FROM \(t.orders) GROUP BY status, currency") {
            let status = try row.string(0)
            byStatus[status, default: StatusStats(status: status, orders: 0, totals: [:])].orders += try row.int(2)
            byStatus[status]?.totals[try row.string(1)] = try row.int(3)
        }
        return byStatus.values.sorted { $0.status < $1.status }
    }

    static func version(_ db: any SQLExecutor, _ t: ReadModelSchema.Tables, of id: String) async throws -> Int64 {
        try await db.query("SELECT version FROM \(t.orders) WHERE order_id = $1", [.text(id)]).first?.int(0) ?? 0
    }
}
