import SQLStore
import Events

/// A batch's writes on PostgreSQL, as binary COPY rows written straight from the projection
/// (by `RowEncoder`). Split by who else may have written the rows: those only this batch
/// writes (`ReadModelStore.writeCreated`) and the others (`writeChanged`).
struct BatchCopyRows {
    /// Orders the read model did not hold before the batch.
    var newOrders = BinaryCopyRows()
    /// Orders it held.
    var heldOrders = BinaryCopyRows()
    var events = BinaryCopyRows()
    var customers: [[SQLValue]]

    init(_ projection: BatchProjection) {
        events = BinaryCopyRows(reservingCapacity: projection.events.count * 360)
        newOrders = BinaryCopyRows(reservingCapacity: projection.newOrders.count * 640)
        // In key order, as `BatchValueRows` writes them: a batch's orders then reach each index
        // in one pass instead of at random (COPY of a backlog's rows took a third less), and
        // two writers of the same orders lock them in the same order.
        for orderId in projection.orders.keys.sorted() {
            let row = projection.orders[orderId]!
            if projection.newOrders.contains(orderId) {
                RowEncoder.append(row, to: &newOrders)
            } else {
                RowEncoder.append(row, to: &heldOrders)
            }
        }
        for event in projection.events { RowEncoder.append(event, to: &events) }
        customers = RowEncoder.customerRows(projection)
    }
}
