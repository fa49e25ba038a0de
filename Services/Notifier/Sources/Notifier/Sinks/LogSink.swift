import Logging

/// Structured log lines: one per notification, at info level.
struct LogSink: NotificationSink {
    let name = "log"
    let logger: Logger

    func deliver(_ notification: Notification, body: [UInt8], idempotencyKey: String) async throws(DeliveryFailure) {
        logger.info("\(notification.subject)", metadata: [
            "notification.kind": "\(notification.kind)", "notification.event_id": "\(notification.eventId)",
            "order.id": "\(notification.orderId)", "order.version": "\(notification.version)",
            "customer.id": "\(notification.customerId)", "notification.text": "\(notification.text)",
        ])
    }

    func shutdown() async {}
}
