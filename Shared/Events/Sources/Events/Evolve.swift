/// Applies one event in effect to its order. Total: it never rejects a recorded event,
/// whatever the order's state (rules change, recorded facts do not; rules live in `decide`).
/// The caller (the fold rule) has already checked that the event is the order's next version.
public func evolve(_ state: OrderState, _ event: OrderEvent) -> OrderState {
    var next = state
    next.evolve(event)
    return next
}

extension OrderState {
    /// `evolve` in place, the one every fold calls: a reader holding many orders (a
    /// partition's fold) changes the stored state without copying its lines.
    public mutating func evolve(_ event: OrderEvent) {
        version += 1
        switch event {
        case .placed(let placed):
            status = .placed
            customerId = placed.customerId
            currency = placed.currency
            items = []
            for item in placed.items { upsert(item) }
        case .itemAdded(let added):
            upsert(added.item)
        case .itemRemoved(let removed):
            items.removeAll { $0.sku == removed.sku }
        case .confirmed(let confirmed):
            status = .confirmed
            confirmedTotal = confirmed.total
        case .shipped(let shipped):
            status = .shipped
            shipping = Shipping(carrier: shipped.carrier, trackingNumber: shipped.trackingNumber)
        case .delivered:
            status = .delivered
        case .cancelled(let cancelled):
            status = .cancelled
            cancelReason = cancelled.reason
        }
    }

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
