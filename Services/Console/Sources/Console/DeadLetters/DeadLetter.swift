import Events
import KafkaEvents
import KafkaWire

/// One entry of the notifier's dead-letter topic: the event as it was read, with the headers
/// the notifier adds when it gives a delivery up (`dlq-error`, `dlq-sink`, ...). Entries stay in
/// the topic after a redrive; the notifier's ledger has each delivery's status.
struct DeadLetter: Encodable, Sendable, Equatable {
    /// Where it is in the dead-letter topic.
    var position: String
    var orderId: String?
    var eventType: String?
    var version: Int64?
    var sink: String?
    var error: String?
    var attempts: Int64?
    /// Where the event is in orders.events.
    var source: String?
    var deadLetteredAt: String?

    init(position: String, orderId: String? = nil, eventType: String? = nil, version: Int64? = nil, sink: String? = nil,
         error: String? = nil, attempts: Int64? = nil, source: String? = nil, deadLetteredAt: String? = nil) {
        self.position = position
        self.orderId = orderId
        self.eventType = eventType
        self.version = version
        self.sink = sink
        self.error = error
        self.attempts = attempts
        self.source = source
        self.deadLetteredAt = deadLetteredAt
    }

    init(_ record: ConsumerRecord) {
        let event = EventRecord(record)
        position = "\(record.partition):\(record.offset)"
        orderId = event.keyString
        eventType = event.header(EventHeader.eventType)
        version = event.header(EventHeader.aggregateVersion).flatMap { Int64($0) }
        sink = event.header("dlq-sink")
        error = event.header("dlq-error")
        attempts = event.header("dlq-attempts").flatMap { Int64($0) }
        if let partition = event.header("dlq-source-partition"), let offset = event.header("dlq-source-offset") {
            source = "\(partition):\(offset)"
        }
        deadLetteredAt = event.header("dlq-dead-lettered-at")
    }
}

/// `GET /system/dead-letters`: the last entries of the dead-letter topic, newest first.
struct DeadLettersBody: Encodable, Sendable {
    var topic: String
    var entries: [DeadLetter]
    /// Why the topic could not be read, when it could not.
    var problem: String?
}
