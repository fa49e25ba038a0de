import SQLStore
import Events

/// What one fetched batch changes in the read model: a pure function of the batch and of the
/// touched orders' rows before it, with the one fold rule of `Shared/Events`. The store writes
/// the result in one transaction, with the partitions' next offsets.
public struct BatchProjection: Sendable {
    /// The touched orders' rows after the batch (only orders with an event in effect).
    public private(set) var orders: [String: OrderRow] = [:]
    /// The events in effect, in log order.
    public private(set) var events: [FoldedEvent] = []
    /// Per customer, what the batch changes in their summary (added to the stored one).
    public private(set) var customerDeltas: [String: CustomerDelta] = [:]
    /// Void events by reason.
    public private(set) var voidEvents: [String: Int] = [:]
    /// The touched orders the read model did not hold before the batch (their rows are
    /// inserted; the others updated).
    public private(set) var newOrders: Set<String> = []
    /// Per partition, the next offset to apply after this batch.
    public private(set) var nextOffsets: [Int32: Int64] = [:]
    /// A partition stopped at an unreadable event: the offset of that event and why. Its next
    /// offset stays at that event, which is never folded past.
    public private(set) var stopped: [Int32: (offset: Int64, error: EventDecodingError)] = [:]

    public var inEffectCount: Int { events.count }
    public var voidCount: Int { voidEvents.values.reduce(0, +) }

    /// Folds `records` (each partition's in offset order) over `before`, the rows the read
    /// model holds for the records' orders.
    public init(
        records: [LogRecord], before: [String: OrderRow], partitionOf: (String) -> Int32
    ) {
        events.reserveCapacity(records.count)
        // A partition's records come in runs; its next offset is stored when its run ends,
        // not updated in the dictionary for every record.
        var run: (partition: Int32, next: Int64)?
        for item in records {
            if !stopped.isEmpty, stopped[item.partition] != nil { continue }
            // The order's row if the batch has touched it: found once, changed in place.
            let touched = item.orderId.flatMap { orders.index(forKey: $0) }
            let verdict = FoldRule.verdict(
                on: item.record, orderId: item.orderId, partition: item.partition, partitionOf: partitionOf,
                versionInEffect: { id in touched.map { orders.values[$0].state.version } ?? before[id]?.state.version ?? 0 })
            switch verdict {
            case .inEffect(let recorded):
                apply(recorded, at: item, touched: touched, before: before)
            case .void(let reason):
                voidEvents[reason.kind, default: 0] += 1
            case .unreadable(let error):
                stopped[item.partition] = (item.offset, error)
                if run?.partition == item.partition { run = nil }  // the stop's offset is the next
                nextOffsets[item.partition] = item.offset
                continue
            }
            if let ended = run, ended.partition != item.partition { nextOffsets[ended.partition] = ended.next }
            run = (item.partition, item.offset + 1)
        }
        if let run { nextOffsets[run.partition] = run.next }
        for (orderId, after) in orders {
            let previous = before[orderId]
            var delta = customerDeltas[after.state.customerId] ?? CustomerDelta()
            if let previous {
                delta.byStatus[previous.state.status, default: 0] -= 1
            } else {
                newOrders.insert(orderId)
                delta.orders += 1
                delta.firstOrderAt = min(delta.firstOrderAt ?? after.placedAt, after.placedAt)
                delta.lastOrderAt = max(delta.lastOrderAt ?? after.placedAt, after.placedAt)
            }
            delta.byStatus[after.state.status, default: 0] += 1
            customerDeltas[after.state.customerId] = delta
        }
    }

    private mutating func apply(
        _ recorded: RecordedEvent, at item: LogRecord, touched: [String: OrderRow].Index?, before: [String: OrderRow]
    ) {
        let envelope = recorded.envelope
        let occurredAt = envelope.occurredAt
        let index: [String: OrderRow].Index
        if let touched {
            index = touched
        } else {
            orders[envelope.orderId] = before[envelope.orderId]
                ?? OrderRowView.start(orderId: envelope.orderId, partition: item.partition, at: occurredAt)
            index = orders.index(forKey: envelope.orderId)!
        }
        OrderRowView.evolve(&orders.values[index], with: recorded)
        events.append(FoldedEvent(
            recorded: recorded, partition: item.partition, offset: item.offset, status: orders.values[index].state.status))
    }
}

/// A change to one customer's summary: counts to add, and the placement times of new orders.
public struct CustomerDelta: Sendable, Hashable {
    public var orders: Int64 = 0
    public var byStatus: [OrderStatus: Int64] = [:]
    public var firstOrderAt: Timestamp?
    public var lastOrderAt: Timestamp?

    public func count(_ status: OrderStatus) -> Int64 { byStatus[status] ?? 0 }
}
