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
    /// One order with its items, and whether the read condition holds, in one statement: one
    /// round trip where the general `read { }` takes six (BEGIN, live generation, stored
    /// offset, order, items, COMMIT). A statement sees one consistent state of the database,
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
            SELECT \(Self.joinedOrderColumns), g.status,
                   (SELECT next_offset FROM \(t.offsets) WHERE generation = g.generation AND kafka_partition = $3)
            FROM \(schema.generations) g
            LEFT JOIN \(t.orders) o ON o.order_id = $1
            LEFT JOIN \(t.items) i ON i.order_id = o.order_id
            WHERE g.generation = $2
            ORDER BY i.line_no
            """, [.text(id), .int(generation), .int(partition)])
        guard let first = rows.first, let status = Generation.Status(rawValue: try first.string(15)),
              liveOnly ? status == .live : status.servesQueries
        else { return nil }
        let order = try Self.joinedOrders(rows)[id]
        switch condition {
        case .position(_, let offset)?:
            if try first.optionalInt(16) ?? 0 <= offset { return .notYet }
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
