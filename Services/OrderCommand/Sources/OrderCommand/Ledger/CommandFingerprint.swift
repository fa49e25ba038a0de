import Events

/// What a command asked for, recovered from the event it produced, so a retry with the same
/// idempotency key can be told apart from a different command reusing the key. Derived from
/// the log alone (no extra header), so it survives restarts. Kept as a 64-bit hash (of this
/// process's seeded `Hasher`, like everything it is compared with): one word per remembered
/// command instead of a copy of it.
struct CommandFingerprint: Hashable, Sendable {
    private let value: Int

    init(orderId: String, command: Command) {
        var hasher = Hasher()
        hasher.combine(orderId)
        hasher.combine(command)
        value = hasher.finalize()
    }

    init(orderId: String, event: OrderEvent) {
        let command: Command = switch event {
        case .placed(let e): .place(customerId: e.customerId, currency: e.currency, items: e.items)
        case .itemAdded(let e): .addItem(e.item)
        case .itemRemoved(let e): .removeItem(sku: e.sku)
        case .confirmed: .confirm
        case .shipped(let e): .ship(carrier: e.carrier, trackingNumber: e.trackingNumber)
        case .delivered: .deliver
        case .cancelled(let e): .cancel(reason: e.reason)
        }
        self.init(orderId: orderId, command: command)
    }
}
