import ArgumentParser
import Events
import Foundation
import NIOHTTP1

/// What every command that changes an order takes.
struct CommandOptions: ParsableArguments {
    @Option(help: "The idempotency key (default: a fresh one; give the same to retry a command safely)")
    var idempotencyKey: String?

    @Option(help: "Refuse unless the order is at this version (optimistic concurrency)")
    var expectedVersion: Int64?

    var headers: [(String, String)] {
        var headers = [("Idempotency-Key", idempotencyKey ?? UUID().uuidString.lowercased())]
        if let expectedVersion { headers.append(("If-Match", "\"\(expectedVersion)\"")) }
        return headers
    }

    func validate() throws {
        if let key = idempotencyKey, key.isEmpty || key.count > 200 { throw ValidationError("--idempotency-key must be 1 to 200 characters") }
        if let version = expectedVersion, version < 1 { throw ValidationError("--expected-version must be at least 1") }
    }
}

/// Sends one command to OrderCommand and prints what it answered: the order, its new version
/// and the position of its event (a token for `--position` on queries).
func runCommand(_ global: GlobalOptions, _ options: CommandOptions, _ what: String, path: String, body: [UInt8]?) async throws {
    let answer = try await global.command.send(.POST, path, json: body, headers: options.headers)
    if global.json { return Terminal.json(answer.json) }
    let result = try answer.decode(CommandAnswer.self, service: "OrderCommand")
    Terminal.line("\(Terminal.green(what)) order \(Terminal.bold(result.orderId)): version \(result.version), position \(result.position)")
}

func checkIdentifier(_ value: String, _ name: String) throws {
    guard FieldLimits.isValidIdentifier(value) else {
        throw ValidationError("\(name) must be 1 to 64 characters of A-Z a-z 0-9 . _ : -, not \(value.debugDescription)")
    }
}

struct LineItemArgument: ExpressibleByArgument, Encodable {
    var sku: String
    var quantity: Int64
    var unitPrice: Int64

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, let quantity = Int64(parts[parts.count - 2]), let price = Int64(parts[parts.count - 1]) else { return nil }
        self.sku = parts.dropLast(2).joined(separator: ":")
        self.quantity = quantity
        self.unitPrice = price
    }
}

struct Place: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Place an order", discussion: "Example: orders place --customer c-1 --currency EUR --item TEA:2:450 --item CUP:1:1200")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: CommandOptions
    @Option(help: "The customer's id") var customer: String
    @Option(help: "ISO 4217 code, as EUR") var currency: String
    @Option(name: .customLong("item"), help: "SKU:QUANTITY:UNIT_PRICE (minor units), repeatable") var items: [LineItemArgument] = []
    @Option(help: "The order's id (default: derived from the idempotency key)") var orderId: String?

    func validate() throws {
        try checkIdentifier(customer, "--customer")
        guard FieldLimits.isValidCurrency(currency) else { throw ValidationError("--currency must be three capital letters, as EUR") }
        guard !items.isEmpty else { throw ValidationError("give at least one --item SKU:QUANTITY:UNIT_PRICE") }
        for item in items { try checkIdentifier(item.sku, "an --item's SKU") }
        if let orderId { try checkIdentifier(orderId, "--order-id") }
    }

    func run() async throws {
        struct Body: Encodable { var orderId: String?; var customerId: String; var currency: String; var items: [LineItemArgument] }
        try await runCommand(global, options, "placed", path: "/orders",
                             body: jsonBytes(Body(orderId: orderId, customerId: customer, currency: currency, items: items)))
    }
}

struct AddItem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-item", abstract: "Add a line to an order (before confirmation)")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: CommandOptions
    @Argument(help: "The order's id") var order: String
    @Option(help: "The item's SKU") var sku: String
    @Option(help: "How many") var quantity: Int64
    @Option(help: "Unit price in minor units") var unitPrice: Int64

    func validate() throws { try checkIdentifier(order, "ORDER"); try checkIdentifier(sku, "--sku") }

    func run() async throws {
        struct Body: Encodable { var sku: String; var quantity: Int64; var unitPrice: Int64 }
        try await runCommand(global, options, "added \(sku) to", path: "/orders/\(segment(order))/items",
                             body: jsonBytes(Body(sku: sku, quantity: quantity, unitPrice: unitPrice)))
    }
}

struct RemoveItem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove-item", abstract: "Remove a line from an order (before confirmation)")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: CommandOptions
    @Argument(help: "The order's id") var order: String
    @Argument(help: "The SKU of the line") var sku: String

    func validate() throws { try checkIdentifier(order, "ORDER"); try checkIdentifier(sku, "SKU") }

    func run() async throws {
        var options = options
        if options.idempotencyKey == nil { options.idempotencyKey = UUID().uuidString.lowercased() }
        let answer = try await global.command.send(.DELETE, "/orders/\(segment(order))/items/\(segment(sku))", headers: options.headers)
        if global.json { return Terminal.json(answer.json) }
        let result = try answer.decode(CommandAnswer.self, service: "OrderCommand")
        Terminal.line("\(Terminal.green("removed \(sku) from")) order \(Terminal.bold(result.orderId)): version \(result.version), position \(result.position)")
    }
}

/// confirm, deliver: a command with no body.
struct Confirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Confirm an order (it needs at least one item)")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: CommandOptions
    @Argument(help: "The order's id") var order: String
    func validate() throws { try checkIdentifier(order, "ORDER") }
    func run() async throws { try await runCommand(global, options, "confirmed", path: "/orders/\(segment(order))/confirm", body: nil) }
}

struct Deliver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mark a shipped order delivered")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: CommandOptions
    @Argument(help: "The order's id") var order: String
    func validate() throws { try checkIdentifier(order, "ORDER") }
    func run() async throws { try await runCommand(global, options, "delivered", path: "/orders/\(segment(order))/deliver", body: nil) }
}

struct Ship: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ship a confirmed order")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: CommandOptions
    @Argument(help: "The order's id") var order: String
    @Option(help: "The carrier") var carrier: String
    @Option(help: "The carrier's tracking number") var trackingNumber: String

    func validate() throws {
        try checkIdentifier(order, "ORDER")
        guard FieldLimits.isValidText(carrier), FieldLimits.isValidText(trackingNumber) else {
            throw ValidationError("--carrier and --tracking-number must be 1 to 500 characters without control characters")
        }
    }

    func run() async throws {
        struct Body: Encodable { var carrier: String; var trackingNumber: String }
        try await runCommand(global, options, "shipped", path: "/orders/\(segment(order))/ship",
                             body: jsonBytes(Body(carrier: carrier, trackingNumber: trackingNumber)))
    }
}

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel an order (before it ships)")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: CommandOptions
    @Argument(help: "The order's id") var order: String
    @Option(help: "Why") var reason: String

    func validate() throws {
        try checkIdentifier(order, "ORDER")
        guard FieldLimits.isValidText(reason) else { throw ValidationError("--reason must be 1 to 500 characters without control characters") }
    }

    func run() async throws {
        struct Body: Encodable { var reason: String }
        try await runCommand(global, options, "cancelled", path: "/orders/\(segment(order))/cancel", body: jsonBytes(Body(reason: reason)))
    }
}
