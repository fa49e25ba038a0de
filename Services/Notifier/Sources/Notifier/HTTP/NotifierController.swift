import Events
import Foundation
import Hummingbird
import KafkaWire
import NIOCore
import ServiceHTTP

/// The notifier's routes: an order's notifications, status, replays and redrives, health,
/// metrics and the OpenAPI document.
struct NotifierController<Operations: NotifierOperations>: Sendable {
    let operations: Operations
    let adminToken: String?
    let partitionCount: Int32
    let metrics: NotifierMetrics
    /// Whether the routes require bearer tokens (the OpenAPI document says so).
    var bearerAuthentication = false

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/orders/:id/notifications") { request, context in
            await answer {
                try refuseQuery(request)
                let raw = context.parameters.get("id") ?? ""
                let orderId = raw.removingPercentEncoding ?? raw
                guard FieldLimits.isValidIdentifier(orderId) else {
                    throw NotifierProblem(.validation, "an order id is 1 to 64 characters of A-Z a-z 0-9 . _ : -, not \(quoted(orderId))")
                }
                // Another customer's order reads as one without notifications, as an unknown
                // order does, so ids cannot be probed.
                let scope = Principal.scope
                let notifications = try await operations.notifications(of: orderId).filter { scope.allows(customerId: $0.notification.customerId) }
                return jsonResponse(OrderNotificationsBody(orderId: orderId, notifications: notifications))
            }
        }
        router.get("/status") { request, _ in
            await answer {
                try refuseQuery(request)
                return jsonResponse(try await operations.status())
            }
        }
        router.post("/admin/replay") { request, _ in
            await answer {
                try AdminAuthorization.check(request, token: adminToken)
                try refuseQuery(request)
                let body = try await request.body.collect(upTo: 64 * 1024)
                let replay = try ReplayRequest.parse(Array(body.readableBytesView), partitionCount: partitionCount)
                let queued = try await operations.replay(replay)
                return jsonResponse(ReplayBody(queued: queued, resend: replay.resend), status: .accepted)
            }
        }
        router.post("/admin/dlq/redrive") { request, _ in
            await answer {
                try AdminAuthorization.check(request, token: adminToken)
                try refuseQuery(request)
                let body = try await request.body.collect(upTo: 64 * 1024)
                try RedriveRequest.check(Array(body.readableBytesView))
                return jsonResponse(RedriveBody(redriven: try await operations.redrive()), status: .accepted)
            }
        }
        OperationRoutes.add(
            to: router, openAPIDocument: NotifierOpenAPIDocument.json, bearerAuthentication: bearerAuthentication, metrics: metrics.registry,
            notReady: { [operations] in await operations.notReadyReason }, unavailable: { NotifierProblem(.unavailable, $0).response })
        for path in ["/status", "/orders/:id/notifications"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
        MethodNotAllowed.register(router, path: "/admin/replay", allowed: [.post])
        MethodNotAllowed.register(router, path: "/admin/dlq/redrive", allowed: [.post])
    }
}

struct OrderNotificationsBody: Encodable {
    var orderId: String
    var notifications: [OrderNotification]
}

struct ReplayBody: Encodable {
    var queued: Int
    var resend: Bool
}

struct RedriveBody: Encodable {
    var redriven: Int
}

/// `GET /status`.
public struct StatusBody: Encodable, Sendable {
    struct Partition: Encodable, Sendable {
        var partition: Int32
        /// The next offset the fold will read (Kafka's convention).
        var foldedOffset: Int64
        var endOffset: Int64
        var lag: Int64
        /// Whether this instance holds the partition now.
        var owned: Bool
        var pending: Int64
        var delivered: Int64
        var deadLettered: Int64
    }

    struct Deliveries: Encodable, Sendable {
        var pending: Int64
        var delivered: Int64
        var deadLettered: Int64
    }

    struct DeadLetters: Encodable, Sendable {
        var topic: String
        /// Records in the dead-letter topic (every partition, end minus start).
        var records: Int64
    }

    var group: String
    var topic: String
    var partitions: [Partition]
    var deliveries: Deliveries
    var deadLetterTopic: DeadLetters
    var sinks: [String]
}
