/// What the query routes read. Each read answers once its condition (`position` or
/// `minVersion`) holds, or throws `QueryProblem(.notYetVisible)` when it did not within the
/// read's wait; `QueryRefusal` for a generation that cannot be read. `StoreReader` is the real
/// one (the database, waiting on the projection's progress); the router tests use one in memory.
public protocol ReadModelReader: Sendable {
    /// An order's row, or nil when the read model has no such order.
    func order(_ id: String, _ parameters: ReadParameters) async throws -> OrderRow?
    /// An order's events in effect, oldest first (empty: no such order).
    func history(_ id: String, _ parameters: ReadParameters) async throws -> [EventRow]
    /// A page of orders, and the cursor of the next page if there is one.
    func list(_ filter: OrderListFilter, _ parameters: ReadParameters) async throws -> (orders: [OrderRow], next: ListCursor?)
    /// A customer's orders summed up, or nil when the customer has none.
    func customer(_ id: String, _ parameters: ReadParameters) async throws -> CustomerSummary?
    /// Orders and totals per status.
    func stats(_ parameters: ReadParameters) async throws -> [StatusStats]
}
