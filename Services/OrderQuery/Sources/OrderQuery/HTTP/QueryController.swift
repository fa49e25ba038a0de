import SQLStore
import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceHTTP

/// The read side's HTTP API: orders, history, lists, customers, stats. Parses and checks the
/// request, reads through `reader` (which waits for read-your-writes), answers.
struct QueryController<Reader: ReadModelReader>: Sendable {
    let reader: Reader
    let partitionCount: Int32

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/orders/:id") { request, context in
            await answer {
                let id = try orderId(context)
                let parameters = try ReadParameters(queryPairs(request), route: .minVersion, partitionCount: partitionCount)
                // Another customer's order reads as missing, so ids cannot be probed.
                guard let order = try await reader.order(id, parameters), Principal.scope.allows(customerId: order.state.customerId) else {
                    throw QueryProblem(.orderNotFound, "no order \(id) in the read model")
                }
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
                let events = try await reader.history(id, parameters)
                guard let placed = events.first, Principal.scope.allows(customerId: placed.placedBy ?? "") else {
                    throw QueryProblem(.orderNotFound, "no order \(id) in the read model")
                }
                return jsonResponse(HistoryBody(orderId: id, events))
            }
        }
        router.get("/orders") { request, _ in
            await answer {
                let parameters = try ReadParameters(queryPairs(request), route: .list, partitionCount: partitionCount)
                var filter = OrderListFilter(status: parameters.status, customerId: parameters.customerId, limit: parameters.limit, after: parameters.cursor)
                if case .customer(let subject) = Principal.scope {
                    guard filter.customerId == nil || filter.customerId == subject else {
                        throw QueryProblem(.forbidden, "a customer lists its own orders only (customerId \(subject) or none)")
                    }
                    filter.customerId = subject
                }
                let page = try await reader.list(filter, parameters)
                return jsonResponse(ListBody(orders: page.orders.map(OrderBody.init), nextCursor: page.next?.token))
            }
        }
        router.get("/customers/:id") { request, context in
            await answer {
                let id = try identifier(context, "id", what: "customer id")
                let parameters = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                guard Principal.scope.allows(customerId: id), let summary = try await reader.customer(id, parameters) else {
                    throw QueryProblem(.customerNotFound, "no orders of customer \(id) in the read model")
                }
                return jsonResponse(CustomerBody(summary))
            }
        }
        router.get("/stats") { request, _ in
            await answer {
                let parameters = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                return jsonResponse(StatsBody(try await reader.stats(parameters)))
            }
        }
        for path in ["/orders/:id", "/orders/:id/history", "/orders", "/customers/:id", "/stats"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
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
        throw QueryProblem(.validation, "\(what) must be 1-64 of A-Z a-z 0-9 . _ : -, got \(quoted(value))")
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
