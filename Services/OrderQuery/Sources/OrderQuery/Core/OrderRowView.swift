import Events

/// The read side's core in the View shape: an order's read-model row, built from its events in
/// effect alone (the fold rule decided which those are), never refusing one. `BatchProjection`
/// folds every batch with it; the tests state it as given events, then the row.
public enum OrderRowView {
    /// The row of the order in `partition` that `events` (its events in effect, in order) make.
    public static func view(partition: Int32) -> View<OrderRow?, RecordedEvent> {
        View(initialState: nil) { row, event in
            var row = row ?? start(orderId: event.envelope.orderId, partition: partition, at: event.envelope.occurredAt)
            evolve(&row, with: event)
            return row
        }
    }

    /// The row an order's first event starts from: placed (and last changed) when it happened.
    static func start(orderId: String, partition: Int32, at occurredAt: Timestamp) -> OrderRow {
        OrderRow(orderId: orderId, partition: partition, state: OrderState(), placedAt: occurredAt, updatedAt: occurredAt)
    }

    /// One event on the row, in place: the projection's hot path, where a copy of the row would
    /// copy its lines on every change.
    static func evolve(_ row: inout OrderRow, with event: RecordedEvent) {
        row.state.evolve(event.event)
        row.updatedAt = event.envelope.occurredAt
    }
}
