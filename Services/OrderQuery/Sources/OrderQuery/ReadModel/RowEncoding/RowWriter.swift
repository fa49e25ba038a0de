import Foundation
import SQLStore
import Events

/// Where `RowEncoder` writes a row's fields: binary COPY rows, or bound values.
protocol RowWriter {
    mutating func append(_ value: Int64)
    mutating func append(_ value: Int64?)
    mutating func append(_ text: String)
    mutating func append(_ text: String?)
    /// An id in its canonical lower-case form.
    mutating func append(lowercased id: UUID)
    /// An event's body as JSON (`EventCodec.encodeBody`).
    mutating func append(body: OrderEvent)
    /// An order's lines as JSON (`LineItemsJSON`).
    mutating func append(items: [LineItem])
    mutating func endRow()
}

extension BinaryCopyRows: RowWriter {
    mutating func append(lowercased id: UUID) {
        id.withLowercasedUTF8 { append(utf8: $0) }
    }

    mutating func append(body: OrderEvent) {
        append(utf8Building: { EventCodec.encodeBody(body, into: &$0) })
    }

    mutating func append(items: [LineItem]) {
        append(utf8Building: { LineItemsJSON.encode(items, into: &$0) })
    }
}

/// Rows as values to bind (SQLite, and PostgreSQL's one-statement batches).
struct ValueRows: RowWriter {
    private(set) var rows: [[SQLValue]] = []
    private var row: [SQLValue] = []

    mutating func append(_ value: Int64) { row.append(.int(value)) }
    mutating func append(_ value: Int64?) { row.append(SQLValue(value)) }
    mutating func append(_ text: String) { row.append(.text(text)) }
    mutating func append(_ text: String?) { row.append(SQLValue(text)) }
    mutating func append(lowercased id: UUID) { row.append(.text(id.lowercasedString)) }
    mutating func append(body: OrderEvent) { row.append(.text(String(decoding: EventCodec.encodeBody(body), as: UTF8.self))) }
    mutating func append(items: [LineItem]) { row.append(.text(LineItemsJSON.encode(items))) }

    mutating func endRow() {
        rows.append(row)
        row.removeAll(keepingCapacity: true)
    }
}
