@testable import Events
import Foundation
import TestSupport
import Testing

/// The log's bytes must not change with the writer: `PlainBodyEncoder` and `JSONByteWriter`
/// write exactly what `JSONEncoder` (sorted keys, slashes unescaped) writes.
@Suite struct PlainBodyEncoderTests {
    static func jsonEncoder(_ event: OrderEvent) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        switch event {
        case .placed(let body): data = try! encoder.encode(body)
        case .itemAdded(let body): data = try! encoder.encode(body)
        case .itemRemoved(let body): data = try! encoder.encode(body)
        case .confirmed(let body): data = try! encoder.encode(body)
        case .shipped(let body): data = try! encoder.encode(body)
        case .delivered(let body): data = try! encoder.encode(body)
        case .cancelled(let body): data = try! encoder.encode(body)
        }
        return Array(data)
    }

    /// A string of random scalars: every ASCII one (controls, quote, backslash, slash, DEL)
    /// and some of two, three and four UTF-8 bytes.
    static func randomText(_ rng: inout SplitMix64) -> String {
        let ranges: [ClosedRange<UInt32>] = [0...0x7F, 0...0x20, 0x80...0x7FF, 0x800...0xFFFF, 0x10000...0x10FFFF]
        var text = ""
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            let range = ranges.randomElement(using: &rng)!
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &rng)) { text.unicodeScalars.append(scalar) }
        }
        return text
    }

    @Test func writesWhatJSONEncoderWrites() {
        for seed in UInt64(1)...3_000 {
            var rng = SplitMix64(seed: seed)
            func text() -> String { Self.randomText(&rng) }
            func number() -> Int64 { Bool.random(using: &rng) ? Int64.random(in: -1_000...1_000, using: &rng) : Int64.random(in: .min ... .max, using: &rng) }
            func item() -> LineItem { LineItem(sku: text(), quantity: number(), unitPrice: number()) }
            let event: OrderEvent = switch seed % 7 {
            case 0: .placed(OrderPlaced(customerId: text(), currency: text(), items: (0..<Int.random(in: 0...3, using: &rng)).map { _ in item() }))
            case 1: .itemAdded(ItemAdded(item()))
            case 2: .itemRemoved(ItemRemoved(sku: text()))
            case 3: .confirmed(OrderConfirmed(total: number()))
            case 4: .shipped(OrderShipped(carrier: text(), trackingNumber: text()))
            case 5: .delivered(OrderDelivered())
            default: .cancelled(OrderCancelled(reason: text()))
            }
            let plain = EventCodec.encodeBody(event)
            #expect(plain == Self.jsonEncoder(event), "seed \(seed): \(String(decoding: plain, as: UTF8.self))")
        }
    }

    @Test func writerKeepsNestingAndCommas() {
        var w = JSONByteWriter()
        w.beginObject()
        w.key("a"); w.beginArray(); w.int(1); w.beginObject(); w.endObject(); w.string("x"); w.endArray()
        w.key("b"); w.beginObject(); w.key("c"); w.int(-2); w.endObject()
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"a":[1,{},"x"],"b":{"c":-2}}"#)
    }
}
