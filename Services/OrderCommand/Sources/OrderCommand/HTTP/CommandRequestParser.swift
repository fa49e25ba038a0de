import Crypto
import Events
import Foundation
import NIOCore
import HTTPTypes
import Hummingbird
import ServiceHTTP

/// Turns an HTTP request into a `CommandRequest`, or a `validation` problem.
struct CommandRequestParser: Sendable {
    var maxBodyBytes: Int

    /// Orders placed without an `orderId` get a UUIDv5 of their idempotency key in this
    /// namespace, so a retry (on any instance) names the same order.
    static let orderIdNamespace = UUID(uuidString: "6f0a1c1e-3b8d-5e2a-9f4c-0d7e8b6a5c41")!

    enum Route: String, Sendable {
        case place, addItem = "add-item", removeItem = "remove-item", confirm, ship, deliver, cancel
    }

    func body(of request: Request) async throws(Problem) -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw Problem(.validation, "the body is larger than \(maxBodyBytes) bytes")
        } catch {
            throw Problem(.validation, "the body could not be read")
        }
    }

    func parse(_ route: Route, request: Request, orderId pathOrderId: String?, sku pathSku: String?, body: ByteBuffer) throws(Problem) -> CommandRequest {
        let commandId = try idempotencyKey(request)
        let expectedVersion = try ifMatch(request)
        let traceparent = request.headers[.traceparent].flatMap { isValidTraceparent($0) ? $0 : nil }
        var orderId = pathOrderId
        let command: Command
        switch route {
        case .place:
            let place = try CommandBodies.decode(CommandBodies.PlaceOrder.self, from: body)
            guard place.items.count <= CommandBodies.maxItemsInBody else {
                throw Problem(.validation, "items has \(place.items.count) entries; at most \(CommandBodies.maxItemsInBody)")
            }
            if let given = place.orderId {
                try check(identifier: given, field: "orderId")
                orderId = given
            } else {
                orderId = Self.uuidV5(namespace: Self.orderIdNamespace, name: commandId.value).uuidString.lowercased()
            }
            try check(identifier: place.customerId, field: "customerId")
            guard FieldLimits.isValidCurrency(place.currency) else {
                throw Problem(.validation, "currency must be an ISO 4217 code (three upper-case letters), not \(place.currency.debugDescription)")
            }
            for (index, item) in place.items.enumerated() { try check(identifier: item.body.sku, field: "items.\(index).sku") }
            command = .place(customerId: place.customerId, currency: place.currency, items: place.items.map(\.body.lineItem))
        case .addItem:
            let item = try CommandBodies.decode(CommandBodies.Item.self, from: body)
            try check(identifier: item.sku, field: "sku")
            command = .addItem(item.lineItem)
        case .removeItem:
            try CommandBodies.requireEmpty(body)
            let sku = pathSku ?? ""
            try check(identifier: sku, field: "sku")
            command = .removeItem(sku: sku)
        case .confirm:
            try CommandBodies.requireEmpty(body)
            command = .confirm
        case .ship:
            let ship = try CommandBodies.decode(CommandBodies.Ship.self, from: body)
            try check(text: ship.carrier, field: "carrier", maxLength: 100)
            try check(text: ship.trackingNumber, field: "trackingNumber", maxLength: 100)
            command = .ship(carrier: ship.carrier, trackingNumber: ship.trackingNumber)
        case .deliver:
            try CommandBodies.requireEmpty(body)
            command = .deliver
        case .cancel:
            let cancel = try CommandBodies.decode(CommandBodies.Cancel.self, from: body)
            try check(text: cancel.reason, field: "reason", maxLength: FieldLimits.maxTextLength)
            command = .cancel(reason: cancel.reason)
        }
        let order = orderId ?? ""
        try check(identifier: order, field: "orderId")
        // A customer's token acts on its own orders only: it places them for itself, and the
        // ledger treats another customer's order as missing (`CommandRequest.customerScope`).
        var customerScope: String?
        if case .customer(let subject) = Principal.scope {
            if case .place(let customerId, _, _) = command, customerId != subject {
                throw Problem(.forbidden, "a customer token places orders for its own customerId (\(subject)) only")
            }
            customerScope = subject
        }
        return CommandRequest(
            commandId: commandId.value, orderId: order, command: command, expectedVersion: expectedVersion, traceparent: traceparent,
            customerScope: customerScope, actor: Principal.actor)
    }

    struct Key { var value: String; var generated: Bool }

    /// The client's key, or a fresh one. 1...200 visible ASCII characters.
    func idempotencyKey(_ request: Request) throws(Problem) -> Key {
        guard let key = request.headers[.idempotencyKey] else { return Key(value: UUID().uuidString.lowercased(), generated: true) }
        guard !key.isEmpty, key.utf8.count <= 200, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw Problem(.validation, "Idempotency-Key must be 1 to 200 visible ASCII characters")
        }
        return Key(value: key, generated: false)
    }

    /// `If-Match: "<version>"` (a strong entity tag of the order's version).
    func ifMatch(_ request: Request) throws(Problem) -> Int64? {
        guard let value = request.headers[.ifMatch], !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 3, trimmed.hasPrefix("\""), trimmed.hasSuffix("\""),
              let version = Int64(trimmed.dropFirst().dropLast()), version >= 0 else {
            throw Problem(.validation, "If-Match must be the order's version as an entity tag, like \"3\"")
        }
        return version
    }

    private func check(identifier: String, field: String) throws(Problem) {
        guard FieldLimits.isValidIdentifier(identifier) else {
            throw Problem(.validation, "\(field) must be 1 to \(FieldLimits.maxIdentifierLength) characters of A-Z a-z 0-9 . _ : -")
        }
    }

    private func check(text: String, field: String, maxLength: Int) throws(Problem) {
        guard FieldLimits.isValidText(text, maxLength: maxLength) else {
            throw Problem(.validation, "\(field) must be 1 to \(maxLength) characters without control characters")
        }
    }

    private func isValidTraceparent(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        let hex = { (s: Substring, n: Int) in s.count == n && s.allSatisfy(\.isHexDigit) }
        return parts.count == 4 && hex(parts[0], 2) && hex(parts[1], 32) && hex(parts[2], 16) && hex(parts[3], 2)
    }

    /// RFC 9562 UUID version 5 (SHA-1 of namespace + name).
    static func uuidV5(namespace: UUID, name: String) -> UUID {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Data(name.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let traceparent = HTTPField.Name("traceparent")!
    /// Set on a command forwarded to its partition's owner: the owner never forwards it again.
    static let forwardedBy = HTTPField.Name("Orders-Forwarded-By")!
}
