import Events
import Foundation
import Hummingbird
import KafkaWire
import NIOCore
import ServiceKit

/// The notifier's routes: an order's notifications, status, replays and redrives, health,
/// metrics and the OpenAPI document.
struct NotifierController: Sendable {
    let ledger: DeliveryLedger
    let consumer: NotifierConsumer
    let deliveries: DeliveryService
    let admin: KafkaAdmin
    let configuration: NotifierConfiguration
    let partitionCount: Int32
    let metrics: NotifierMetrics

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/orders/:id/notifications") { request, context in
            await answer {
                try refuseQuery(request)
                let raw = context.parameters.get("id") ?? ""
                let orderId = raw.removingPercentEncoding ?? raw
                guard FieldLimits.isValidIdentifier(orderId) else {
                    throw NotifierProblem(.validation, "an order id is 1 to 64 characters of A-Z a-z 0-9 . _ : -, not \(quoted(orderId))")
                }
                return jsonResponse(OrderNotificationsBody(orderId: orderId, notifications: try await ledger.notifications(of: orderId)))
            }
        }
        router.get("/status") { request, _ in
            await answer {
                try refuseQuery(request)
                return jsonResponse(try await status())
            }
        }
        router.post("/admin/replay") { request, _ in
            await answer {
                try AdminAuthorization.check(request, token: configuration.adminToken)
                try refuseQuery(request)
                let body = try await request.body.collect(upTo: 64 * 1024)
                let replay = try ReplayRequest.parse(Array(body.readableBytesView), partitionCount: partitionCount)
                let queued = try await ledger.replay(replay.selection, resend: replay.resend, sinks: deliveries.sinkNames)
                return jsonResponse(ReplayBody(queued: queued, resend: replay.resend), status: .accepted)
            }
        }
        router.post("/admin/dlq/redrive") { request, _ in
            await answer {
                try AdminAuthorization.check(request, token: configuration.adminToken)
                try refuseQuery(request)
                let body = try await request.body.collect(upTo: 64 * 1024)
                try RedriveRequest.check(Array(body.readableBytesView))
                return jsonResponse(RedriveBody(redriven: try await ledger.redrive(sinks: deliveries.sinkNames)), status: .accepted)
            }
        }
        router.get("/health/live") { _, _ in jsonResponse(["status": "live"]) }
        router.get("/health/ready") { _, _ in
            if let reason = consumer.notReadyReason { return NotifierProblem(.unavailable, "not ready: \(reason)").response }
            return jsonResponse(["status": "ready"])
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            metrics.registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: NotifierOpenAPIDocument.json)))
        }
        for path in ["/health/live", "/health/ready", "/metrics", "/openapi.json", "/status", "/orders/:id/notifications"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
        MethodNotAllowed.register(router, path: "/admin/replay", allowed: [.post])
        MethodNotAllowed.register(router, path: "/admin/dlq/redrive", allowed: [.post])
    }

    func status() async throws -> StatusBody {
        let folded = try await ledger.foldedOffsets()
        let counts = try await ledger.deliveryCounts()
        var ends: [Int32: Int64] = [:]
        var deadLetterRecords: Int64?
        do {
            for offset in try await admin.listOffsets(.latest, topic: configuration.topic) { ends[offset.partition] = offset.offset }
            let dlqEnds = try await admin.listOffsets(.latest, topic: configuration.deadLetterTopic)
            let dlqStarts = try await admin.listOffsets(.earliest, topic: configuration.deadLetterTopic)
            deadLetterRecords = dlqEnds.reduce(0) { $0 + max(0, $1.offset) } - dlqStarts.reduce(0) { $0 + max(0, $1.offset) }
        } catch {
            throw NotifierProblem(.unavailable, "the log's offsets cannot be read: \(error)")
        }
        let owned = deliveries.ownedPartitions
        let partitions = (0..<partitionCount).map { partition in
            let foldedOffset = folded[partition] ?? 0
            let end = ends[partition] ?? foldedOffset
            let count = counts[partition] ?? [:]
            return StatusBody.Partition(
                partition: partition, foldedOffset: foldedOffset, endOffset: end, lag: max(0, end - foldedOffset),
                owned: owned.contains(partition), pending: count[.pending] ?? 0, delivered: count[.delivered] ?? 0,
                deadLettered: count[.deadLettered] ?? 0)
        }
        metrics.lag.record(Double(partitions.filter(\.owned).reduce(0) { $0 + $1.lag }))
        return StatusBody(
            group: configuration.groupID, topic: configuration.topic, partitions: partitions,
            deliveries: .init(
                pending: partitions.reduce(0) { $0 + $1.pending }, delivered: partitions.reduce(0) { $0 + $1.delivered },
                deadLettered: partitions.reduce(0) { $0 + $1.deadLettered }),
            deadLetterTopic: .init(topic: configuration.deadLetterTopic, records: deadLetterRecords ?? 0),
            sinks: deliveries.sinkNames)
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
struct StatusBody: Encodable {
    struct Partition: Encodable {
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

    struct Deliveries: Encodable {
        var pending: Int64
        var delivered: Int64
        var deadLettered: Int64
    }

    struct DeadLetters: Encodable {
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
