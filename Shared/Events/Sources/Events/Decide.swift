/// The command side's only business logic: given the order in effect, accept the command as
/// one event or reject it with a typed reason. Pure: no clock, no I/O (ids and times are the
/// envelope's business).
public func decide(_ command: Command, state: OrderState, rules: OrderRules = .default) -> Result<OrderEvent, Rejection> {
    if case .place(let customerId, let currency, let items) = command {
        guard !state.exists else {
            return .failure(.ruleViolated(.orderAlreadyExists, detail: "the order already exists (version \(state.version))"))
        }
        if items.count > rules.maxLines {
            return .failure(.ruleViolated(.tooManyLines, detail: "\(items.count) lines; at most \(rules.maxLines)"))
        }
        var seen = Set<String>()
        for item in items {
            if let rejection = check(item, rules: rules) { return .failure(rejection) }
            if !seen.insert(item.sku).inserted {
                return .failure(.ruleViolated(.duplicateSku, detail: "SKU \(item.sku) appears twice"))
            }
        }
        return .success(.placed(OrderPlaced(customerId: customerId, currency: currency, items: items)))
    }
    guard state.exists else { return .failure(.orderNotFound) }

    switch command {
    case .place:
        preconditionFailure("handled above")

    case .addItem(let item):
        if let rejection = requireOpenForItems(state) { return .failure(rejection) }
        if let rejection = check(item, rules: rules) { return .failure(rejection) }
        if state.line(for: item.sku) != nil {
            return .failure(.ruleViolated(.duplicateSku, detail: "SKU \(item.sku) is already in the order; remove it first"))
        }
        if state.items.count >= rules.maxLines {
            return .failure(.ruleViolated(.tooManyLines, detail: "the order has \(state.items.count) lines; at most \(rules.maxLines)"))
        }
        return .success(.itemAdded(ItemAdded(item)))

    case .removeItem(let sku):
        if let rejection = requireOpenForItems(state) { return .failure(rejection) }
        guard state.line(for: sku) != nil else {
            return .failure(.ruleViolated(.itemNotInOrder, detail: "SKU \(sku) is not in the order"))
        }
        return .success(.itemRemoved(ItemRemoved(sku: sku)))

    case .confirm:
        switch state.status {
        case .placed:
            guard !state.items.isEmpty else {
                return .failure(.ruleViolated(.noItems, detail: "an order needs at least one item to be confirmed"))
            }
            return .success(.confirmed(OrderConfirmed(total: state.total)))
        case .confirmed: return .failure(.ruleViolated(.alreadyConfirmed, detail: "the order is already confirmed"))
        case .shipped, .delivered: return .failure(.ruleViolated(.alreadyShipped, detail: "the order is already \(state.status.rawValue)"))
        case .cancelled: return .failure(cancelled)
        }

    case .ship(let carrier, let trackingNumber):
        switch state.status {
        case .confirmed: return .success(.shipped(OrderShipped(carrier: carrier, trackingNumber: trackingNumber)))
        case .placed: return .failure(.ruleViolated(.notConfirmed, detail: "only a confirmed order can be shipped"))
        case .shipped, .delivered: return .failure(.ruleViolated(.alreadyShipped, detail: "the order is already \(state.status.rawValue)"))
        case .cancelled: return .failure(cancelled)
        }

    case .deliver:
        switch state.status {
        case .shipped: return .success(.delivered(OrderDelivered()))
        case .placed, .confirmed: return .failure(.ruleViolated(.notShipped, detail: "only a shipped order can be delivered"))
        case .delivered: return .failure(.ruleViolated(.alreadyDelivered, detail: "the order is already delivered"))
        case .cancelled: return .failure(cancelled)
        }

    case .cancel(let reason):
        switch state.status {
        case .placed, .confirmed: return .success(.cancelled(OrderCancelled(reason: reason)))
        case .shipped, .delivered:
            return .failure(.ruleViolated(.alreadyShipped, detail: "a \(state.status.rawValue) order can no longer be cancelled"))
        case .cancelled: return .failure(cancelled)
        }
    }
}

private let cancelled = Rejection.ruleViolated(.orderCancelled, detail: "the order is cancelled")

private func requireOpenForItems(_ state: OrderState) -> Rejection? {
    switch state.status {
    case .placed: nil
    case .cancelled: cancelled
    case .confirmed, .shipped, .delivered:
        .ruleViolated(.itemsLocked, detail: "items change only before confirmation; the order is \(state.status.rawValue)")
    }
}

private func check(_ item: LineItem, rules: OrderRules) -> Rejection? {
    if item.quantity <= 0 {
        return .ruleViolated(.quantityNotPositive, detail: "quantity of \(item.sku) is \(item.quantity); it must be at least 1")
    }
    if item.quantity > rules.maxQuantity {
        return .ruleViolated(.quantityTooLarge, detail: "quantity of \(item.sku) is \(item.quantity); at most \(rules.maxQuantity)")
    }
    if item.unitPrice < 0 || item.unitPrice > rules.maxUnitPrice {
        return .ruleViolated(.unitPriceOutOfRange, detail: "unit price of \(item.sku) is \(item.unitPrice); it must be in 0...\(rules.maxUnitPrice)")
    }
    return nil
}
