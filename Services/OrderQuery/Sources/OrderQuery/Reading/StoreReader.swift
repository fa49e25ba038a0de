import Logging
import SQLStore

/// The read model as the routes read it: the database, with read-your-writes. A read with a
/// condition waits for the live projection's progress (`ProgressBoard`) in the partition that
/// decides it, then asks the database, which is the judge; an order may be answered from the
/// projection's own last stored row when that shows the condition holds (`StoredRowRead`).
struct StoreReader: ReadModelReader {
    let store: ReadModelStore
    let board: ProgressBoard
    /// The partition an order's events go to (the producers' partitioner).
    let partitionOf: @Sendable (String) -> Int32
    /// The live projection's last stored row of an order, if it holds one (`StoredRowRead`).
    let storedRow: @Sendable (String) -> (generation: Int64, row: OrderRow)?
    let metrics: QueryMetrics

    func order(_ id: String, _ parameters: ReadParameters) async throws -> OrderRow? {
        // The projection's own last stored row when it shows the condition holds; otherwise
        // one statement per attempt (`ReadModelStore.visibleOrder`).
        try await readWhenVisible(parameters, orderId: id) { () async throws -> OrderRow?? in
            if let row = StoredRowRead.answer(
                row: storedRow(id), liveGeneration: store.isAssumedLive, parameters: parameters, storedNext: board.next(of:)
            ) {
                metrics.orderRead(fromDatabase: false)
                return .some(row)
            }
            metrics.orderRead(fromDatabase: true)
            return switch try await store.visibleOrder(id: id, condition: parameters.condition, generation: parameters.generation) {
            case .notYet: nil
            case .order(let row): .some(row)
            }
        }
    }

    func history(_ id: String, _ parameters: ReadParameters) async throws -> [EventRow] {
        try await read(parameters, orderId: id) { db, t in try await ReadModelStore.history(db, t, id: id) }
    }

    func list(_ filter: OrderListFilter, _ parameters: ReadParameters) async throws -> (orders: [OrderRow], next: ListCursor?) {
        try await read(parameters, orderId: nil) { db, t in try await ReadModelStore.list(db, t, filter) }
    }

    func customer(_ id: String, _ parameters: ReadParameters) async throws -> CustomerSummary? {
        try await read(parameters, orderId: nil) { db, t in try await ReadModelStore.customer(db, t, id: id) }
    }

    func stats(_ parameters: ReadParameters) async throws -> [StatusStats] {
        try await read(parameters, orderId: nil) { db, t in try await ReadModelStore.stats(db, t) }
    }

    // MARK: Read-your-writes

    /// Runs a read once the condition holds (or at once without one), on one snapshot, so
    /// the answer is never older than the position it was asked to reflect.
    private func read<T: Sendable>(
        _ parameters: ReadParameters, orderId: String?,
        _ body: @escaping @Sendable (any SQLExecutor, ReadModelSchema.Tables) async throws -> T
    ) async throws -> T {
        let condition = parameters.condition
        return try await readWhenVisible(parameters, orderId: orderId) {
            try await store.read(generation: parameters.generation) { db, t in
                if let condition, !(try await Self.holds(condition, orderId: orderId, db, t)) { return nil }
                return try await body(db, t)
            }
        }
    }

    /// Makes `attempt` (nil: the condition does not hold yet) until it answers, waiting
    /// between attempts for the projection, up to the read's deadline.
    private func readWhenVisible<T: Sendable>(
        _ parameters: ReadParameters, orderId: String?, _ attempt: () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + parameters.wait
        let condition = parameters.condition
        while true {
            // A position in a partition this instance folds: wait for the projection, not the database.
            if case .position(let partition, let offset)? = condition, parameters.generation == nil,
               let next = board.next(of: partition), next <= offset {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { throw QueryProblem.notYetVisible(parameters, orderId: orderId) }
                // Then ask the database either way: it is the judge (another writer, a
                // rebuild, may have stored past what the board knows), at least once a second.
                await board.waitUntilStored(partition: partition, offset: offset, limit: min(left, .seconds(1)))
            }
            if let result = try await attempt() { return result }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw QueryProblem.notYetVisible(parameters, orderId: orderId) }
            try Task.checkCancellation()
            // Look again when this instance stores more of the partition that decides it, or
            // shortly when another instance folds that partition (its progress is only in the database).
            if parameters.generation == nil, let partition = decidingPartition(condition, orderId: orderId),
               let next = board.next(of: partition) {
                await board.waitUntilStored(partition: partition, offset: next, limit: min(left, .seconds(1)))
            } else {
                try? await Task.sleep(for: min(left, .milliseconds(20)))
            }
        }
    }

    /// The partition whose progress can make the condition hold.
    private func decidingPartition(_ condition: ReadCondition?, orderId: String?) -> Int32? {
        switch condition {
        case .position(let partition, _)?: return partition
        case .minVersion?: return orderId.map(partitionOf)
        case nil: return nil
        }
    }

    static func holds(_ condition: ReadCondition, orderId: String?, _ db: any SQLExecutor, _ t: ReadModelSchema.Tables) async throws -> Bool {
        switch condition {
        case .position(let partition, let offset):
            let stored = try await db.query(
                "SELECT next_offset FROM \(t.offsets) WHERE generation = $1 AND kafka_partition = $2",
                [.int(t.generation), .int(Int64(partition))]).first?.int(0) ?? 0
            return stored > offset
        case .minVersion(let version):
            guard let orderId else { return true }
            return try await ReadModelStore.version(db, t, of: orderId) >= version
        }
    }
}
