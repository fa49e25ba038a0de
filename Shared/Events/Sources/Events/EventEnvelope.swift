import Foundation

/// What travels beside an event: who it belongs to, where it stands in the order's history,
/// and where it came from. Carried in Kafka record headers (see `EventRecord`); the record key
/// is the order id.
public struct EventEnvelope: Hashable, Sendable {
    public var eventId: UUID
    public var orderId: String
    /// The order's version once this event is in effect: 1 for the first event.
    public var aggregateVersion: Int64
    public var eventType: EventType
    /// The version of the body's schema as written (older versions are upcast on read).
    public var schemaVersion: Int
    /// The command that produced the event (the client's `Idempotency-Key`, or one the server made).
    public var commandId: String
    public var occurredAt: Timestamp
    /// W3C trace context of the request that produced the event, when there was one.
    public var traceparent: String?
    /// Who asked for it: the subject of the request's bearer token, or `anonymous` when the
    /// services run without authentication. Nil for events written before actors were recorded.
    public var actor: String?

    public init(
        eventId: UUID, orderId: String, aggregateVersion: Int64, eventType: EventType, schemaVersion: Int,
        commandId: String, occurredAt: Timestamp, traceparent: String? = nil, actor: String? = nil
    ) {
        self.eventId = eventId
        self.orderId = orderId
        self.aggregateVersion = aggregateVersion
        self.eventType = eventType
        self.schemaVersion = schemaVersion
        self.commandId = commandId
        self.occurredAt = occurredAt
        self.traceparent = traceparent
        self.actor = actor
    }
}

/// An event with its envelope: one record of `orders.events`.
public struct RecordedEvent: Hashable, Sendable {
    public var envelope: EventEnvelope
    public var event: OrderEvent

    public init(envelope: EventEnvelope, event: OrderEvent) {
        self.envelope = envelope
        self.event = event
    }

    /// The event a command produces as the order's next version, written at the current schema version.
    public init(
        event: OrderEvent, orderId: String, version: Int64, commandId: String, occurredAt: Timestamp,
        eventId: UUID = UUID(), traceparent: String? = nil, actor: String? = nil
    ) {
        self.init(
            envelope: EventEnvelope(
                eventId: eventId, orderId: orderId, aggregateVersion: version, eventType: event.type,
                schemaVersion: event.type.currentSchemaVersion, commandId: commandId, occurredAt: occurredAt,
                traceparent: traceparent, actor: actor),
            event: event)
    }
}
