/// Why `decide` refused a command. Nothing is appended for a rejected command.
public enum Rejection: Error, Hashable, Sendable {
    /// A command other than `place` for an order with no events.
    case orderNotFound
    /// A business rule forbids the command in the order's current state.
    case ruleViolated(Rule, detail: String)

    public var ruleName: String? {
        if case .ruleViolated(let rule, _) = self { return rule.rawValue }
        return nil
    }
}

/// Every business rule, with the stable name clients see in `rule` of a 422 problem.
public enum Rule: String, CaseIterable, Hashable, Sendable {
    case orderAlreadyExists = "order-already-exists"
    case quantityNotPositive = "quantity-not-positive"
    case quantityTooLarge = "quantity-too-large"
    case unitPriceOutOfRange = "unit-price-out-of-range"
    case tooManyLines = "too-many-lines"
    case duplicateSku = "duplicate-sku"
    case itemNotInOrder = "item-not-in-order"
    /// Items change only before confirmation.
    case itemsLocked = "items-locked"
    /// Confirm needs at least one item.
    case noItems = "no-items"
    case alreadyConfirmed = "already-confirmed"
    /// Ship needs a confirmed order.
    case notConfirmed = "not-confirmed"
    case alreadyShipped = "already-shipped"
    /// Deliver needs a shipped order.
    case notShipped = "not-shipped"
    case alreadyDelivered = "already-delivered"
    case orderCancelled = "order-cancelled"
}
