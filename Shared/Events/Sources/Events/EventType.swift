/// The `event-type` header's values, and the schema version each is written with today.
public enum EventType: String, CaseIterable, Codable, Hashable, Sendable {
    case orderPlaced = "OrderPlaced"
    case itemAdded = "ItemAdded"
    case itemRemoved = "ItemRemoved"
    case orderConfirmed = "OrderConfirmed"
    case orderShipped = "OrderShipped"
    case orderDelivered = "OrderDelivered"
    case orderCancelled = "OrderCancelled"

    /// The type named by a header's bytes (nil for an unknown name).
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let found = EventType.utf8Names.first(where: { $0.name.equals(bytes) }) else { return nil }
        self = found.type
    }

    private static let utf8Names = allCases.map { (type: $0, name: Array($0.rawValue.utf8)) }

    /// The version this code writes. Readers also accept every older version (through
    /// `Upcasters`); a newer one stops the partition (upgrade readers first, writers second).
    public var currentSchemaVersion: Int {
        switch self {
        case .orderPlaced: 2
        default: 1
        }
    }
}
