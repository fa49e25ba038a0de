import Events
import KafkaEvents
import KafkaWire
import ServiceHTTP

/// One record of the log as it is shown (`orders events`, the console's live log): where it
/// is, what it says, and the fold rule's verdict on it. Records that are not events (no
/// key, headers missing) are shown too, with what is known.
public struct LoggedEvent: Encodable, Sendable, Equatable {
    public var partition: Int32
    public var offset: Int64
    /// Kafka's timestamp, milliseconds since the epoch.
    public var timestamp: Int64
    public var orderId: String?
    public var version: Int64?
    public var eventType: String?
    public var eventId: String?
    /// Who asked for the event (absent on events written before actors were recorded).
    public var actor: String?
    /// In effect by the fold rule; void events are shown and marked.
    public var inEffect: Bool
    /// Why the event is void.
    public var void: String?
    /// Why an event that would be in effect cannot be read.
    public var unreadable: String?
    public var data: JSONValue?

    public init(
        partition: Int32, offset: Int64, timestamp: Int64, orderId: String?, version: Int64?, eventType: String?,
        eventId: String? = nil, actor: String? = nil, inEffect: Bool, void: String? = nil, unreadable: String? = nil,
        data: JSONValue? = nil
    ) {
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.orderId = orderId
        self.version = version
        self.eventType = eventType
        self.eventId = eventId
        self.actor = actor
        self.inEffect = inEffect
        self.void = void
        self.unreadable = unreadable
        self.data = data
    }

    /// A record as read, with the fold rule's verdict on it.
    public init(_ record: ConsumerRecord, verdict: FoldVerdict) {
        let event = EventRecord(record)
        partition = record.partition
        offset = record.offset
        timestamp = record.timestamp
        orderId = event.keyString
        version = event.header(EventHeader.aggregateVersion).flatMap { Int64($0) }
        eventType = event.header(EventHeader.eventType)
        eventId = event.header(EventHeader.eventId)
        actor = event.header(EventHeader.actor)
        data = event.value.map { JSONValue(jsonText: String(decoding: $0, as: UTF8.self)) }
        switch verdict {
        case .inEffect: inEffect = true
        case .void(let reason): inEffect = false; void = "\(reason)"
        case .unreadable(let error): inEffect = false; unreadable = "\(error)"
        }
    }
}
