import ServiceKit
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
}

/// Where a record was read from.
public struct LogRecord: Sendable {
    public var partition: Int32
    public var offset: Int64
    public var record: LogRecordBytes

    public init(partition: Int32, offset: Int64, record: EventRecord) {
        self.init(partition: partition, offset: offset, bytes: .event(record))
    }

    /// A consumed record, read in place where the client fetched it (copying each one into
    /// an `EventRecord`, about twenty allocations, and freeing them was a sixth of a
    /// backlog's fold).
    public init(_ record: ConsumerRecord) {
        self.init(partition: record.partition, offset: record.offset, bytes: .consumed(record))
    }

    init(partition: Int32, offset: Int64, bytes: LogRecordBytes) {
        self.partition = partition
        self.offset = offset
        self.record = bytes
    }
}

/// A record's bytes: as consumed, or built (tests, tools).
public enum LogRecordBytes: Sendable, EventRecordBytes {
    case consumed(ConsumerRecord)
    case event(EventRecord)

    public func withKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        switch self {
        case .consumed(let record): record.withKey(body)
        case .event(let record): record.withKey(body)
        }
    }

    public func withValue(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        switch self {
        case .consumed(let record): record.withValue(body)
        case .event(let record): record.withValue(body)
        }
    }

    public var headerCount: Int {
        switch self {
        case .consumed(let record): record.headerCount
        case .event(let record): record.headerCount
        }
    }

    public func headerNameLength(at index: Int) -> Int {
        switch self {
        case .consumed(let record): record.headerNameLength(at: index)
        case .event(let record): record.headerNameLength(at: index)
        }
    }

    public func headerName(at index: Int, is name: String) -> Bool {
        switch self {
        case .consumed(let record): record.headerName(at: index, is: name)
        case .event(let record): record.headerName(at: index, is: name)
        }
    }

    public func withHeaderValue(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        switch self {
        case .consumed(let record): record.withHeaderValue(at: index, body)
        case .event(let record): record.withHeaderValue(at: index, body)
        }
    }
}
