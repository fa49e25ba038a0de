import SQLStore
import Events

/// A batch's writes on PostgreSQL, as binary COPY rows written straight from the projection
/// (by `RowEncoder`). Split by who else may have written the rows: those only this batch
/// writes (`ReadModelStore.writeCreated`) and the others (`writeChanged`).
struct BatchCopyRows {
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
        // In key order, as `BatchValueRows` writes them: a batch's orders then reach each index
        // in one pass instead of at random (COPY of a backlog's lines took a third less), and
        // two writers of the same orders lock them in the same order.
        for orderId in projection.orders.keys.sorted() {
            let row = projection.orders[orderId]!
            let isNew = projection.newOrders.contains(orderId)
            if isNew { RowEncoder.append(row, to: &newOrders) } else { RowEncoder.append(row, to: &heldOrders) }
            guard let change = projection.itemChanges[orderId] else { continue }
            if change.previousLineCount > change.firstChangedLine {
                replacedLines.append((orderId, Int64(change.firstChangedLine)))
            }
            if isNew {
                RowEncoder.appendLines(of: row, from: change.firstChangedLine, to: &newItems)
            } else {
                RowEncoder.appendLines(of: row, from: change.firstChangedLine, to: &heldItems)
            }
        }
        for event in projection.events { RowEncoder.append(event, to: &events) }
        customers = RowEncoder.customerRows(projection)
    }
}
