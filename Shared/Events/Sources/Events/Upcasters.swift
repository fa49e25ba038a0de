/// Readers accept every schema version ever written: older bodies are upcast to the current
/// shape on read, so `evolve` and every reader see one shape per event type.
public enum Upcasters {
    /// v1 (before 2026-11) named the lines `lines` with `qty` and `unitPriceMinor`; v2 uses the
    /// same names as the HTTP API (`items`, `quantity`, `unitPrice`). Same meaning, same units.
    public static func orderPlaced(fromV1 v1: OrderPlacedV1) -> OrderPlaced {
        OrderPlaced(
            customerId: v1.customerId, currency: v1.currency,
            items: v1.lines.map { LineItem(sku: $0.sku, quantity: $0.qty, unitPrice: $0.unitPriceMinor) })
    }
}

/// `OrderPlaced` as schema version 1 wrote it. Kept only to read old records.
public struct OrderPlacedV1: Codable, Hashable, Sendable {
    public struct Line: Codable, Hashable, Sendable {
        public var sku: String
        public var qty: Int64
        public var unitPriceMinor: Int64

        public init(sku: String, qty: Int64, unitPriceMinor: Int64) {
            self.sku = sku
            self.qty = qty
            self.unitPriceMinor = unitPriceMinor
        }
    }

    public var customerId: String
    public var currency: String
    public var lines: [Line]

    public init(customerId: String, currency: String, lines: [Line]) {
        self.customerId = customerId
        self.currency = currency
        self.lines = lines
    }
}
