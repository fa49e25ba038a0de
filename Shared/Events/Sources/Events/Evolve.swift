/// Applies one event in effect to its order. Total: it never rejects a recorded event,
/// whatever the order's state (rules change, recorded facts do not; rules live in `decide`).
/// The caller (the fold rule) has already checked that the event is the order's next version.
public func evolve(_ state: OrderState, _ event: OrderEvent) -> OrderState {
    var next = state
    next.version = state.version + 1
    switch event {
    case .placed(let placed):
        next.status = .placed
        next.customerId = placed.customerId
        next.currency = placed.currency
        next.items = []
        for item in placed.items { next.upsert(item) }
    case .itemAdded(let added):
        next.upsert(added.item)
    case .itemRemoved(let removed):
        next.items.removeAll { $0.sku == removed.sku }
    case .confirmed(let confirmed):
        next.status = .confirmed
        next.confirmedTotal = confirmed.total
    case .shipped(let shipped):
        next.status = .shipped
        next.shipping = Shipping(carrier: shipped.carrier, trackingNumber: shipped.trackingNumber)
    case .delivered:
        next.status = .delivered
    case .cancelled(let cancelled):
        next.status = .cancelled
        next.cancelReason = cancelled.reason
    }
    return next
}

extension OrderState {
    /// A recorded line for a SKU already present replaces it (only a foreign writer records
    /// that; `decide` rejects it), keeping SKUs unique.
    mutating func upsert(_ item: LineItem) {
        if let index = items.firstIndex(where: { $0.sku == item.sku }) {
            items[index] = item
        } else {
            items.append(item)
        }
    }
}
