import SQLStore
import Events
import Foundation

@testable import OrderQuery

/// Records as writers put them in the log, for the projection's tests.
struct LogBuilder {
    var partitionOf: @Sendable (String) -> Int32 = { _ in 0 }
    var records: [LogRecord] = []
    var nextOffset: [Int32: Int64] = [:]
    var clock: Int64 = 1_800_000_000_000

    mutating func append(
        _ event: OrderEvent, order: String, version: Int64, partition: Int32? = nil, body: [UInt8]? = nil, actor: String? = nil
    ) {
        clock += 1
        var record = EventCodec.encode(RecordedEvent(
            event: event, orderId: order, version: version, commandId: "cmd-\(order)-\(version)-\(records.count)",
            occurredAt: Timestamp(millisecondsSinceEpoch: clock), actor: actor))
        if let body { record.value = body }
        let partition = partition ?? partitionOf(order)
        let offset = nextOffset[partition, default: 0]
        nextOffset[partition] = offset + 1
        records.append(LogRecord(partition: partition, offset: offset, record: record))
    }

    static let place = OrderEvent.placed(OrderPlaced(
        customerId: "c-1", currency: "EUR", items: [LineItem(sku: "A", quantity: 2, unitPrice: 150)]))
    static let addB = OrderEvent.itemAdded(ItemAdded(sku: "B", quantity: 1, unitPrice: 1000))
    static let confirm = OrderEvent.confirmed(OrderConfirmed(total: 1300))
}
