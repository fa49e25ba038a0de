/// The Order's domain events: one per accepted command. Each payload is the JSON value of its
/// Kafka record; the envelope (order id, version, ids, time) travels in the headers.
public enum OrderEvent: Hashable, Sendable {
    case placed(OrderPlaced)
    case itemAdded(ItemAdded)
    case itemRemoved(ItemRemoved)
    case confirmed(OrderConfirmed)
    case shipped(OrderShipped)
    case delivered(OrderDelivered)
    case cancelled(OrderCancelled)

    public var type: EventType {
        switch self {
        case .placed: .orderPlaced
        case .itemAdded: .itemAdded
        case .itemRemoved: .itemRemoved
        case .confirmed: .orderConfirmed
        case .shipped: .orderShipped
        case .delivered: .orderDelivered
        case .cancelled: .orderCancelled
        }
    }
}

/// Schema version 2 (version 1 had `lines` of `{sku, qty, unitPriceMinor}`; see `Upcasters`).
public struct OrderPlaced: Codable, Hashable, Sendable {
    public var customerId: String
    public var currency: String
    public var items: [LineItem]

    public init(customerId: String, currency: String, items: [LineItem]) {
        self.customerId = customerId
        self.currency = currency
        self.items = items
    }
}

public struct ItemAdded: Codable, Hashable, Sendable {
    public var sku: String
    public var quantity: Int64
    public var unitPrice: Int64

    public init(sku: String, quantity: Int64, unitPrice: Int64) {
        self.sku = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
    }

    public init(_ item: LineItem) {
        self.init(sku: item.sku, quantity: item.quantity, unitPrice: item.unitPrice)
    }

    public var item: LineItem { LineItem(sku: sku, quantity: quantity, unitPrice: unitPrice) }
}

public struct ItemRemoved: Codable, Hashable, Sendable {
    public var sku: String

    public init(sku: String) { self.sku = sku }
}

public struct OrderConfirmed: Codable, Hashable, Sendable {
    /// The order's total at confirmation, in minor units of the order's currency.
    public var total: Int64

    public init(total: Int64) { self.total = total }
}

public struct OrderShipped: Codable, Hashable, Sendable {
    public var carrier: String
    public var trackingNumber: String

    public init(carrier: String, trackingNumber: String) {
        self.carrier = carrier
        self.trackingNumber = trackingNumber
    }
}

public struct OrderDelivered: Codable, Hashable, Sendable {
    public init() {}
}

public struct OrderCancelled: Codable, Hashable, Sendable {
    public var reason: String

    public init(reason: String) { self.reason = reason }
}
