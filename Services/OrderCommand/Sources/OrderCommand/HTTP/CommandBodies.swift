import Events
import Foundation
import NIOCore

/// The JSON bodies of the command routes, parsed strictly: wrong types, missing fields,
/// unknown fields (a typo like `quantitiy` must not silently become a default) and values of
/// the wrong shape are all `validation` problems naming the field.
enum CommandBodies {
    struct PlaceOrder: StrictBody {
        var orderId: String?
        var customerId: String
        var currency: String
        var items: [Strict<Item>]
        static let fields: Set<String> = ["orderId", "customerId", "currency", "items"]
    }

    struct Item: StrictBody {
        var sku: String
        var quantity: Int64
        var unitPrice: Int64
        static let fields: Set<String> = ["sku", "quantity", "unitPrice"]

        var lineItem: LineItem { LineItem(sku: sku, quantity: quantity, unitPrice: unitPrice) }
    }

    struct Ship: StrictBody {
        var carrier: String
        var trackingNumber: String
        static let fields: Set<String> = ["carrier", "trackingNumber"]
    }

    struct Cancel: StrictBody {
        var reason: String
        static let fields: Set<String> = ["reason"]
    }

    private struct Empty: StrictBody {
        static let fields: Set<String> = []
        static func readPlain(_ reader: inout PlainJSONReader) -> Self? {
            reader.emptyObject() ? Empty() : nil
        }
    }

    /// At most this many items in one `POST /orders` body, whatever `maxLines` is (the body
    /// size limit bounds the parse; this bounds the checks that follow it).
    static let maxItemsInBody = 1_000

    /// Parses the body once, checking field names and nulls as it goes: plain JSON through
    /// `PlainJSONReader`, anything else (and every mistake) through JSONDecoder, which is the
    /// definition of what a body means and of the problem it gets.
    static func decode<T: StrictBody>(_ type: T.Type, from body: ByteBuffer) throws(Problem) -> T {
        guard body.readableBytes > 0 else { throw Problem(.validation, "a JSON object body is required") }
        if let plain = plainDecode(T.self, from: body) { return plain }
        return try jsonDecode(T.self, from: body)
    }

    /// The definition (and the slow path) of `decode`: JSONDecoder, with the field checks of `Strict`.
    static func jsonDecode<T: StrictBody>(_ type: T.Type, from body: ByteBuffer) throws(Problem) -> T {
        do {
            return try decoder.decode(Strict<T>.self, from: Data(body.readableBytesView)).body
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(.validation, describeDecodingError(error))
        }
    }

    /// Bodies of commands that take none: empty, or `{}`.
    static func requireEmpty(_ body: ByteBuffer) throws(Problem) {
        guard body.readableBytes > 0 else { return }
        _ = try decode(Empty.self, from: body)
    }

    private static let decoder = JSONDecoder()

    /// The fast path of `decode`: nil unless the body is plain JSON of exactly the allowed
    /// fields (see `PlainJSONReader`).
    static func plainDecode<T: StrictBody>(_ type: T.Type, from body: ByteBuffer) -> T? {
        body.withUnsafeReadableBytes { raw in
            raw.withMemoryRebound(to: UInt8.self) { bytes in
                var reader = PlainJSONReader(bytes)
                guard let value = T.readPlain(&reader), reader.atEnd() else { return nil }
                return value
            }
        }
    }
}

extension CommandBodies.PlaceOrder {
    static let plainKeys = ["orderId", "customerId", "currency", "items"].map { Array($0.utf8) }

    static func readPlain(_ reader: inout PlainJSONReader) -> Self? {
        var orderId: String?, customerId: String?, currency: String?, items: [Strict<CommandBodies.Item>] = []
        let ok = reader.object(keys: plainKeys, optional: 1 << 0) { r, key in
            switch key {
            case 0: orderId = r.string(); return orderId != nil
            case 1: customerId = r.string(); return customerId != nil
            case 2: currency = r.string(); return currency != nil
            default:
                return r.array { element in
                    guard let item = CommandBodies.Item.readPlain(&element) else { return false }
                    items.append(Strict(item))
                    return true
                }
            }
        }
        guard ok, let customerId, let currency else { return nil }
        return Self(orderId: orderId, customerId: customerId, currency: currency, items: items)
    }
}

extension CommandBodies.Item {
    static func readPlain(_ reader: inout PlainJSONReader) -> Self? {
        reader.lineItem().map { Self(sku: $0.sku, quantity: $0.quantity, unitPrice: $0.unitPrice) }
    }
}

extension CommandBodies.Ship {
    static let plainKeys = ["carrier", "trackingNumber"].map { Array($0.utf8) }

    static func readPlain(_ reader: inout PlainJSONReader) -> Self? {
        reader.strings(keys: plainKeys).map { Self(carrier: $0[0], trackingNumber: $0[1]) }
    }
}

extension CommandBodies.Cancel {
    static let plainKeys = [Array("reason".utf8)]

    static func readPlain(_ reader: inout PlainJSONReader) -> Self? {
        reader.strings(keys: plainKeys).map { Self(reason: $0[0]) }
    }
}

/// A body whose fields are exactly these (a typo like `quantitiy` must not silently become a
/// default), none of them null (an optional field is left out, never null).
protocol StrictBody: Decodable {
    static var fields: Set<String> { get }
    /// The body from plain JSON, or nil for JSONDecoder to judge (see `CommandBodies.decode`).
    static func readPlain(_ reader: inout PlainJSONReader) -> Self?
}

/// Decodes `Body` after checking the object's keys against `Body.fields`, in the same parse.
struct Strict<Body: StrictBody>: Decodable {
    var body: Body

    init(_ body: Body) { self.body = body }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let path = decoder.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.map { $0 + "." }.joined()
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            guard Body.fields.contains(key.stringValue) else {
                throw Problem(.validation, "unknown field \(path)\(key.stringValue); allowed: \(Body.fields.sorted().joined(separator: ", "))")
            }
            if try container.decodeNil(forKey: key) {
                throw Problem(.validation, "\(path)\(key.stringValue) must not be null; leave an optional field out instead")
            }
        }
        body = try Body(from: decoder)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
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
        if context.codingPath.isEmpty { return "the body must be a JSON object" }
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
    case is [Strict<CommandBodies.Item>].Type: "an array"
    default: "of another type"
    }
}
