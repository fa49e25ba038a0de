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
                return Response(status: .seeOther, headers: [.location: "/orders/" + UpstreamRequest.segment(orderId)])
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
        let path = "/orders/" + UpstreamRequest.segment(orderId)
        async let readModel = api.fetch(UpstreamBodies.Order.self, from: .orderQuery, path, authorization: authorization)
        async let notifications = api.fetch(UpstreamBodies.Notifications.self, from: .notifier, path + "/notifications", authorization: authorization)
        let timeline: OrderTimeline
        do {
            timeline = try await source.timeline(of: orderId)
        } catch {
            throw ConsoleProblem(.unavailable, "the log cannot be read: \(error)")
        }
        let html = page.render(.init(
            timeline: timeline, readModel: Self.part(await readModel, notFound: "Not in the read model (yet)."),
            notifications: Self.part(await notifications, notFound: "No notifications.")))
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A service's view of the order, or in words why it has none.
    private static func part<T>(_ fetched: Fetched<T>, notFound: String) -> OrderPage.Part<T> {
        switch fetched {
        case .value(let value): .shown(value)
        case .notFound: .missing(notFound)
        case .failed(let why): .missing(why)
        }
    }
}
