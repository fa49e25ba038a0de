/// One line of an order: a SKU, how many, and the price of one in the order's currency's
/// minor units (cents for EUR). Money is never a floating-point number.
public struct LineItem: Codable, Hashable, Sendable {
    public var sku: String
    public var quantity: Int64
    public var unitPrice: Int64

    public init(sku: String, quantity: Int64, unitPrice: Int64) {
        self.sku = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
    }

    /// quantity × unitPrice, saturating instead of trapping: `evolve` must accept any recorded
    /// event, even one a foreign writer made with absurd numbers.
    public var amount: Int64 {
        let (product, overflow) = quantity.multipliedReportingOverflow(by: unitPrice)
        if overflow { return (quantity < 0) != (unitPrice < 0) ? .min : .max }
        return product
    }
}

extension Int64 {
    /// Addition that saturates at the bounds (see `LineItem.amount`).
    @inlinable
    public func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        if overflow { return other > 0 ? .max : .min }
        return sum
    }
}
