import SQLStore
import Events

/// The one place a read-model row's fields are put in `UpsertSQL`'s column order, for every
/// way a batch is written: binary COPY rows (`BatchCopyRows`) and bound values
/// (`BatchValueRows`, for SQLite and the one statement).
enum RowEncoder {
    static func append(_ row: OrderRow, to rows: inout some RowWriter) {
        let state = row.state
        rows.append(row.orderId)
        rows.append(Int64(row.partition))
        rows.append(state.customerId)
        rows.append(state.status.rawValue)
        rows.append(state.currency)
        rows.append(row.total)
        rows.append(state.confirmedTotal)
        rows.append(row.itemCount)
        rows.append(Int64(state.items.count))
        rows.append(items: state.items)
        rows.append(state.version)
        rows.append(row.placedAt.millisecondsSinceEpoch)
        rows.append(row.updatedAt.millisecondsSinceEpoch)
        rows.append(state.shipping?.carrier)
        rows.append(state.shipping?.trackingNumber)
        rows.append(state.cancelReason)
        rows.endRow()
    }

    /// The fields of `FoldedEvent.row`, each written where it goes.
    static func append(_ event: FoldedEvent, to rows: inout some RowWriter) {
        let envelope = event.recorded.envelope
        rows.append(envelope.orderId)
        rows.append(envelope.aggregateVersion)
        rows.append(envelope.eventType.rawValue)
        rows.append(lowercased: envelope.eventId)
        rows.append(Int64(envelope.eventType.currentSchemaVersion))
        rows.append(envelope.commandId)
        rows.append(envelope.occurredAt.millisecondsSinceEpoch)
        rows.append(Int64(event.partition))
        rows.append(event.offset)
        rows.append(event.status.rawValue)
        rows.append(body: event.recorded.event)
        rows.append(envelope.actor)
        rows.endRow()
    }

    /// Each touched customer's summary change, in key order (the order two writers lock them in).
    static func customerRows(_ projection: BatchProjection) -> [[SQLValue]] {
        projection.customerDeltas.sorted { $0.key < $1.key }.map { customer, delta in
            [.text(customer), .int(delta.orders)] + OrderStatus.allCases.map { .int(delta.count($0)) }
                + [.int(delta.firstOrderAt?.millisecondsSinceEpoch ?? Int64.max), .int(delta.lastOrderAt?.millisecondsSinceEpoch ?? Int64.min)]
        }
    }
}
