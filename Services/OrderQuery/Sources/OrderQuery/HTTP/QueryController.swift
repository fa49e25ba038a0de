import SQLStore
import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceKit

/// The read side's HTTP API: orders, history, lists, customers, stats, with read-your-writes.
struct QueryController: Sendable {
    let store: ReadModelStore
    let board: ProgressBoard
    let partitionCount: Int32
    /// The partition an order's events go to (the producers' partitioner).
    let partitionOf: @Sendable (String) -> Int32
    /// The live projection's last stored row of an order, if it holds one (`StoredRowRead`).
    let storedRow: @Sendable (String) -> (generation: Int64, row: OrderRow)?
    let metrics: QueryMetrics
    let logger: Logger

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/orders/:id") { request, context in
            await answer {
                let id = try orderId(context)
                let parameters = try ReadParameters(queryPairs(request), route: .minVersion, partitionCount: partitionCount)
                // The projection's own last stored row when it shows the condition holds;
                // otherwise one statement per attempt (`ReadModelStore.visibleOrder`).
                let order = try await readWhenVisible(parameters, orderId: id) { () async throws -> OrderRow?? in
                    if let row = StoredRowRead.answer(
                        row: storedRow(id), liveGeneration: store.isAssumedLive, parameters: parameters,
                        storedNext: board.next(of:)
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
                guard let order else { throw QueryProblem(.orderNotFound, "no order \(id) in the read model") }
                let etag = "\"\(order.state.version)\""
                if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
                    let tag = $0.trimmingCharacters(in: .whitespaces)
                    return tag == etag || tag == "W/\(etag)" || tag == "*"
                }) {
                    return Response(status: .notModified, headers: [.eTag: etag])
                }
                return jsonResponse(OrderBody(order), headers: [.eTag: etag])
            }
        }
        router.get("/orders/:id/history") { request, context in
            await answer {
                let id = try orderId(context)
                let parameters = try ReadParameters(queryPairs(request), route: .minVersion, partitionCount: partitionCount)
                let events = try await read(parameters, orderId: id) { db, t in try await ReadModelStore.history(db, t, id: id) }
                guard !events.isEmpty else { throw QueryProblem(.orderNotFound, "no order \(id) in the read model") }
                return jsonResponse(HistoryBody(orderId: id, events))
            }
        }
        router.get("/orders") { request, _ in
            await answer {
                let parameters = try ReadParameters(queryPairs(request), route: .list, partitionCount: partitionCount)
                let filter = OrderListFilter(status: parameters.status, customerId: parameters.customerId, limit: parameters.limit, after: parameters.cursor)
                let page = try await read(parameters, orderId: nil) { db, t in try await ReadModelStore.list(db, t, filter) }
                return jsonResponse(ListBody(orders: page.orders.map(OrderBody.init), nextCursor: page.next?.token))
            }
        }
        router.get("/customers/:id") { request, context in
            await answer {
                let id = try identifier(context, "id", what: "customer id")
                let parameters = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                let summary = try await read(parameters, orderId: nil) { db, t in try await ReadModelStore.customer(db, t, id: id) }
                guard let summary else { throw QueryProblem(.customerNotFound, "no orders of customer \(id) in the read model") }
                return jsonResponse(CustomerBody(summary))
            }
        }
        router.get("/stats") { request, _ in
            await answer {
                let parameters = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                let stats = try await read(parameters, orderId: nil) { db, t in try await ReadModelStore.stats(db, t) }
                return jsonResponse(StatsBody(stats))
            }
        }
        for path in ["/orders/:id", "/orders/:id/history", "/orders", "/customers/:id", "/stats"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
    }

    /// Runs a read once the condition holds (or at once without one), on one snapshot, so
    /// the answer is never older than the position it was asked to reflect.
    func read<T: Sendable>(
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
    func readWhenVisible<T: Sendable>(
        _ parameters: ReadParameters, orderId: String?, _ attempt: () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + parameters.wait
        let condition = parameters.condition
        while true {
            // A position in a partition this instance folds: wait for the projection, not the database.
            if case .position(let partition, let offset)? = condition, parameters.generation == nil,
               let next = board.next(of: partition), next <= offset {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { throw notYetVisible(parameters, orderId: orderId) }
                // Then ask the database either way: it is the judge (another writer, a
                // rebuild, may have stored past what the board knows), at least once a second.
                await board.waitUntilStored(partition: partition, offset: offset, limit: min(left, .seconds(1)))
            }
            if let result = try await attempt() { return result }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw notYetVisible(parameters, orderId: orderId) }
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

    private func notYetVisible(_ parameters: ReadParameters, orderId: String?) -> QueryProblem {
        let what: String = switch parameters.condition {
        case .position(let partition, let offset)?: "position \(partition):\(offset)"
        case .minVersion(let version)?: "version \(version) of order \(orderId ?? "")"
        case nil: "the request"
        }
        return QueryProblem(.notYetVisible, "the read model had not applied \(what) within \(parameters.wait.wholeMilliseconds) ms")
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

    private func orderId(_ context: BasicRequestContext) throws(QueryProblem) -> String {
        try identifier(context, "id", what: "order id")
    }
}

/// A path identifier, validated like the command side's (so SQL metacharacters never reach a query as anything but a bound value, and a malformed id is a 400).
func identifier(_ context: BasicRequestContext, _ name: String, what: String) throws(QueryProblem) -> String {
    let value = context.parameters.get(name) ?? ""
    guard FieldLimits.isValidIdentifier(value) else {
        throw QueryProblem(.validation, "\(what) must be 1-64 of A-Z a-z 0-9 . _ : -, got \(ReadParameters.quoted(value))")
    }
    return value
}

/// Turns every failure into a problem: the client's mistakes as 4xx, the database or the
/// log being unreachable as 503 with Retry-After. Never a 500 for input.
func answer(_ body: () async throws -> Response) async -> Response {
    do {
        return try await body()
    } catch let problem as QueryProblem {
        return problem.response
    } catch let refusal as QueryRefusal {
        switch refusal {
        case .generationNotFound(let generation):
            return QueryProblem(.generationNotFound, "generation \(generation) is not live and not a kept read model as of a position").response
        case .noLiveGeneration:
            return QueryProblem(.unavailable, "the read model has no live generation yet").response
        }
    } catch let error as HTTPError where error.status == .contentTooLarge {
        return QueryProblem(.tooLarge, "the body is larger than 64 KiB").response
    } catch is CancellationError {
        return QueryProblem(.unavailable, "the service is shutting down").response
    } catch {
        return QueryProblem(.unavailable, "the read model cannot be reached: \(error)").response
    }
}

/// The query's name-value pairs, percent-decoded, in order (repeats kept, to be refused).
func queryPairs(_ request: Request) -> [(String, String)] {
    request.uri.queryParameters.map { (String($0.key), String($0.value)) }
}
