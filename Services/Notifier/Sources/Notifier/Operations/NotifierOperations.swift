/// What the notifier's routes need: an order's notifications, the service's state, and the
/// admin actions. `LiveNotifier` is the real one (the delivery ledger, the consumer, the log's
/// offsets); the router tests use one in memory.
public protocol NotifierOperations: Sendable {
    /// Every notification of an order with each sink's delivery, oldest first.
    func notifications(of orderId: String) async throws -> [OrderNotification]
    /// Per partition the fold's position against the log and the deliveries, the dead-letter topic, the sinks.
    func status() async throws -> StatusBody
    /// Queues the selected events' notifications again (`resend`: even those delivered); returns how many.
    func replay(_ request: ReplayRequest) async throws -> Int
    /// Queues every dead-lettered delivery again; returns how many.
    func redrive() async throws -> Int
    /// Nil when ready; otherwise why not.
    var notReadyReason: String? { get async }
}
