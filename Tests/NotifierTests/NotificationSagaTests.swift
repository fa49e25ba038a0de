import Events
@testable import Notifier
import Testing

/// The notifier's core in the View and Saga shapes: given events, then the facts it keeps;
/// when an event in effect happens, then the notifications it calls for. No I/O.
@Suite struct NotificationSagaTests {
    func recorded(_ event: OrderEvent, version: Int64) -> RecordedEvent {
        RecordedEvent(event: event, orderId: "o-1", version: version, commandId: "c-\(version)",
                      occurredAt: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000 + version))
    }

    var history: [RecordedEvent] {
        [
            recorded(.placed(OrderPlaced(customerId: "alice", currency: "JPY", items: [LineItem(sku: "TEA", quantity: 3, unitPrice: 500)])), version: 1),
            recorded(.itemAdded(ItemAdded(sku: "CUP", quantity: 1, unitPrice: 1200)), version: 2),
            recorded(.confirmed(OrderConfirmed(total: 2700)), version: 3),
        ]
    }

    @Test func givenEventsThenTheFactsAreTheCustomerCurrencyAndVersion() {
        let facts = NotificationRules.facts.fold(history)
        #expect(facts == NotificationRules.OrderFacts(version: 3, customerId: "alice", currency: "JPY"))
        #expect(NotificationRules.facts.fold([]) == NotificationRules.OrderFacts())
    }

    @Test func whenPlacedThenOneNotificationWithTheItemsAndTotal() throws {
        let placed = history[0]
        let drafts = NotificationRules.saga.react((placed, NotificationRules.facts.fold([placed])))
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1 && draft.kind == "order-placed" && draft.template == "order-placed")
        #expect(draft.context["total"] == .text(MoneyFormat.format(1500, currency: "JPY")))
        #expect(draft.context["itemCount"] == .text("3"))
        #expect(draft.context["customerId"] == .text("alice"))
    }

    @Test func whenAnItemChangesThenNothingIsSent() {
        let added = history[1]
        #expect(NotificationRules.saga.react((added, NotificationRules.facts.fold(history.prefix(2)))).isEmpty)
        let removed = recorded(.itemRemoved(ItemRemoved(sku: "CUP")), version: 3)
        #expect(NotificationRules.saga.react((removed, NotificationRules.facts.fold(history.prefix(2) + [removed]))).isEmpty)
    }

    @Test(arguments: [
        (OrderEvent.confirmed(OrderConfirmed(total: 2700)), "order-confirmed"),
        (.shipped(OrderShipped(carrier: "DHL", trackingNumber: "JD1")), "order-shipped"),
        (.delivered(OrderDelivered()), "order-delivered"),
        (.cancelled(OrderCancelled(reason: "late")), "order-cancelled"),
    ])
    func whenALifecycleStepThenItsNotification(event: OrderEvent, kind: String) {
        let step = recorded(event, version: 3)
        let drafts = NotificationRules.saga.react((step, NotificationRules.facts.fold(history.prefix(2) + [step])))
        #expect(drafts.map(\.kind) == [kind])
        #expect(drafts.first?.context["version"] == .text("3"))
        #expect(NotificationRules.kinds.contains(kind))
    }
}
