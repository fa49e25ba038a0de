import Foundation
import SQLStore
import Events

/// A batch's writes on PostgreSQL, as binary COPY rows written straight from the projection, in
/// `UpsertSQL`'s column order (the one place that order is written: `BatchRows` uses the
/// same `append` functions). Split by who else may have written the rows: those only this
/// batch writes (`ReadModelStore.writeCreated`) and the others (`writeChanged`).
struct CopyBatch {
    /// Orders the read model did not hold before the batch, and their lines.
    var newOrders = BinaryCopyRows()
    var newItems = BinaryCopyRows()
    /// Orders it held, and their lines from the first changed one on.
    var heldOrders = BinaryCopyRows()
    var heldItems = BinaryCopyRows()
    /// Stored lines to delete before `heldItems` are written: each order's from its first changed one.
    var replacedLines: [(orderId: String, fromLine: Int64)] = []
    var events = BinaryCopyRows()
    var customers: [[SQLValue]]

    init(_ projection: BatchProjection) {
        events = BinaryCopyRows(reservingCapacity: projection.events.count * 360)
        newOrders = BinaryCopyRows(reservingCapacity: projection.newOrders.count * 256)
        newItems = BinaryCopyRows(reservingCapacity: projection.newOrders.count * 8 * 100)
        // In key order, as `BatchRows` writes them: a batch's orders then reach each index
        // in one pass instead of at random (COPY of a backlog's lines took a third less), and
        // two writers of the same orders lock them in the same order.
        for orderId in projection.orders.keys.sorted() {
            let row = projection.orders[orderId]!
            let isNew = projection.newOrders.contains(orderId)
            if isNew { Self.append(row, to: &newOrders) } else { Self.append(row, to: &heldOrders) }
            guard let change = projection.itemChanges[orderId] else { continue }
            if change.previousLineCount > change.firstChangedLine {
                replacedLines.append((orderId, Int64(change.firstChangedLine)))
            }
            if isNew {
                Self.appendLines(of: row, from: change.firstChangedLine, to: &newItems)
            } else {
                Self.appendLines(of: row, from: change.firstChangedLine, to: &heldItems)
            }
        }
        for event in projection.events { Self.append(event, to: &events) }
        customers = BatchRows.customerRows(projection)
    }

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
        rows.append(state.version)
        rows.append(row.placedAt.millisecondsSinceEpoch)
        rows.append(row.updatedAt.millisecondsSinceEpoch)
        rows.append(state.shipping?.carrier)
        rows.append(state.shipping?.trackingNumber)
        rows.append(state.cancelReason)
        rows.endRow()
    }

    static func appendLines(of row: OrderRow, from first: Int, to rows: inout some RowWriter) {
        let items = row.state.items
        for index in first..<items.count {
            let item = items[index]
            rows.append(row.orderId)
            rows.append(Int64(index))
            rows.append(item.sku)
            rows.append(item.quantity)
            rows.append(item.unitPrice)
            rows.endRow()
        }
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
        rows.endRow()
    }
}

/// Where `CopyBatch`'s `append` functions write a row's fields: binary COPY rows, or bound values.
protocol RowWriter {
    mutating func append(_ value: Int64)
    mutating func append(_ value: Int64?)
    mutating func append(_ text: String)
    mutating func append(_ text: String?)
    /// An id in its canonical lower-case form.
    mutating func append(lowercased id: UUID)
    /// An event's body as JSON (`EventCodec.encodeBody`).
    mutating func append(body: OrderEvent)
    mutating func endRow()
}

extension BinaryCopyRows: RowWriter {
    mutating func append(lowercased id: UUID) {
        id.withLowercasedUTF8 { append(utf8: $0) }
    }

    mutating func append(body: OrderEvent) {
        append(utf8Building: { EventCodec.encodeBody(body, into: &$0) })
    }
}

/// Rows as values to bind (SQLite, and PostgreSQL's one-statement batches).
struct ValueRows: RowWriter {
    private(set) var rows: [[SQLValue]] = []
    private var row: [SQLValue] = []

    mutating func append(_ value: Int64) { row.append(.int(value)) }
    mutating func append(_ value: Int64?) { row.append(SQLValue(value)) }
    mutating func append(_ text: String) { row.append(.text(text)) }
    mutating func append(_ text: String?) { row.append(SQLValue(text)) }
    mutating func append(lowercased id: UUID) { row.append(.text(id.lowercasedString)) }
    mutating func append(body: OrderEvent) { row.append(.text(String(decoding: EventCodec.encodeBody(body), as: UTF8.self))) }

    mutating func endRow() {
        rows.append(row)
        row.removeAll(keepingCapacity: true)
    }
}
