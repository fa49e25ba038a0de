/// The `event-type` header's values, and the schema version each is written with today.
public enum EventType: String, CaseIterable, Codable, Hashable, Sendable {
    case orderPlaced = "OrderPlaced"
    case itemAdded = "ItemAdded"
    case itemRemoved = "ItemRemoved"
    case orderConfirmed = "OrderConfirmed"
    case orderShipped = "OrderShipped"
    case orderDelivered = "OrderDelivered"
    case orderCancelled = "OrderCancelled"

    /// The version this code writes. Readers also accept every older version (through
    /// `Upcasters`); a newer one stops the partition (upgrade readers first, writers second).
    public var currentSchemaVersion: Int {
        switch self {
        case .orderPlaced: 2
        default: 1
        }
    }
}
