import ArgumentParser
import Foundation
import NIOHTTP1

/// Read-your-writes: `--position P:O` (what a command printed) makes the query wait until
/// the read model has applied that event.
struct ReadOptions: ParsableArguments {
    @Option(help: "Wait until the read model has applied this position (P:O, as a command printed it)")
    var position: String?

    @Option(help: "How long to wait for --position, in ms (at most 30000)")
    var waitMs: Int = 5_000

    func validate() throws {
        if let position {
            let parts = position.split(separator: ":")
            guard parts.count == 2, Int32(parts[0]).map({ $0 >= 0 }) == true, Int64(parts[1]).map({ $0 >= 0 }) == true else {
                throw ValidationError("--position must be PARTITION:OFFSET, as 2:17, not \(position.debugDescription)")
            }
        }
        guard (0...30_000).contains(waitMs) else { throw ValidationError("--wait-ms must be 0 to 30000") }
    }

    var query: [(String, String)] {
        guard let position else { return [] }
        return [("position", position), ("waitMs", String(waitMs))]
    }
}

func queryString(_ pairs: [(String, String)]) -> String {
    guard !pairs.isEmpty else { return "" }
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~:")
    return "?" + pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
}

struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show an order from the read model")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var read: ReadOptions
    @Argument(help: "The order's id") var order: String
    func validate() throws { try checkIdentifier(order, "ORDER") }

    func run() async throws {
        let answer = try await global.query.send(.GET, "/orders/\(segment(order))" + queryString(read.query))
        if global.json { return Terminal.json(answer.json) }
        print(try answer.decode(OrderAnswer.self, service: "OrderQuery"))
    }

    func print(_ order: OrderAnswer) {
        Terminal.line("\(Terminal.bold("order \(order.orderId)"))  \(order.status)  version \(order.version)")
        Terminal.line("customer  \(order.customerId)")
        Terminal.line("placed    \(order.placedAt)   updated \(order.updatedAt)")
        if let shipping = order.shipping { Terminal.line("shipping  \(shipping.carrier) \(shipping.trackingNumber)") }
        if let reason = order.cancelReason { Terminal.line("cancelled \(reason)") }
        Terminal.table(["sku", "quantity", "unit price", "amount"], order.items.map {
            [$0.sku, String($0.quantity), Terminal.money($0.unitPrice, order.currency), Terminal.money($0.unitPrice &* $0.quantity, order.currency)]
        })
        Terminal.line("total     \(Terminal.money(order.total, order.currency))")
    }
}

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List orders, newest first")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var read: ReadOptions
    @Option(help: "placed, confirmed, shipped, delivered or cancelled") var status: String?
    @Option(help: "Only this customer's orders") var customer: String?
    @Option(help: "At most this many (1 to 500)") var limit: Int = 50
    @Option(help: "The next page: the cursor a previous page printed") var cursor: String?

    func validate() throws {
        if let status, !["placed", "confirmed", "shipped", "delivered", "cancelled"].contains(status) {
            throw ValidationError("--status must be placed, confirmed, shipped, delivered or cancelled")
        }
        if let customer { try checkIdentifier(customer, "--customer") }
        guard (1...500).contains(limit) else { throw ValidationError("--limit must be 1 to 500") }
    }

    func run() async throws {
        var pairs = read.query
        if let status { pairs.append(("status", status)) }
        if let customer { pairs.append(("customerId", customer)) }
        pairs.append(("limit", String(limit)))
        if let cursor { pairs.append(("cursor", cursor)) }
        let answer = try await global.query.send(.GET, "/orders" + queryString(pairs))
        if global.json { return Terminal.json(answer.json) }
        let list = try answer.decode(ListAnswer.self, service: "OrderQuery")
        Terminal.table(["order", "customer", "status", "total", "version", "placed"], list.orders.map {
            [$0.orderId, $0.customerId, $0.status, Terminal.money($0.total, $0.currency), String($0.version), $0.placedAt]
        })
        if let next = list.nextCursor { Terminal.line(Terminal.dim("more: orders list --cursor \(next)")) }
    }
}

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Orders and totals by status")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var read: ReadOptions

    func run() async throws {
        let answer = try await global.query.send(.GET, "/stats" + queryString(read.query))
        if global.json { return Terminal.json(answer.json) }
        let stats = try answer.decode(StatsAnswer.self, service: "OrderQuery")
        Terminal.table(["status", "orders", "totals"], stats.byStatus.sorted { $0.key < $1.key }.map { status, entry in
            [status, String(entry.orders), entry.totals.sorted { $0.key < $1.key }.map { Terminal.money($0.value, $0.key) }.joined(separator: ", ")]
        })
        Terminal.line("\(stats.orders) orders")
    }
}

struct Customer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A customer's summary")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var read: ReadOptions
    @Argument(help: "The customer's id") var customer: String
    func validate() throws { try checkIdentifier(customer, "CUSTOMER") }

    func run() async throws {
        let answer = try await global.query.send(.GET, "/customers/\(segment(customer))" + queryString(read.query))
        if global.json { return Terminal.json(answer.json) }
        let summary = try answer.decode(CustomerAnswer.self, service: "OrderQuery")
        Terminal.line("\(Terminal.bold("customer \(summary.customerId)"))  \(summary.orderCount) orders, first \(summary.firstOrderAt), last \(summary.lastOrderAt)")
        Terminal.line("by status  " + summary.byStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        Terminal.line("totals     " + summary.totals.sorted { $0.key < $1.key }.map { Terminal.money($0.value, $0.key) }.joined(separator: ", "))
    }
}

struct Notifications: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "An order's notifications and where they were delivered")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's id") var order: String
    func validate() throws { try checkIdentifier(order, "ORDER") }

    func run() async throws {
        let answer = try await global.notifier.send(.GET, "/orders/\(segment(order))/notifications")
        if global.json { return Terminal.json(answer.json) }
        let list = try answer.decode(NotificationsAnswer.self, service: "Notifier")
        if list.notifications.isEmpty { return Terminal.line("no notifications for order \(order) (yet)") }
        for item in list.notifications {
            let n = item.notification
            Terminal.line("\(Terminal.bold("v\(n.version) \(n.kind)"))  \(n.subject)  \(Terminal.dim("at \(n.position)"))")
            for delivery in item.deliveries {
                let status = delivery.status == "delivered" ? Terminal.green(delivery.status)
                    : delivery.status == "pending" ? Terminal.yellow(delivery.status) : Terminal.red(delivery.status)
                Terminal.line("    \(delivery.sink): \(status) after \(delivery.attempts) attempt(s)" + (delivery.lastError.map { " (\($0))" } ?? ""))
            }
        }
    }
}
