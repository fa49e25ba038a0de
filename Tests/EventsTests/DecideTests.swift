import Events
import Testing

/// Given-when-then specifications of `decide`: every rule and every rejection.
@Suite struct DecideTests {
    let rules = OrderRules(maxLines: 3, maxQuantity: 100, maxUnitPrice: 1_000_000)

    func when(_ command: Command, given events: [OrderEvent]) -> Result<OrderEvent, Rejection> {
        decide(command, state: given(events), rules: rules)
    }

    func rule(_ result: Result<OrderEvent, Rejection>) -> Rule? {
        if case .failure(.ruleViolated(let rule, _)) = result { return rule }
        return nil
    }

    @Test func placeANewOrder() {
        #expect(when(.place(customerId: "c-1", currency: "EUR", items: sampleItems), given: []) == .success(placed))
    }

    @Test func placeWithoutItemsIsAllowed() {
        #expect(when(.place(customerId: "c-1", currency: "EUR", items: []), given: []) == .success(placedEmpty))
    }

    @Test func placeTwiceIsRejected() {
        #expect(rule(when(.place(customerId: "c-2", currency: "USD", items: []), given: [placed])) == .orderAlreadyExists)
    }

    @Test(arguments: [
        (LineItem(sku: "A", quantity: 0, unitPrice: 1), Rule.quantityNotPositive),
        (LineItem(sku: "A", quantity: -3, unitPrice: 1), .quantityNotPositive),
        (LineItem(sku: "A", quantity: 101, unitPrice: 1), .quantityTooLarge),
        (LineItem(sku: "A", quantity: 1, unitPrice: -1), .unitPriceOutOfRange),
        (LineItem(sku: "A", quantity: 1, unitPrice: 1_000_001), .unitPriceOutOfRange),
    ])
    func itemBoundsAtPlacementAndAdd(item: LineItem, expected: Rule) {
        #expect(rule(when(.place(customerId: "c", currency: "EUR", items: [item]), given: [])) == expected)
        #expect(rule(when(.addItem(item), given: [placedEmpty])) == expected)
    }

    @Test func boundsAreInclusive() {
        let item = LineItem(sku: "A", quantity: 100, unitPrice: 1_000_000)
        #expect(when(.addItem(item), given: [placedEmpty]) == .success(.itemAdded(ItemAdded(item))))
        let free = LineItem(sku: "B", quantity: 1, unitPrice: 0)
        #expect(when(.addItem(free), given: [placedEmpty]) == .success(.itemAdded(ItemAdded(free))))
    }

    @Test func atMostMaxLines() {
        let four = (1...4).map { LineItem(sku: "S\($0)", quantity: 1, unitPrice: 1) }
        #expect(rule(when(.place(customerId: "c", currency: "EUR", items: four), given: [])) == .tooManyLines)
        let three = Array(four.prefix(3))
        let full = OrderEvent.placed(OrderPlaced(customerId: "c", currency: "EUR", items: three))
        #expect(rule(when(.addItem(four[3]), given: [full])) == .tooManyLines)
        // Removing a line makes room again.
        #expect(when(.addItem(four[3]), given: [full, .itemRemoved(ItemRemoved(sku: "S1"))]) == .success(.itemAdded(ItemAdded(four[3]))))
    }

    @Test func duplicateSkus() {
        let twice = [LineItem(sku: "A", quantity: 1, unitPrice: 1), LineItem(sku: "A", quantity: 2, unitPrice: 1)]
        #expect(rule(when(.place(customerId: "c", currency: "EUR", items: twice), given: [])) == .duplicateSku)
        #expect(rule(when(.addItem(sampleItems[0]), given: [placed])) == .duplicateSku)
    }

    @Test func removeItem() {
        #expect(when(.removeItem(sku: "SKU-1"), given: [placed]) == .success(.itemRemoved(ItemRemoved(sku: "SKU-1"))))
        #expect(rule(when(.removeItem(sku: "NOPE"), given: [placed])) == .itemNotInOrder)
    }

