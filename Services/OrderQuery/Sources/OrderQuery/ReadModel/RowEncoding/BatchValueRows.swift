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
    /// The changed lines (from each order's first changed line on) of the orders whose items
    /// the batch changed, and per such order where its lines changed.
    var items: [[SQLValue]] = []
    var itemOrders: [ItemOrder] = []

    struct ItemOrder {
        var orderId: String
        var firstChangedLine: Int64
        var previousLineCount: Int64
        var lineCount: Int64
    }

    init(_ projection: BatchProjection) {
        var orderRows = ValueRows(), itemRows = ValueRows(), eventRows = ValueRows()
        for row in projection.orders.values.sorted(by: { $0.orderId < $1.orderId }) {
            RowEncoder.append(row, to: &orderRows)
            orderIsNew.append(projection.newOrders.contains(row.orderId))
            guard let change = projection.itemChanges[row.orderId] else { continue }
            itemOrders.append(ItemOrder(
                orderId: row.orderId, firstChangedLine: Int64(change.firstChangedLine),
                previousLineCount: Int64(change.previousLineCount), lineCount: Int64(row.state.items.count)))
            RowEncoder.appendLines(of: row, from: change.firstChangedLine, to: &itemRows)
        }
        for event in projection.events { RowEncoder.append(event, to: &eventRows) }
        orders = orderRows.rows
        items = itemRows.rows
        events = eventRows.rows
        customers = RowEncoder.customerRows(projection)
    }
}
