import Events
import Foundation
import NIOCore

/// The JSON bodies of the command routes, parsed strictly: wrong types, missing fields,
/// unknown fields (a typo like `quantitiy` must not silently become a default) and values of
/// the wrong shape are all `validation` problems naming the field.
enum CommandBodies {
    struct PlaceOrder: Decodable {
        var orderId: String?
        var customerId: String
        var currency: String
        var items: [Item]
        static let fields: Set<String> = ["orderId", "customerId", "currency", "items"]
    }

    struct Item: Decodable {
        var sku: String
        var quantity: Int64
        var unitPrice: Int64
        static let fields: Set<String> = ["sku", "quantity", "unitPrice"]

        var lineItem: LineItem { LineItem(sku: sku, quantity: quantity, unitPrice: unitPrice) }
    }

    struct Ship: Decodable {
        var carrier: String
        var trackingNumber: String
        static let fields: Set<String> = ["carrier", "trackingNumber"]
    }

    struct Cancel: Decodable {
        var reason: String
        static let fields: Set<String> = ["reason"]
    }

    /// At most this many items in one `POST /orders` body, whatever `maxLines` is, so a body
    /// cannot make the server do unbounded work before the rules are even checked.
    static let maxItemsInBody = 1_000

    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, fields: Set<String>, nested: [String: Set<String>] = [:]) throws(Problem) -> T {
        guard body.readableBytes > 0 else { throw Problem(.validation, "a JSON object body is required") }
        let data = Data(body.readableBytesView)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Problem(.validation, "the body is not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else { throw Problem(.validation, "the body must be a JSON object") }
        try checkFields(dictionary, allowed: fields, path: "")
        for (key, allowed) in nested {
            if let array = dictionary[key] as? [Any] {
                if array.count > maxItemsInBody {
                    throw Problem(.validation, "\(key) has \(array.count) entries; at most \(maxItemsInBody)")
                }
                for (index, element) in array.enumerated() {
                    guard let inner = element as? [String: Any] else { throw Problem(.validation, "\(key).\(index) must be a JSON object") }
                    try checkFields(inner, allowed: allowed, path: "\(key).\(index).")
                }
            }
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw Problem(.validation, describeDecodingError(error))
        }
    }

    /// Bodies of commands that take none: empty, or `{}`.
    static func requireEmpty(_ body: ByteBuffer) throws(Problem) {
        guard body.readableBytes > 0 else { return }
        let _: Empty = try decode(Empty.self, from: body, fields: [])
    }

    private struct Empty: Decodable {}

    private static func checkFields(_ dictionary: [String: Any], allowed: Set<String>, path: String) throws(Problem) {
        if let unknown = dictionary.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Problem(.validation, "unknown field \(path)\(unknown); allowed: \(allowed.sorted().joined(separator: ", "))")
        }
        // An optional field is left out, never null: null is not a value of any field here.
        if let null = dictionary.keys.sorted().first(where: { dictionary[$0] is NSNull }) {
            throw Problem(.validation, "\(path)\(null) must not be null; leave an optional field out instead")
        }
    }
}

/// A decoding failure as `field: what is wrong`.
func describeDecodingError(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "the body does not match the expected shape" }
    func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
        let prefix = path(context.codingPath)
        return "\(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue) is required"
    case .typeMismatch(let type, let context):
        return "\(path(context.codingPath)) must be \(typeName(type))"
    case .valueNotFound(let type, let context):
        return "\(path(context.codingPath)) must be \(typeName(type)), not null"
    case .dataCorrupted(let context):
        let where_ = path(context.codingPath)
        return where_.isEmpty ? "the body is not valid JSON" : "\(where_) is invalid (an integer in the 64-bit range is expected)"
    @unknown default:
        return "the body does not match the expected shape"
    }
}

private func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int64.Type, is Int.Type: "an integer"
    case is [CommandBodies.Item].Type: "an array"
    default: "of another type"
    }
}
