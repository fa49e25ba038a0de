import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceHTTP

/// `/api/<service>/...`: the few calls the pages' scripts make to the services (the try
/// page's commands, the system page's admin actions), relayed with the caller's token and
/// answered as the service answered. Only these routes: the console is not an open proxy.
struct RelayController: Sendable {
    let api: any ServiceAPI

    /// The order actions the try page takes (OrderCommand's routes of the same names).
    static let orderActions = ["confirm", "ship", "deliver", "cancel", "items"]

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/api/order-command/orders") { request, _ in
            await answer { try await relay(request, .orderCommand, "/orders") }
        }
        router.post("/api/order-command/orders/:id/:action") { request, context in
            await answer {
                let raw = context.parameters.get("id") ?? ""
                let orderId = try OrderController.orderId(raw.removingPercentEncoding ?? raw)
                let action = context.parameters.get("action") ?? ""
                guard Self.orderActions.contains(action) else {
                    throw ConsoleProblem(.validation, "an order action is one of \(Self.orderActions.joined(separator: ", ")), not \(quoted(action))")
                }
                return try await relay(request, .orderCommand, "/orders/\(UpstreamRequest.segment(orderId))/\(action)")
            }
        }
        router.post("/api/notifier/admin/dlq/redrive") { request, _ in
            await answer { try await relay(request, .notifier, "/admin/dlq/redrive") }
        }
        router.post("/api/order-query/admin/rebuild") { request, _ in
            await answer { try await relay(request, .orderQuery, "/admin/rebuild") }
        }
        router.get("/api/order-query/admin/rebuild/:id") { request, context in
            await answer {
                let id = context.parameters.get("id") ?? ""
                guard let number = Int64(id), number >= 1 else {
                    throw ConsoleProblem(.validation, "a rebuild id is a whole number, as the rebuild's start answered it")
                }
                return try await relay(request, .orderQuery, "/admin/rebuild/\(number)")
            }
        }
        for path in ["/api/order-command/orders", "/api/order-command/orders/:id/:action", "/api/notifier/admin/dlq/redrive", "/api/order-query/admin/rebuild"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.post])
        }
        MethodNotAllowed.register(router, path: "/api/order-query/admin/rebuild/:id", allowed: [.get])
    }

    private func relay(_ request: Request, _ service: UpstreamService, _ path: String) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let outgoing = UpstreamRequest(
            service: service, method: request.method.rawValue, path: path, body: body.readableBytes > 0 ? body : nil,
            authorization: CallerToken.authorization(request),
            idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!])
        let answer: UpstreamAnswer
        do {
            answer = try await api.send(outgoing)
        } catch {
            throw ConsoleProblem(.unavailable, "\(error)")
        }
        var headers: HTTPFields = [.cacheControl: "no-store"]
        headers[.contentType] = answer.contentType ?? "application/json"
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: answer.body))
    }
}