    @Test func itemsChangeOnlyBeforeConfirmation() {
        let extra = LineItem(sku: "X", quantity: 1, unitPrice: 1)
        for history in [[placed, confirmed], [placed, confirmed, shipped], [placed, confirmed, shipped, delivered]] {
            #expect(rule(when(.addItem(extra), given: history)) == .itemsLocked)
            #expect(rule(when(.removeItem(sku: "SKU-1"), given: history)) == .itemsLocked)
        }
        #expect(rule(when(.addItem(extra), given: [placed, cancelledEvent])) == .orderCancelled)
        #expect(rule(when(.removeItem(sku: "SKU-1"), given: [placed, cancelledEvent])) == .orderCancelled)
    }

    @Test func confirmRecordsTheTotal() {
        #expect(when(.confirm, given: [placed]) == .success(.confirmed(OrderConfirmed(total: 2 * 1_250 + 999))))
    }

    @Test func confirmNeedsAnItem() {
        #expect(rule(when(.confirm, given: [placedEmpty])) == .noItems)
        #expect(rule(when(.confirm, given: [placed, .itemRemoved(ItemRemoved(sku: "SKU-1")), .itemRemoved(ItemRemoved(sku: "SKU-2"))])) == .noItems)
    }

    @Test func confirmOnlyOnce() {
        #expect(rule(when(.confirm, given: [placed, confirmed])) == .alreadyConfirmed)
        #expect(rule(when(.confirm, given: [placed, confirmed, shipped])) == .alreadyShipped)
        #expect(rule(when(.confirm, given: [placed, cancelledEvent])) == .orderCancelled)
    }

    @Test func shipNeedsConfirmed() {
        let ship = Command.ship(carrier: "DHL", trackingNumber: "JD0001")
        #expect(when(ship, given: [placed, confirmed]) == .success(shipped))
        #expect(rule(when(ship, given: [placed])) == .notConfirmed)
        #expect(rule(when(ship, given: [placed, confirmed, shipped])) == .alreadyShipped)
        #expect(rule(when(ship, given: [placed, confirmed, shipped, delivered])) == .alreadyShipped)
        #expect(rule(when(ship, given: [placed, confirmed, cancelledEvent])) == .orderCancelled)
    }

    @Test func deliverNeedsShipped() {
        #expect(when(.deliver, given: [placed, confirmed, shipped]) == .success(delivered))
        #expect(rule(when(.deliver, given: [placed])) == .notShipped)
        #expect(rule(when(.deliver, given: [placed, confirmed])) == .notShipped)
        #expect(rule(when(.deliver, given: [placed, confirmed, shipped, delivered])) == .alreadyDelivered)
        #expect(rule(when(.deliver, given: [placed, cancelledEvent])) == .orderCancelled)
    }

    @Test func cancelOnlyBeforeShipping() {
        let cancel = Command.cancel(reason: "changed my mind")
        #expect(when(cancel, given: [placed]) == .success(cancelledEvent))
        #expect(when(cancel, given: [placed, confirmed]) == .success(cancelledEvent))
        #expect(rule(when(cancel, given: [placed, confirmed, shipped])) == .alreadyShipped)
        #expect(rule(when(cancel, given: [placed, confirmed, shipped, delivered])) == .alreadyShipped)
        #expect(rule(when(cancel, given: [placed, cancelledEvent])) == .orderCancelled)
    }

    @Test(arguments: [
        Command.addItem(LineItem(sku: "A", quantity: 1, unitPrice: 1)), .removeItem(sku: "A"), .confirm,
        .ship(carrier: "c", trackingNumber: "t"), .deliver, .cancel(reason: "r"),
    ])
    func everyCommandButPlaceNeedsAnOrder(command: Command) {
        #expect(when(command, given: []) == .failure(.orderNotFound))
    }

    @Test func ruleNamesAreStableAndUnique() {
        let names = Rule.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "-" } })
        #expect(Rule.itemsLocked.rawValue == "items-locked")
    }
}
