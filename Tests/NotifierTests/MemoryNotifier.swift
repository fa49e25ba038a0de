@testable import Notifier

/// The notifier's operations in memory, for the router tests: notifications per order, a
/// status to show, and admin actions that record what they were asked. `failure`, when set, is
/// thrown by every call, as an unreachable ledger would.
actor MemoryNotifier: NotifierOperations {
    var byOrder: [String: [OrderNotification]] = [:]
    var notReadyReason: String?
    var failure: (any Error)?
    var deadLettered = 0
    private(set) var replays: [ReplayRequest] = []
    private(set) var redrives = 0

    func add(_ notification: Notifier.Notification, sinks: [String] = ["log"]) {
        let deliveries = sinks.map {
            OrderNotification.Delivery(sink: $0, status: "delivered", round: 0, attempts: 1, lastError: nil, deliveredAtMs: 1_000, updatedAtMs: 1_000)
        }
        byOrder[notification.orderId, default: []].append(OrderNotification(notification: notification, deliveries: deliveries))
    }
    func fail(with error: (any Error)?) { failure = error }
    func setNotReady(_ reason: String?) { notReadyReason = reason }
    func setDeadLettered(_ count: Int) { deadLettered = count }

    func notifications(of orderId: String) async throws -> [OrderNotification] {
        if let failure { throw failure }
        return byOrder[orderId] ?? []
    }

    func status() async throws -> StatusBody {
        if let failure { throw failure }
        let partition = StatusBody.Partition(
            partition: 0, foldedOffset: 7, endOffset: 9, lag: 2, owned: true, pending: 1, delivered: 5, deadLettered: Int64(deadLettered))
        return StatusBody(
            group: "notifier", topic: "orders.events", partitions: [partition],
            deliveries: .init(pending: 1, delivered: 5, deadLettered: Int64(deadLettered)),
            deadLetterTopic: .init(topic: "orders.notifications.dlq", records: Int64(deadLettered)), sinks: ["log"])
    }

    func replay(_ request: ReplayRequest) async throws -> Int {
        if let failure { throw failure }
        replays.append(request)
        return 3
    }

    func redrive() async throws -> Int {
        if let failure { throw failure }
        redrives += 1
        defer { deadLettered = 0 }
        return deadLettered
    }
}
