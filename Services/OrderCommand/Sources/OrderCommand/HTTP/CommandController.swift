import ServiceHTTP
import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The command routes of the contract (docs/architecture.md, "HTTP"). Parse, run on the owning instance
/// (here, or forwarded once), answer.
struct CommandController<Executor: CommandExecutor>: Sendable {
    let processor: Executor
    let parser: CommandRequestParser
    let forwarder: Forwarder
    let metrics: CommandMetrics

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/orders") { request, context in
            await handle(.place, request, path: "/orders", orderId: nil, sku: nil)
        }
        router.post("/orders/{id}/items") { request, context in
            await handle(.addItem, request, path: "/orders/\(pathComponent(context, "id"))/items", orderId: decoded(context, "id"), sku: nil)
        }
        router.delete("/orders/{id}/items/{sku}") { request, context in
            await handle(.removeItem, request, path: "/orders/\(pathComponent(context, "id"))/items/\(pathComponent(context, "sku"))",
                         orderId: decoded(context, "id"), sku: decoded(context, "sku"))
        }
        for (name, route) in [("confirm", CommandRequestParser.Route.confirm), ("ship", .ship), ("deliver", .deliver), ("cancel", .cancel)] {
            router.post("/orders/{id}/\(name)") { request, context in
                await handle(route, request, path: "/orders/\(pathComponent(context, "id"))/\(name)", orderId: decoded(context, "id"), sku: nil)
            }
            MethodNotAllowed.register(router, path: "/orders/{id}/\(name)", allowed: [.post])
        }
        MethodNotAllowed.register(router, path: "/orders", allowed: [.post])
        MethodNotAllowed.register(router, path: "/orders/{id}/items", allowed: [.post])
        MethodNotAllowed.register(router, path: "/orders/{id}/items/{sku}", allowed: [.delete])
    }

    /// A path parameter as the client meant it (the router hands it over percent-encoded;
    /// Foundation's decoding is only called when there is something to decode).
    private func decoded(_ context: BasicRequestContext, _ name: String) -> String? {
        context.parameters.get(name).map { $0.utf8.contains(UInt8(ascii: "%")) ? $0.removingPercentEncoding ?? $0 : $0 }
    }

    /// A path parameter as it appeared in the URL, for the forwarded request.
    private func pathComponent(_ context: BasicRequestContext, _ name: String) -> String {
        context.parameters.get(name) ?? ""
    }

    /// `path` is the request's path for forwarding, made only when the command is forwarded.
    private func handle(
        _ route: CommandRequestParser.Route, _ request: Request, path: @autoclosure () -> String, orderId: String?, sku: String?
    ) async -> Response {
        do throws(Problem) {
            let body = try await parser.body(of: request)
            let command = try parser.parse(route, request: request, orderId: orderId, sku: sku, body: body)
            let result = await processor.execute(command)
            if case .notOwner(let partition, let owner) = result {
                if request.headers[.forwardedBy] != nil {
                    throw Problem(.unavailable, "partition \(partition) is not owned here (a rebalance is under way); nothing was appended")
                }
                // A stale owner map can name this very instance: forwarding to itself would
                // only come back as "not owned here".
                guard let owner, owner != forwarder.selfURL else {
                    throw Problem(.unavailable, "the owner of partition \(partition) is not known yet (a rebalance is under way); nothing was appended")
                }
                let response = try await forwarder.forward(request, path: path(), body: body, commandId: command.commandId, to: owner)
                metrics.forwarded(outcome: "\(response.status.code)")
                return response
            }
            return try respond(result)
        } catch {
            metrics.command(outcome: error.kind.rawValue)
            return error.response
        }
    }

    private func respond(_ result: CommandResult) throws(Problem) -> Response {
        switch result {
        case .accepted(let answer):
            metrics.command(outcome: answer.created ? "created" : "ok")
            var headers: HTTPFields = [.contentType: "application/json", .eTag: "\"\(answer.version)\""]
            if answer.created { headers[.location] = "/orders/\(answer.orderId)" }
            return Response(status: answer.created ? .created : .ok, headers: headers,
                            body: .init(byteBuffer: successBody(answer)))
        case .refused(.rejected(.orderNotFound)):
            throw Problem(.orderNotFound, "there is no order with this id")
        case .refused(.rejected(.ruleViolated(let rule, let detail))):
            throw Problem(.ruleViolated, detail, extensions: ["rule": .string(rule.rawValue)])
        case .refused(.versionConflict(let expected, let current)):
            throw Problem(.versionConflict, "If-Match names version \(expected) but the order is at version \(current)",
                          extensions: ["currentVersion": .int(current)])
        case .refused(.idempotencyKeyReuse(let orderId)):
            throw Problem(.idempotencyKeyReuse, "this Idempotency-Key was already used for another command (on order \(orderId))")
        case .writeConflict(let reason):
            throw Problem(.writeConflict, "the event was void when read back (\(reason)): another writer changed the order first; retry to decide anew")
        case .unavailable(let reason):
            throw Problem(.unavailable, reason.description)
        case .outcomeUnknown(let reason):
            throw Problem(.outcomeUnknown, reason.description)
        case .notOwner(let partition, _):
            throw Problem(.unavailable, "partition \(partition) is not owned here")
        }
    }

    /// `{"orderId","position","version"}`, as `jsonBuffer` would write it, without `JSONEncoder`.
    private func successBody(_ answer: CommandAnswer) -> ByteBuffer {
        var w = JSONByteWriter(capacity: 96)
        w.beginObject()
        w.key("orderId"); w.string(answer.orderId)
        w.key("position"); w.string(answer.position)
        w.key("version"); w.int(answer.version)
        w.endObject()
        return ByteBuffer(bytes: w.bytes)
    }
}
