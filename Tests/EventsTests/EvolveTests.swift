import Events
import Testing

@Suite struct EvolveTests {
    @Test func aLifecycle() {
        let state = given([placed, .itemAdded(ItemAdded(sku: "SKU-3", quantity: 3, unitPrice: 100)), confirmed, shipped, delivered])
        #expect(state.version == 5)
        #expect(state.status == .delivered)
        #expect(state.customerId == "c-1")
        #expect(state.currency == "EUR")
        #expect(state.items.map(\.sku) == ["SKU-1", "SKU-2", "SKU-3"])
        #expect(state.total == 2 * 1_250 + 999 + 300)
        #expect(state.confirmedTotal == 3_499)
        #expect(state.shipping == Shipping(carrier: "DHL", trackingNumber: "JD0001"))
        #expect(state.cancelReason == nil)
    }

    @Test func removeKeepsTheOtherLinesInOrder() {
        let state = given([placed, .itemRemoved(ItemRemoved(sku: "SKU-1"))])
        #expect(state.items == [sampleItems[1]])
    }

    @Test func cancelRecordsTheReason() {
        let state = given([placed, cancelledEvent])
        #expect(state.status == .cancelled)
        #expect(state.cancelReason == "changed my mind")
    }

    /// `evolve` is total: events `decide` would never produce (a foreign writer's) still fold.
    @Test func evolveAcceptsEventsDecideWouldReject() {
        let absurd = LineItem(sku: "SKU-1", quantity: .max, unitPrice: .max)
        let state = given([.itemAdded(ItemAdded(absurd)), delivered, .itemAdded(ItemAdded(absurd)), placedEmpty])
        #expect(state.version == 4)
        #expect(state.status == .placed)
        #expect(state.items.isEmpty)
        let huge = given([placedEmpty, .itemAdded(ItemAdded(absurd)), .itemAdded(ItemAdded(sku: "B", quantity: .max, unitPrice: .max))])
        #expect(huge.total == .max)  // saturates, never traps
        #expect(given([placed, .itemAdded(ItemAdded(sku: "SKU-1", quantity: 7, unitPrice: 1))]).line(for: "SKU-1")?.quantity == 7)
    }

    @Test func noEventsNoOrder() {
        #expect(!OrderState().exists)
        #expect(given([placedEmpty]).exists)
    }
}
