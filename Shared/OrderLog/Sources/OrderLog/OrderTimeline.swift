import Events
import KafkaEvents
import KafkaWire

/// One order as its partition's log tells it: every record keyed by it, with the fold rule's
/// verdict, and the order's state after each one in effect. `orders history` prints it; the
/// console's order page shows it and slides through it.
public struct OrderTimeline: Sendable {
    public struct Step: Sendable {
        /// The record, as the live log shows it.
        public var event: LoggedEvent
        /// The event as decoded, when it is in effect.
        public var recorded: RecordedEvent?
        /// The order after this record: changed only by an event in effect.
        public var state: OrderState

        public init(event: LoggedEvent, recorded: RecordedEvent? = nil, state: OrderState) {
            self.event = event
            self.recorded = recorded
            self.state = state
        }
    }

    public let orderId: String
    public let partition: Int32
    /// Every record of the order, in offset order.
    public private(set) var steps: [Step] = []

    public init(orderId: String, partition: Int32, steps: [Step] = []) {
        self.orderId = orderId
        self.partition = partition
        self.steps = steps
    }

    /// The order as of `offset` (that record included); as of now without one.
    public func state(atOffset offset: Int64? = nil) -> OrderState {
        guard let offset else { return steps.last?.state ?? OrderState() }
        return steps.last { $0.event.offset <= offset }?.state ?? OrderState()
    }

    /// Reads the order's partition from its beginning (every earlier record decides a
    /// verdict) up to `atOffset` included, or to its end now.
    public static func read(
        _ orderId: String, from reader: LogReader, topic: LogReader.Topic, atOffset: Int64? = nil, stopsOnSignals: Bool = false
    ) async throws -> OrderTimeline {
        let partition = topic.partitionOf(orderId)
        var timeline = OrderTimeline(orderId: orderId, partition: partition)
        var fold = PartitionFold(partition: partition, partitionOf: topic.partitionOf)
        try await reader.read([partition], stopAt: atOffset.map { [partition: $0 + 1] }, stopsOnSignals: stopsOnSignals) { record in
            let event = EventRecord(record)
            let verdict = fold.fold(event)
            guard event.keyString == orderId else { return }
            var recorded: RecordedEvent?
            if case .inEffect(let inEffect) = verdict { recorded = inEffect }
            timeline.steps.append(Step(event: LoggedEvent(record, verdict: verdict), recorded: recorded, state: fold.state(of: orderId)))
        }
        return timeline
    }
}
