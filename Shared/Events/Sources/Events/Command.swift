/// What a client asks of an order. One command, when accepted, becomes exactly one event.
public enum Command: Hashable, Sendable {
    case place(customerId: String, currency: String, items: [LineItem])
    case addItem(LineItem)
    case removeItem(sku: String)
    case confirm
    case ship(carrier: String, trackingNumber: String)
    case deliver
    case cancel(reason: String)

    /// The stable name used in logs and metrics (`place`, `add-item`, ...).
    public var name: String {
        switch self {
        case .place: "place"
        case .addItem: "add-item"
        case .removeItem: "remove-item"
        case .confirm: "confirm"
        case .ship: "ship"
        case .deliver: "deliver"
        case .cancel: "cancel"
        }
    }
}

/// The limits `decide` enforces; configurable per deployment.
public struct OrderRules: Hashable, Sendable {
    /// At most this many distinct lines in one order.
    public var maxLines: Int
    /// Each line's quantity is in 1...maxQuantity.
    public var maxQuantity: Int64
    /// Each unit price is in 0...maxUnitPrice (minor units). With the other two bounds this
    /// keeps every total far from Int64 overflow.
    public var maxUnitPrice: Int64

    public init(maxLines: Int = 100, maxQuantity: Int64 = 10_000, maxUnitPrice: Int64 = 100_000_000_00) {
        self.maxLines = maxLines
        self.maxQuantity = maxQuantity
        self.maxUnitPrice = maxUnitPrice
    }

    public static let `default` = OrderRules()
}
