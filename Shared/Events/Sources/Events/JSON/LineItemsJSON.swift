import Foundation

/// An order's lines as one JSON array, `[{"quantity","sku","unitPrice"}, …]` in line order, the
/// way OrderPlaced's `items` are written in the log. The read model keeps an order's lines
/// this way, as a column of the order's row: a line table cost a row (and an index entry) per
/// line, 640,000 of the 1.74 million rows a rebuild of 1,000,000 events stored.
public enum LineItemsJSON {
    public static func encode(_ items: [LineItem], into bytes: inout [UInt8]) {
        var w = JSONByteWriter(reusing: &bytes)
        write(items, &w)
        w.finish(into: &bytes)
    }

    public static func encode(_ items: [LineItem]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 + items.count * 48)
        encode(items, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The lines, read strictly (`PlainJSONReader`), or by `JSONDecoder` when not plain
    /// (whitespace and key order as another writer put them, a `\u` escape); nil if neither
    /// reads them.
    public static func decode(_ text: String) -> [LineItem]? {
        var text = text
        return text.withUTF8 { buffer -> [LineItem]? in
            var reader = PlainJSONReader(buffer)
            if let items = reader.lineItems(), reader.atEnd() { return items }
            return try? JSONDecoder().decode([LineItem].self, from: Data(buffer))
        }
    }

    static func write(_ items: [LineItem], _ w: inout JSONByteWriter) {
        w.beginArray()
        for item in items {
            w.beginObject()
            writeFields(of: item, &w)
            w.endObject()
        }
        w.endArray()
    }

    /// A line's fields in sorted key order, inside an object the caller opened (ItemAdded's
    /// body is one line's fields alone).
    static func writeFields(of item: LineItem, _ w: inout JSONByteWriter) {
        w.key("quantity"); w.int(item.quantity)
        w.key("sku"); w.string(item.sku)
        w.key("unitPrice"); w.int(item.unitPrice)
    }
}
