import Events

/// Which events notify, and what their templates are given: a pure function of the event in
/// effect and what the ledger knows of its order (the customer and currency came with the
/// order's first event). Item changes move the order's version but notify nobody.
public enum NotificationRules {
    /// What the ledger keeps of an order between events: enough to address and word a notification.
    public struct OrderFacts: Hashable, Sendable {
        public var version: Int64
        public var customerId: String
        public var currency: String

        public init(version: Int64 = 0, customerId: String = "", currency: String = "") {
            self.version = version
            self.customerId = customerId
            self.currency = currency
        }
    }

    /// A notification before its template is rendered.
    public struct Draft: Sendable {
        public var kind: String
        /// The template's name (a file `<template>.mustache` in a templates directory overrides it).
        public var template: String
        public var context: [String: TemplateValue]
    }

    /// The order's facts after the event.
    public static func evolve(_ facts: OrderFacts, _ recorded: RecordedEvent) -> OrderFacts {
        var facts = facts
        facts.version = recorded.envelope.aggregateVersion
        if case .placed(let placed) = recorded.event {
            facts.customerId = placed.customerId
            facts.currency = placed.currency
        }
        return facts
    }

    /// The notification an event in effect makes, if any. `facts` are the order's after the event.
    public static func draft(for recorded: RecordedEvent, facts: OrderFacts) -> Draft? {
        var context: [String: TemplateValue] = [
            "orderId": .text(recorded.envelope.orderId),
            "customerId": .text(facts.customerId),
            "currency": .text(facts.currency),
            "version": .text(String(recorded.envelope.aggregateVersion)),
            "occurredAt": .text(recorded.envelope.occurredAt.rfc3339),
        ]
        let money = { (minor: Int64) in TemplateValue.text(MoneyFormat.format(minor, currency: facts.currency)) }
        switch recorded.event {
        case .placed(let placed):
            let total = placed.items.reduce(Int64(0)) { $0.saturatingAdd($1.amount) }
            context["total"] = money(total)
            context["itemCount"] = .text(String(placed.items.reduce(Int64(0)) { $0.saturatingAdd($1.quantity) }))
            context["items"] = .list(placed.items.map { item in
                ["sku": .text(item.sku), "quantity": .text(String(item.quantity)), "unitPrice": money(item.unitPrice)]
            })
            return Draft(kind: "order-placed", template: "order-placed", context: context)
        case .confirmed(let confirmed):
            context["total"] = money(confirmed.total)
            return Draft(kind: "order-confirmed", template: "order-confirmed", context: context)
        case .shipped(let shipped):
            context["carrier"] = .text(shipped.carrier)
            context["trackingNumber"] = .text(shipped.trackingNumber)
            return Draft(kind: "order-shipped", template: "order-shipped", context: context)
        case .delivered:
            return Draft(kind: "order-delivered", template: "order-delivered", context: context)
        case .cancelled(let cancelled):
            context["reason"] = .text(cancelled.reason)
            return Draft(kind: "order-cancelled", template: "order-cancelled", context: context)
        case .itemAdded, .itemRemoved:
            return nil
        }
    }

    /// What the notifier keeps of each order, in the View shape: built from events alone.
    public static let facts = View<OrderFacts, RecordedEvent>(initialState: OrderFacts(), evolve: evolve)

    /// The notifier's reaction, in the Saga shape: an event in effect, with its order's facts
    /// after it, calls for at most one notification (before rendering).
    public static let saga = Saga<(RecordedEvent, OrderFacts), Draft> { happened in
        draft(for: happened.0, facts: happened.1).map { [$0] } ?? []
    }

    /// The kinds that notify, each with its template of the same name.
    public static let kinds = ["order-placed", "order-confirmed", "order-shipped", "order-delivered", "order-cancelled"]
}

/// A value a template sees: text, or a list of objects for a section.
public enum TemplateValue: Sendable, Hashable {
    case text(String)
    case list([[String: TemplateValue]])

    /// What swift-mustache renders: strings, and arrays of dictionaries for sections.
    var mustacheValue: Any {
        switch self {
        case .text(let text): text
        case .list(let rows): rows.map { $0.mapValues(\.mustacheValue) }
        }
    }
}

/// Minor units as a decimal amount: the ISO 4217 exponent of the currency (2 for most).
enum MoneyFormat {
    static let exponents: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    ]

    static func format(_ minor: Int64, currency: String) -> String {
        let exponent = exponents[currency] ?? 2
        guard exponent > 0 else { return String(minor) }
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        var scale: UInt64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let fraction = String(magnitude % scale)
        return "\(sign)\(magnitude / scale).\(String(repeating: "0", count: exponent - fraction.count))\(fraction)"
    }
}
