import Events

/// What the notifier sends for one event in effect: the same body to every sink (a JSON
/// line in the file, the webhook's POST body, the value on `orders.notifications`).
public struct Notification: Codable, Hashable, Sendable {
    /// The event's id: the idempotency key a receiver drops duplicates by.
    public var eventId: String
    public var orderId: String
    public var customerId: String
    /// `order-placed`, `order-confirmed`, `order-shipped`, `order-delivered`, `order-cancelled`.
    public var kind: String
    /// The order's version this event made.
    public var version: Int64
    /// `partition:offset` of the event in `orders.events`.
    public var position: String
    /// When the event happened (RFC 3339, UTC).
    public var occurredAt: String
    /// The first line the template rendered.
    public var subject: String
    /// The rest of what the template rendered.
    public var text: String

    public init(
        eventId: String, orderId: String, customerId: String, kind: String, version: Int64, position: String,
        occurredAt: String, subject: String, text: String
    ) {
        self.eventId = eventId
        self.orderId = orderId
        self.customerId = customerId
        self.kind = kind
        self.version = version
        self.position = position
        self.occurredAt = occurredAt
        self.subject = subject
        self.text = text
    }
}
