import Events
import Foundation

@testable import Notifier

/// Records as writers put them in the log, for the notifier's tests.
struct EventLog {
    var partitionOf: @Sendable (String) -> Int32 = { _ in 0 }
    var records: [LoggedRecord] = []
    var nextOffset: [Int32: Int64] = [:]
    var clock: Int64 = 1_800_000_000_000

    @discardableResult
    mutating func append(_ event: OrderEvent, order: String, version: Int64, partition: Int32? = nil, body: [UInt8]? = nil) -> LoggedRecord {
        clock += 1
        var record = EventCodec.encode(RecordedEvent(
            event: event, orderId: order, version: version, commandId: "cmd-\(order)-\(version)-\(records.count)",
            occurredAt: Timestamp(millisecondsSinceEpoch: clock)))
        if let body { record.value = body }
        let partition = partition ?? partitionOf(order)
        let offset = nextOffset[partition, default: 0]
        nextOffset[partition] = offset + 1
        let logged = LoggedRecord(partition: partition, offset: offset, timestamp: clock, record: record)
        records.append(logged)
        return logged
    }

    static let place = OrderEvent.placed(OrderPlaced(
        customerId: "c-1", currency: "EUR", items: [LineItem(sku: "A", quantity: 2, unitPrice: 150)]))
    static let addB = OrderEvent.itemAdded(ItemAdded(sku: "B", quantity: 1, unitPrice: 1000))
    static let confirm = OrderEvent.confirmed(OrderConfirmed(total: 1300))
    static let ship = OrderEvent.shipped(OrderShipped(carrier: "DHL", trackingNumber: "JD0001"))
    static let deliver = OrderEvent.delivered(OrderDelivered())
    static let cancel = OrderEvent.cancelled(OrderCancelled(reason: "changed my mind"))
}

func delivery(_ order: String, version: Int64, sink: String = "log", round: Int64 = 0, partition: Int32 = 0) -> PendingDelivery {
    let notification = Notification(
        eventId: "e-\(order)-\(version)", orderId: order, customerId: "c", kind: "order-placed", version: version,
        position: "\(partition):\(version)", occurredAt: "2027-01-01T00:00:00.000Z", subject: "s", text: "t")
    return PendingDelivery(
        key: .init(eventId: notification.eventId, sink: sink), partition: partition, offset: version, orderId: order,
        version: version, round: round, attempts: 0, notification: notification, body: Array(NotificationJSON.encode(notification).utf8),
        record: EventRecord(key: Array(order.utf8), value: nil, headers: []))
}
