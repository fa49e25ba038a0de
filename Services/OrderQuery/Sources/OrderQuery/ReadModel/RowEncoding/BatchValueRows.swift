import SQLStore
import Events

/// A batch's writes as rows of values to bind (SQLite, and PostgreSQL's one statement), by
/// `RowEncoder`.
struct BatchValueRows {
    var orders: [[SQLValue]] = []
    /// Per row of `orders`: the read model did not hold the order before the batch.
    var orderIsNew: [Bool] = []
    var events: [[SQLValue]] = []
    /// Each touched customer's summary change (an order's customer never changes, so counts
    /// move between statuses and new orders add up).
    var customers: [[SQLValue]] = []

    init(_ projection: BatchProjection) {
        var orderRows = ValueRows(), eventRows = ValueRows()
        for row in projection.orders.values.sorted(by: { $0.orderId < $1.orderId }) {
            RowEncoder.append(row, to: &orderRows)
            orderIsNew.append(projection.newOrders.contains(row.orderId))
        }
        for event in projection.events { RowEncoder.append(event, to: &eventRows) }
        orders = orderRows.rows
        events = eventRows.rows
        customers = RowEncoder.customerRows(projection)
    }
}
