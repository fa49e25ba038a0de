import Events
import Testing

/// The order aggregate in the Decider shape: given events, when a command, then the events it
/// decides or its rejection; given events, then the state. No I/O.
@Suite struct OrderDeciderTests {
    let decider = Decider.order()
    let tea = LineItem(sku: "TEA", quantity: 2, unitPrice: 450)
    var placed: OrderEvent { .placed(OrderPlaced(customerId: "alice", currency: "EUR", items: [tea])) }

    @Test func givenNothingWhenPlaceThenPlaced() {
        let result = decider.given([], when: .place(customerId: "alice", currency: "EUR", items: [tea]))
        #expect(result == .success([placed]))
    }

    @Test func givenPlacedWhenPlaceAgainThenTheOrderAlreadyExists() {
        let result = decider.given([placed], when: .place(customerId: "alice", currency: "EUR", items: [tea]))
        guard case .failure(.ruleViolated(.orderAlreadyExists, _)) = result else {
            Issue.record("expected order-already-exists, got \(result)")
            return
        }
    }

    @Test func givenNothingWhenConfirmThenNoSuchOrder() {
        #expect(decider.given([], when: .confirm) == .failure(.orderNotFound))
    }

    @Test func givenPlacedWhenConfirmThenConfirmedWithTheTotal() {
        #expect(decider.given([placed], when: .confirm) == .success([.confirmed(OrderConfirmed(total: 900))]))
    }

    @Test func givenConfirmedWhenAddItemThenTheItemsAreLocked() {
        let result = decider.given([placed, .confirmed(OrderConfirmed(total: 900))], when: .addItem(LineItem(sku: "CUP", quantity: 1, unitPrice: 5)))
        guard case .failure(.ruleViolated(.itemsLocked, _)) = result else {
            Issue.record("expected items-locked, got \(result)")
            return
        }
    }

    @Test func givenDeliveredWhenCancelThenRefused() {
        let history: [OrderEvent] = [
            placed, .confirmed(OrderConfirmed(total: 900)), .shipped(OrderShipped(carrier: "DHL", trackingNumber: "1")), .delivered(OrderDelivered()),
        ]
        guard case .failure(.ruleViolated) = decider.given(history, when: .cancel(reason: "late")) else {
            Issue.record("a delivered order was cancelled")
            return
        }
    }

    @Test func givenALifecycleThenTheStateIsEvolveFoldedAndEveryDecisionWasAccepted() {
        let commands: [Command] = [
            .place(customerId: "alice", currency: "EUR", items: [tea]), .addItem(LineItem(sku: "CUP", quantity: 1, unitPrice: 900)),
            .removeItem(sku: "TEA"), .confirm, .ship(carrier: "DHL", trackingNumber: "JD1"), .deliver,
        ]
        var events: [OrderEvent] = []
        for command in commands {
            guard case .success(let decided) = decider.given(events, when: command) else {
                Issue.record("\(command.name) was refused after \(events.count) events")
                return
            }
            events += decided
        }
        let state = decider.fold(events)
        #expect(state.version == 6 && state.status == .delivered)
        #expect(state.items.map(\.sku) == ["CUP"] && state.confirmedTotal == 900)
        #expect(state == events.reduce(OrderState(), evolve), "the decider folds with evolve, as every fold does")
    }
}
