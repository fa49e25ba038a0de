import Events
import Foundation

/// Given these events (in effect, in order), the state.
func given(_ events: [OrderEvent]) -> OrderState {
    events.reduce(OrderState()) { evolve($0, $1) }
}

let sampleItems = [
    LineItem(sku: "SKU-1", quantity: 2, unitPrice: 1_250),
    LineItem(sku: "SKU-2", quantity: 1, unitPrice: 999),
]
let placed = OrderEvent.placed(OrderPlaced(customerId: "c-1", currency: "EUR", items: sampleItems))
let placedEmpty = OrderEvent.placed(OrderPlaced(customerId: "c-1", currency: "EUR", items: []))
let confirmed = OrderEvent.confirmed(OrderConfirmed(total: 3_499))
let shipped = OrderEvent.shipped(OrderShipped(carrier: "DHL", trackingNumber: "JD0001"))
let delivered = OrderEvent.delivered(OrderDelivered())
let cancelledEvent = OrderEvent.cancelled(OrderCancelled(reason: "changed my mind"))

/// A fixed envelope for an event of `orderId` at `version` (deterministic ids and time).
func recorded(_ event: OrderEvent, orderId: String = "order-1", version: Int64, commandId: String? = nil) -> RecordedEvent {
    RecordedEvent(
        event: event, orderId: orderId, version: version, commandId: commandId ?? "cmd-\(orderId)-\(version)",
        occurredAt: Timestamp(millisecondsSinceEpoch: 1_764_460_800_000 + version * 1_001),
        eventId: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", version))!,
        traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", actor: "alice")
}

/// Every order on partition 0 (the partitioner is the test's business).
let onePartition: @Sendable (String) -> Int32 = { _ in 0 }

/// The folder a test uses: `fixtures/` beside this file.
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
