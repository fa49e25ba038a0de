import Foundation
import KafkaEvents
import SQLStore
import Events
import KafkaWire

/// An order as the read model holds it: the aggregate's state plus where and when.
public struct OrderRow: Sendable, Hashable {
    public var orderId: String
    public var partition: Int32
    public var state: OrderState
    public var placedAt: Timestamp
    public var updatedAt: Timestamp

    public init(orderId: String, partition: Int32, state: OrderState, placedAt: Timestamp, updatedAt: Timestamp) {
        self.orderId = orderId
        self.partition = partition
        self.state = state
        self.placedAt = placedAt
        self.updatedAt = updatedAt
    }

    /// The amount a customer owes for the order: the lines' sum (the confirmed total once confirmed).
    public var total: Int64 { state.confirmedTotal ?? state.total }
    public var itemCount: Int64 { state.items.reduce(0) { $0 &+ $1.quantity } }
}

/// One event in effect, as the order's history shows it.
public struct EventRow: Sendable, Hashable {
    public var orderId: String
    public var version: Int64
    public var eventType: String
    public var eventId: String
    public var schemaVersion: Int64
    public var commandId: String
    public var occurredAt: Timestamp
    public var partition: Int32
    public var offset: Int64
    /// The order's status after this event.
    public var status: String
    /// The event's body as JSON, upcast to the current schema version.
    public var payload: String
    /// Who asked for the event (its `actor` header); nil for events written before actors were recorded.
    public var actor: String? = nil
}

extension EventRow {
    /// The customer an `OrderPlaced` row names (nil for any other event): whose the order is.
    var placedBy: String? {
        guard eventType == EventType.orderPlaced.rawValue,
              let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
        else { return nil }
        return object["customerId"] as? String
    }
}

/// One event in effect as a batch folded it: what its history row holds, with the event's
/// id and body as decoded. `RowEncoder` formats them straight into the COPY rows: making the
/// row's strings first (the id formatted, the body encoded, then checked again as a String)
/// cost a string or two per event, and the check alone was 3% of a backlog's fold.
public struct FoldedEvent: Sendable {
    public var recorded: RecordedEvent
    public var partition: Int32
    public var offset: Int64
    /// The order's status after this event.
    public var status: OrderStatus

    /// The history row, as a query reads it back.
    public var row: EventRow {
        let envelope = recorded.envelope
        return EventRow(
            orderId: envelope.orderId, version: envelope.aggregateVersion, eventType: envelope.eventType.rawValue,
            eventId: envelope.eventId.lowercasedString, schemaVersion: Int64(envelope.eventType.currentSchemaVersion),
            commandId: envelope.commandId, occurredAt: envelope.occurredAt, partition: partition, offset: offset,
            status: status.rawValue, payload: String(decoding: EventCodec.encodeBody(recorded.event), as: UTF8.self),
            actor: envelope.actor)
    }
}

/// Where a record was read from, with its bytes as consumed: read in place where the client
/// fetched them (copying each record into an `EventRecord`, about twenty allocations, and
/// freeing them was a sixth of a backlog's fold).
public struct LogRecord: Sendable {
    public var partition: Int32
    public var offset: Int64
    public var record: ConsumerRecord
    /// The key as text (the order id), read once: every step of a batch needs it.
    public let orderId: String?

    public init(_ record: ConsumerRecord) {
        self.partition = record.partition
        self.offset = record.offset
        self.record = record
        self.orderId = record.keyString
    }

    /// A record built rather than consumed (tests, tools).
    public init(partition: Int32, offset: Int64, record: EventRecord) {
        self.init(ConsumerRecord(record, partition: partition, offset: offset))
    }
}
