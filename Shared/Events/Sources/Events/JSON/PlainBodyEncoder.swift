/// Event bodies as `JSONEncoder` writes them (sorted keys, slashes unescaped), without it: the
/// bytes of the log are the same, only cheaper to make (see `JSONByteWriter`).
enum PlainBodyEncoder {
    static func encode(_ event: OrderEvent) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        encode(event, into: &bytes)
        return bytes
    }

    static func encode(_ event: OrderEvent, into bytes: inout [UInt8]) {
        var w = JSONByteWriter(reusing: &bytes)
        w.beginObject()
        switch event {
        case .placed(let body):
            w.key("currency"); w.string(body.currency)
            w.key("customerId"); w.string(body.customerId)
            w.key("items")
            LineItemsJSON.write(body.items, &w)
        case .itemAdded(let body):
            LineItemsJSON.writeFields(of: body.item, &w)
        case .itemRemoved(let body):
            w.key("sku"); w.string(body.sku)
        case .confirmed(let body):
            w.key("total"); w.int(body.total)
        case .shipped(let body):
            w.key("carrier"); w.string(body.carrier)
            w.key("trackingNumber"); w.string(body.trackingNumber)
        case .delivered:
            break
        case .cancelled(let body):
            w.key("reason"); w.string(body.reason)
        }
        w.endObject()
        w.finish(into: &bytes)
    }
}
