/// The services' answers as the CLI reads them (only what it prints; unknown fields are
/// ignored, so a newer service still works with this CLI).
struct CommandAnswer: Decodable {
    var orderId: String
    var version: Int64
    var position: String
}

struct OrderAnswer: Decodable {
    struct Item: Decodable { var sku: String; var quantity: Int64; var unitPrice: Int64 }
    struct Shipping: Decodable { var carrier: String; var trackingNumber: String }
    var orderId: String
    var customerId: String
    var status: String
    var currency: String
    var items: [Item]
    var total: Int64
    var version: Int64
    var placedAt: String
    var updatedAt: String
    var shipping: Shipping?
    var cancelReason: String?
}

struct ListAnswer: Decodable {
    var orders: [OrderAnswer]
    var nextCursor: String?
}

struct CustomerAnswer: Decodable {
    var customerId: String
    var orderCount: Int64
    var byStatus: [String: Int64]
    var totals: [String: Int64]
    var firstOrderAt: String
    var lastOrderAt: String
}

struct StatsAnswer: Decodable {
    struct ByStatus: Decodable { var orders: Int64; var totals: [String: Int64] }
    var orders: Int64
    var byStatus: [String: ByStatus]
}

struct ProjectionAnswer: Decodable {
    struct Partition: Decodable { var partition: Int32; var storedOffset: Int64; var endOffset: Int64; var lag: Int64 }
    var generation: Int64
    var partitions: [Partition]
}

struct RebuildAnswer: Decodable {
    var id: Int64
    var generation: Int64
    var status: String
    var kind: String
    var recordsRead: Int64
    var recordsTotal: Int64?
    var eventsApplied: Int64
    var eventsPerSecond: Double
    var etaSeconds: Double?
    var error: String?
}

struct NotificationsAnswer: Decodable {
    struct Item: Decodable {
        struct Notification: Decodable {
            var eventId: String
            var kind: String
            var version: Int64
            var position: String
            var subject: String
            var text: String
        }
        struct Delivery: Decodable {
            var sink: String
            var status: String
            var attempts: Int64
            var lastError: String?
        }
        var notification: Notification
        var deliveries: [Delivery]
    }
    var orderId: String
    var notifications: [Item]
}

struct NotifierStatusAnswer: Decodable {
    struct Partition: Decodable {
        var partition: Int32
        var foldedOffset: Int64
        var endOffset: Int64
        var lag: Int64
        var pending: Int64
        var deadLettered: Int64
    }
    struct DeadLetters: Decodable { var topic: String; var records: Int64 }
    var partitions: [Partition]
    var deadLetterTopic: DeadLetters
}
