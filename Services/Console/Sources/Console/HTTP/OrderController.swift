import Events
import Foundation
import Hummingbird
import NIOCore
import OrderLog
import ServiceHTTP

/// `GET /orders/{id}`: the order page; `GET /orders?id=` (the header's search) leads there.
struct OrderController: Sendable {
    let source: any LogSource
    let api: any ServiceAPI
    let page = OrderPage()

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/orders") { request, _ in
            await answer {
                let id = request.uri.queryParameters["id"].map(String.init) ?? ""
                let orderId = try Self.orderId(id.trimmingCharacters(in: .whitespaces))
                let path = "/orders/" + (orderId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? orderId)
                return Response(status: .seeOther, headers: [.location: path])
            }
        }
        router.get("/orders/:id") { request, context in
            await answer {
                let raw = context.parameters.get("id") ?? ""
                return try await orderPage(try Self.orderId(raw.removingPercentEncoding ?? raw), authorization: CallerToken.authorization(request))
            }
        }
        for path in ["/orders", "/orders/:id"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
    }

    static func orderId(_ text: String) throws -> String {
        guard FieldLimits.isValidIdentifier(text) else {
            throw ConsoleProblem(.validation, "an order id is 1 to 64 characters of A-Z a-z 0-9 . _ : -, not \(quoted(text))")
        }
        return text
    }

    private func orderPage(_ orderId: String, authorization: String?) async throws -> Response {
        let escaped = orderId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", ":"])) ?? orderId
        async let readModel = part(UpstreamBodies.Order.self, .orderQuery, "/orders/\(escaped)", authorization, notFound: "Not in the read model (yet).")
        async let notifications = part(UpstreamBodies.Notifications.self, .notifier, "/orders/\(escaped)/notifications", authorization, notFound: "No notifications.")
        let timeline: OrderTimeline
        do {
            timeline = try await source.timeline(of: orderId)
        } catch {
            throw ConsoleProblem(.unavailable, "the log cannot be read: \(error)")
        }
        let html = page.render(.init(timeline: timeline, readModel: await readModel, notifications: await notifications))
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A service's view of the order, or in words why it has none.
    private func part<T: Decodable>(
        _ type: T.Type, _ service: UpstreamService, _ path: String, _ authorization: String?, notFound: String
    ) async -> OrderPage.Part<T> {
        do {
            let answer = try await api.send(UpstreamRequest(service: service, path: path, authorization: authorization))
            if answer.status == 404 { return .missing(notFound) }
            guard answer.isSuccess else { return .missing("\(service.rawValue) answered \(UpstreamBodies.explain(answer))") }
            guard let value = UpstreamBodies.decode(type, answer.body) else {
                return .missing("\(service.rawValue) answered something the console cannot read")
            }
            return .shown(value)
        } catch {
            return .missing("\(error)")
        }
    }
}
