import Events
import NIOConcurrencyHelpers
import SQLStore

/// What `GET /orders/{id}` found: the condition does not hold yet, or it does and this is the
/// order (nil when the read model has no such order).
public enum VisibleOrder: Sendable, Hashable {
    case notYet
    case order(OrderRow?)
}

extension ReadModelStore {
    /// One order, and whether the read condition holds, in one statement: one round trip
    /// where the general `read { }` takes five (BEGIN, live generation, stored offset, order,
    /// COMMIT). A statement sees one consistent state of the database,
    /// so the condition and the order agree as they do in a snapshot. This is the hot path of
    /// read-your-writes: every command's answer is followed by one.
    ///
    /// The live generation is assumed from the last one seen and checked by the same
    /// statement; after a swap, the statement finds it no longer live (or its tables gone) and
    /// the read is made again against the new one.
    public func visibleOrder(id: String, condition: ReadCondition?, generation requested: Int64?) async throws -> VisibleOrder {
        if let requested {
            let found: VisibleOrder?
            do {
                found = try await visibleOrder(id: id, condition: condition, in: requested, liveOnly: false)
            } catch {
                // A generation that does not exist has no tables either: the client's mistake.
                let status = try await database.readStatement(
                    "SELECT status FROM \(schema.generations) WHERE generation = $1", [.int(requested)]).first?.string(0)
                guard let status, Generation.Status(rawValue: status)?.servesQueries == true else {
                    throw QueryRefusal.generationNotFound(requested)
                }
                throw error
            }
            guard let found else { throw QueryRefusal.generationNotFound(requested) }
            return found
        }
        var generation = try await assumedLiveGeneration()
        for _ in 0..<4 {
            let found: VisibleOrder?
            do {
                found = try await visibleOrder(id: id, condition: condition, in: generation, liveOnly: true)
            } catch {
                // Its tables may be gone: swapped out and dropped since it was seen live.
                guard let live = try await reloadLiveGeneration(), live != generation else { throw error }
                generation = live
                continue
            }
            if let found { return found }
            guard let live = try await reloadLiveGeneration() else { throw QueryRefusal.noLiveGeneration }
            generation = live
        }
        throw QueryRefusal.noLiveGeneration
    }

    /// Nil when `generation` is not (live, or readable with `liveOnly` false).
    private func visibleOrder(id: String, condition: ReadCondition?, in generation: Int64, liveOnly: Bool) async throws -> VisibleOrder? {
        let t = schema.tables(generation)
        var partition: Int64 = -1
        if case .position(let p, _)? = condition { partition = Int64(p) }
        // The generation's row drives the statement, so it answers one row (order columns
        // null) when the order is missing, and none when the generation is.
        let rows = try await database.readStatement("""
            SELECT \(Self.orderColumnsOfO), g.status,
                   (SELECT next_offset FROM \(t.offsets) WHERE generation = g.generation AND kafka_partition = $3)
            FROM \(schema.generations) g
            LEFT JOIN \(t.orders) o ON o.order_id = $1
            WHERE g.generation = $2
            """, [.text(id), .int(generation), .int(partition)])
        let statusColumn = Self.orderColumnNames.count
        guard let first = rows.first, let status = Generation.Status(rawValue: try first.string(statusColumn)),
              liveOnly ? status == .live : status.servesQueries
        else { return nil }
        let order = try Self.orders(rows)[id]
        switch condition {
        case .position(_, let offset)?:
            if try first.optionalInt(statusColumn + 1) ?? 0 <= offset { return .notYet }
        case .minVersion(let version)?:
            if order?.state.version ?? 0 < version { return .notYet }
        case nil:
            break
        }
        return .order(order)
    }

    /// Whether `generation` is the one reads last found live.
    func isAssumedLive(_ generation: Int64) -> Bool { liveGenerationSeen.withLockedValue { $0 == generation } }

    private func assumedLiveGeneration() async throws -> Int64 {
        if let live = liveGenerationSeen.withLockedValue({ $0 }) { return live }
        guard let live = try await reloadLiveGeneration() else { throw QueryRefusal.noLiveGeneration }
        return live
    }

    private func reloadLiveGeneration() async throws -> Int64? {
        let live = try await liveGeneration()
        liveGenerationSeen.withLockedValue { $0 = live }
        return live
    }
}

extension ReadModelStore {
    /// The rows of `ids` (those the read model has).
    static func loadOrders(_ db: any SQLExecutor, _ t: ReadModelSchema.Tables, ids: Set<String>) async throws -> [String: OrderRow] {
        var orders: [String: OrderRow] = [:]
        for chunk in Array(ids).chunked(1_000) {
            orders.merge(try Self.orders(try await orderSelect(t, ids: chunk).run(on: db))) { _, read in read }
        }
        return orders
    }

    /// The rows of `ids` (at most a few thousand: one bound parameter each).
    static func orderSelect(_ t: ReadModelSchema.Tables, ids: some Collection<String>) -> Statement {
        var select = Statement("\(orderColumns) FROM \(t.orders) WHERE order_id IN ")
        select.append(select.list(ids))
        return select
    }

    /// The columns `orderRow` reads, in its order.
    static let orderColumnNames = [
        "order_id", "kafka_partition", "customer_id", "status", "currency", "confirmed_total", "version",
        "placed_at_ms", "updated_at_ms", "carrier", "tracking_number", "cancel_reason", "items",
    ]
    static let orderColumns = "SELECT " + orderColumnNames.joined(separator: ", ")
    /// The same columns of a table aliased `o` (`visibleOrder`'s join), built once: every
    /// read-your-writes read runs that statement.
    static let orderColumnsOfO = orderColumnNames.map { "o.\($0)" }.joined(separator: ", ")

    /// The orders of rows selected with `orderColumnNames` (rows with a null order: none).
    static func orders(_ rows: [SQLRow]) throws -> [String: OrderRow] {
        var orders: [String: OrderRow] = [:]
        for row in rows {
            guard try row.optionalString(0) != nil else { continue }
            let order = try orderRow(row)
            orders[order.orderId] = order
        }
        return orders
    }

    /// An order row, from the columns of `orderColumnNames`.
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
        let items = try row.string(12)
        guard let lines = LineItemsJSON.decode(items) else { throw DatabaseError.unexpectedValue(column: 12, found: .text(items)) }
        state.items = lines
        return OrderRow(
            orderId: try row.string(0), partition: Int32(try row.int(1)), state: state,
            placedAt: Timestamp(millisecondsSinceEpoch: try row.int(7)),
            updatedAt: Timestamp(millisecondsSinceEpoch: try row.int(8)))
    }
}
