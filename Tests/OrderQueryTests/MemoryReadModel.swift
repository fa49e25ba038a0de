import Events
@testable import OrderQuery

/// The read model in memory, for the router tests: rows and events in dictionaries, the
/// conditions of read-your-writes checked against what it holds (without waiting: a read whose
/// condition does not hold is `not-yet-visible` at once), and operations that can be told how
/// to answer. `failure`, when set, is thrown by every read, as an unreachable database would.
actor MemoryReadModel: ReadModelReader, ReadModelOperations {
    var orders: [String: OrderRow] = [:]
    var events: [String: [EventRow]] = [:]
    /// Per partition, the next offset stored (for `position`).
    var stored: [Int32: Int64] = [:]
    var generations: Set<Int64> = [1]
    var failure: (any Error)?
    var notReadyReason: String?
    var ends: [Int32: Int64] = [:]
    var rebuilds: [Int64: RebuildBody] = [:]
    var running: Int64?
    private(set) var started: [RebuildTarget] = []

    func add(_ row: OrderRow, events rows: [EventRow] = []) {
        orders[row.orderId] = row
        events[row.orderId] = rows
    }
    func set(stored: [Int32: Int64], ends: [Int32: Int64] = [:]) {
        self.stored = stored
        self.ends = ends
    }
    func fail(with error: (any Error)?) { failure = error }
    func setNotReady(_ reason: String?) { notReadyReason = reason }
    func setRunning(_ generation: Int64?) { running = generation }

    private func check(_ parameters: ReadParameters, orderId: String?) throws {
        if let failure { throw failure }
        if let generation = parameters.generation, !generations.contains(generation) { throw QueryRefusal.generationNotFound(generation) }
        switch parameters.condition {
        case .position(let partition, let offset)?:
            if stored[partition, default: 0] <= offset { throw QueryProblem.notYetVisible(parameters, orderId: orderId) }
        case .minVersion(let version)?:
            if let orderId, orders[orderId].map({ $0.state.version < version }) ?? true {
                throw QueryProblem.notYetVisible(parameters, orderId: orderId)
            }
        case nil:
            break
        }
    }

    func order(_ id: String, _ parameters: ReadParameters) async throws -> OrderRow? {
        try check(parameters, orderId: id)
        return orders[id]
    }

    func history(_ id: String, _ parameters: ReadParameters) async throws -> [EventRow] {
        try check(parameters, orderId: id)
        return events[id] ?? []
    }

    func list(_ filter: OrderListFilter, _ parameters: ReadParameters) async throws -> (orders: [OrderRow], next: ListCursor?) {
        try check(parameters, orderId: nil)
        let all = orders.values
            .filter { row in filter.status.map { row.state.status == $0 } ?? true }
            .filter { row in filter.customerId.map { row.state.customerId == $0 } ?? true }
            .sorted { ($0.placedAt.millisecondsSinceEpoch, $0.orderId) < ($1.placedAt.millisecondsSinceEpoch, $1.orderId) }
            .filter { row in filter.after.map { ($0.placedAtMs, $0.orderId) < (row.placedAt.millisecondsSinceEpoch, row.orderId) } ?? true }
        let page = Array(all.prefix(filter.limit))
        let next = all.count > filter.limit ? page.last.map { ListCursor(placedAtMs: $0.placedAt.millisecondsSinceEpoch, orderId: $0.orderId) } : nil
        return (page, next)
    }

    func customer(_ id: String, _ parameters: ReadParameters) async throws -> CustomerSummary? {
        try check(parameters, orderId: nil)
        let theirs = orders.values.filter { $0.state.customerId == id }
        guard let first = theirs.map(\.placedAt.millisecondsSinceEpoch).min(), let last = theirs.map(\.placedAt.millisecondsSinceEpoch).max() else {
            return nil
        }
        var byStatus: [String: Int64] = [:]
        var totals: [String: Int64] = [:]
        for row in theirs {
            byStatus[row.state.status.rawValue, default: 0] += 1
            totals[row.state.currency, default: 0] += row.state.total
        }
        return CustomerSummary(
            customerId: id, orderCount: Int64(theirs.count), byStatus: byStatus,
            firstOrderAt: Timestamp(millisecondsSinceEpoch: first), lastOrderAt: Timestamp(millisecondsSinceEpoch: last), totals: totals)
    }

    func stats(_ parameters: ReadParameters) async throws -> [StatusStats] {
        try check(parameters, orderId: nil)
        var byStatus: [String: (Int64, [String: Int64])] = [:]
        for row in orders.values {
            let status = row.state.status.rawValue
            byStatus[status, default: (0, [:])].0 += 1
            byStatus[status, default: (0, [:])].1[row.state.currency, default: 0] += row.state.total
        }
        return byStatus.map { StatusStats(status: $0.key, orders: $0.value.0, totals: $0.value.1) }
    }

    func projection() async throws -> ProjectionBody {
        if let failure { throw failure }
        return ProjectionBody(generation: 1, stored: stored, ends: ends, partitionCount: 3)
    }

    func startRebuild(_ target: RebuildTarget) async throws -> RebuildBody {
        if let running { throw QueryProblem.rebuildRunning(running) }
        started.append(target)
        let id = Int64(rebuilds.count + 2)
        let now = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        var upTo: [Int32: Int64]?
        if case .upTo(let positions) = target { upTo = positions }
        let generation = Generation(
            generation: id, status: upTo == nil ? .building : .snapshotBuilding, createdAt: now, swappedAt: nil, upTo: upTo,
            eventsApplied: 0, targetEvents: 10, startedAt: now, updatedAt: now, error: nil)
        rebuilds[id] = RebuildBody(generation, recordsRead: 0, now: now)
        running = id
        return rebuilds[id]!
    }

    func rebuildStatus(_ id: Int64) async throws -> RebuildBody {
        guard let body = rebuilds[id] else { throw QueryProblem(.rebuildNotFound, "no rebuild \(id)") }
        return body
    }
}
