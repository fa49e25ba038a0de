/// Where an order is in its life.
public enum OrderStatus: String, Codable, CaseIterable, Hashable, Sendable {
    case placed, confirmed, shipped, delivered, cancelled
}

public struct Shipping: Codable, Hashable, Sendable {
    public var carrier: String
    public var trackingNumber: String

    public init(carrier: String, trackingNumber: String) {
        self.carrier = carrier
        self.trackingNumber = trackingNumber
    }
}

/// An order as its events in effect made it. `version` 0 means no event yet: the order does
/// not exist. Built only by `evolve`, so it is always a fold of recorded facts.
public struct OrderState: Hashable, Sendable {
    public var version: Int64 = 0
    public var status: OrderStatus = .placed
    public var customerId: String = ""
    public var currency: String = ""
    /// Lines in the order they were added; SKUs are unique.
    public var items: [LineItem] = []
    /// The total recorded at confirmation; nil before.
    public var confirmedTotal: Int64?
    public var shipping: Shipping?
    public var cancelReason: String?

    public init() {}

    public var exists: Bool { version > 0 }

    /// The sum of the lines' amounts (saturating).
    public var total: Int64 { items.reduce(0) { $0.saturatingAdd($1.amount) } }

    public func line(for sku: String) -> LineItem? { items.first { $0.sku == sku } }
}
