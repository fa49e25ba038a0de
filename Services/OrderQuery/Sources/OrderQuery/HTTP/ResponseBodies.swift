import ServiceHTTP
import SQLStore
import Events
import Foundation

/// The JSON bodies OrderQuery answers with (camelCase, money in integer minor units).
struct OrderBody: Encodable {
    struct Item: Encodable { var sku: String; var quantity: Int64; var unitPrice: Int64 }
    struct ShippingBody: Encodable { var carrier: String; var trackingNumber: String }

    var orderId: String
    var customerId: String
    var status: String
    var currency: String
    var items: [Item]
    var itemCount: Int64
    var total: Int64
    var version: Int64
    var placedAt: String
    var updatedAt: String
    var shipping: ShippingBody?
    var cancelReason: String?

    init(_ row: OrderRow) {
        orderId = row.orderId
        customerId = row.state.customerId
        status = row.state.status.rawValue
        currency = row.state.currency
        items = row.state.items.map { Item(sku: $0.sku, quantity: $0.quantity, unitPrice: $0.unitPrice) }
        itemCount = row.itemCount
        total = row.total
        version = row.state.version
        placedAt = row.placedAt.rfc3339
        updatedAt = row.updatedAt.rfc3339
        shipping = row.state.shipping.map { ShippingBody(carrier: $0.carrier, trackingNumber: $0.trackingNumber) }
        cancelReason = row.state.cancelReason
    }
}

struct HistoryBody: Encodable {
    struct Event: Encodable {
        var version: Int64
        var eventType: String
        var eventId: String
        var schemaVersion: Int64
        var commandId: String
        var occurredAt: String
        var position: String
        var status: String
        var data: JSONValue
        /// Who asked for the event; absent for events written before actors were recorded.
        var actor: String?
    }

    var orderId: String
    var events: [Event]

    init(orderId: String, _ rows: [EventRow]) {
        self.orderId = orderId
        events = rows.map { row in
            Event(version: row.version, eventType: row.eventType, eventId: row.eventId, schemaVersion: row.schemaVersion,
                  commandId: row.commandId, occurredAt: row.occurredAt.rfc3339, position: "\(row.partition):\(row.offset)",
                  status: row.status, data: JSONValue(jsonText: row.payload), actor: row.actor)
        }
    }
}

struct ListBody: Encodable {
    var orders: [OrderBody]
    var nextCursor: String?
}

struct CustomerBody: Encodable {
    var customerId: String
    var orderCount: Int64
    var byStatus: [String: Int64]
    var totals: [String: Int64]
    var firstOrderAt: String
    var lastOrderAt: String

    init(_ summary: CustomerSummary) {
        customerId = summary.customerId
        orderCount = summary.orderCount
        byStatus = summary.byStatus
        totals = summary.totals
        firstOrderAt = summary.firstOrderAt.rfc3339
        lastOrderAt = summary.lastOrderAt.rfc3339
    }
}

struct StatsBody: Encodable {
    struct ByStatus: Encodable { var orders: Int64; var totals: [String: Int64] }
    var orders: Int64
    var byStatus: [String: ByStatus]

    init(_ stats: [StatusStats]) {
        orders = stats.reduce(0) { $0 + $1.orders }
        byStatus = Dictionary(uniqueKeysWithValues: stats.map { ($0.status, ByStatus(orders: $0.orders, totals: $0.totals)) })
    }
}

public struct ProjectionBody: Encodable, Sendable {
    public struct Partition: Encodable, Sendable { var partition: Int32; var storedOffset: Int64; var endOffset: Int64; var lag: Int64 }
    var generation: Int64
    var partitions: [Partition]

    /// Every partition's stored offset next to the log's end (a partition not stored yet is at 0).
    init(generation: Int64, stored: [Int32: Int64], ends: [Int32: Int64], partitionCount: Int32) {
        self.generation = generation
        partitions = (0..<partitionCount).map { partition in
            let storedOffset = stored[partition] ?? 0
            let end = ends[partition] ?? storedOffset
            return Partition(partition: partition, storedOffset: storedOffset, endOffset: end, lag: max(0, end - storedOffset))
        }
    }
}

public struct RebuildBody: Encodable, Sendable {
    var id: Int64
    var generation: Int64
    var status: String
    var kind: String
    var upTo: [String: Int64]?
    var recordsRead: Int64
    var recordsTotal: Int64?
    var eventsApplied: Int64
    var eventsPerSecond: Double
    var etaSeconds: Double?
    var startedAt: String
    var updatedAt: String
    var swappedAt: String?
    var error: String?

    init(_ generation: Generation, recordsRead: Int64, now: Timestamp) {
        id = generation.generation
        self.generation = generation.generation
        status = generation.status.rawValue
        kind = generation.upTo == nil ? "rebuild" : "as-of"
        upTo = generation.upTo.map { Dictionary(uniqueKeysWithValues: $0.map { ("\($0.key)", $0.value) }) }
        self.recordsRead = recordsRead
        recordsTotal = generation.targetEvents
        eventsApplied = generation.eventsApplied
        let finished = generation.swappedAt ?? (generation.status == .building || generation.status == .snapshotBuilding ? now : generation.updatedAt)
        let seconds = max(0.001, Double(finished.millisecondsSinceEpoch - generation.startedAt.millisecondsSinceEpoch) / 1000)
        eventsPerSecond = (Double(generation.eventsApplied) / seconds * 10).rounded() / 10
        let recordRate = Double(recordsRead) / seconds
        if let total = generation.targetEvents, generation.status == .building || generation.status == .snapshotBuilding, recordRate > 0 {
            etaSeconds = (max(0, Double(total - recordsRead)) / recordRate * 10).rounded() / 10
        }
        startedAt = generation.startedAt.rfc3339
        updatedAt = generation.updatedAt.rfc3339
        swappedAt = generation.swappedAt?.rfc3339
        error = generation.error
    }
}
