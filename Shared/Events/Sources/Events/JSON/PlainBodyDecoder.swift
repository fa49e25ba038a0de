/// Event bodies at their current schema version, read with `PlainJSONReader`: the fast path of
/// `EventCodec.decodeBody`. Nil means "not plain enough": the caller falls back to
/// `JSONDecoder`, which is the definition of what a body means (and of its errors).
///
/// Why: a service taking over a partition folds every event of it before serving, and
/// `JSONDecoder` (generic containers, metadata lookups) was a third of that fold's time.
enum PlainBodyDecoder {
    static func decode(_ bytes: [UInt8], type: EventType, schemaVersion: Int) -> OrderEvent? {
        bytes.withUnsafeBufferPointer { decode($0, type: type, schemaVersion: schemaVersion) }
    }

    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, type: EventType, schemaVersion: Int) -> OrderEvent? {
        guard schemaVersion == type.currentSchemaVersion else { return nil }
        var reader = PlainJSONReader(buffer)
        let event: OrderEvent?
        switch type {
        case .orderPlaced: event = placed(&reader).map(OrderEvent.placed)
        case .itemAdded: event = reader.lineItem().map { .itemAdded(ItemAdded($0)) }
        case .itemRemoved:
            event = reader.strings(keys: Keys.itemRemoved).map { .itemRemoved(ItemRemoved(sku: $0[0])) }
        case .orderConfirmed:
            var total: Int64?
            let ok = reader.object(keys: Keys.orderConfirmed) { r, _ in total = r.int64(); return total != nil }
            event = ok ? total.map { .confirmed(OrderConfirmed(total: $0)) } : nil
        case .orderShipped:
            event = reader.strings(keys: Keys.orderShipped).map { .shipped(OrderShipped(carrier: $0[0], trackingNumber: $0[1])) }
        case .orderDelivered:
            event = reader.emptyObject() ? .delivered(OrderDelivered()) : nil
        case .orderCancelled:
            event = reader.strings(keys: Keys.orderCancelled).map { .cancelled(OrderCancelled(reason: $0[0])) }
        }
        return reader.atEnd() ? event : nil
    }

    private static func placed(_ reader: inout PlainJSONReader) -> OrderPlaced? {
        var customerId: String?, currency: String?, items: [LineItem]?
        let ok = reader.object(keys: Keys.orderPlaced) { r, key in
            switch key {
            case 0: customerId = r.string(); return customerId != nil
            case 1: currency = r.string(); return currency != nil
            default: items = r.lineItems(); return items != nil
            }
        }
        guard ok, let customerId, let currency, let items else { return nil }
        return OrderPlaced(customerId: customerId, currency: currency, items: items)
    }

    /// Each body's keys, as the Codable types name them (the order gives the field numbers above).
    private enum Keys {
        static let orderPlaced = utf8("customerId", "currency", "items")
        static let itemRemoved = utf8("sku")
        static let orderConfirmed = utf8("total")
        static let orderShipped = utf8("carrier", "trackingNumber")
        static let orderCancelled = utf8("reason")

        private static func utf8(_ names: String...) -> [[UInt8]] { names.map { Array($0.utf8) } }
    }
}

extension PlainJSONReader {
    /// `{"sku", "quantity", "unitPrice"}`: a line of OrderPlaced, the body of ItemAdded, and a
    /// line of the HTTP API's bodies.
    public mutating func lineItem() -> LineItem? {
        var sku: String?, quantity: Int64?, unitPrice: Int64?
        let ok = object(keys: Self.lineItemKeys) { r, key in
            switch key {
            case 0: sku = r.string(); return sku != nil
            case 1: quantity = r.int64(); return quantity != nil
            default: unitPrice = r.int64(); return unitPrice != nil
            }
        }
        guard ok, let sku, let quantity, let unitPrice else { return nil }
        return LineItem(sku: sku, quantity: quantity, unitPrice: unitPrice)
    }

    /// An array of `lineItem()`s: OrderPlaced's `items`, and the read model's `items` column.
    public mutating func lineItems() -> [LineItem]? {
        var items: [LineItem] = []
        let ok = array { element in
            guard let item = element.lineItem() else { return false }
            items.append(item)
            return true
        }
        return ok ? items : nil
    }

    private static let lineItemKeys = ["sku", "quantity", "unitPrice"].map { Array($0.utf8) }
}
