@testable import Events
import Foundation
import TestSupport
import Testing

/// The fast path for event bodies must never disagree with `JSONDecoder`: it either gives
/// JSONDecoder's value or declines (nil), and it must not decline what the writers write.
@Suite struct PlainBodyDecoderTests {
    static let strings = ["", "a", "SKU-1", "a/b", "\"x\"", "back\\slash", "tab\there", "line\nbreak", "ünïcødé", "€ 5", "😀",
                          "nul\u{0}", "bell\u{7}", "  spaced  ", "{\"json\":1}"]
    static let numbers: [Int64] = [0, 1, -1, 7, 1_250, 999_999, Int64.max, Int64.min + 1, Int64.min, -42]

    static func randomEvent(_ rng: inout SplitMix64) -> OrderEvent {
        func text() -> String { strings.randomElement(using: &rng)! }
        func number() -> Int64 { numbers.randomElement(using: &rng)! }
        func item() -> LineItem { LineItem(sku: text(), quantity: number(), unitPrice: number()) }
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: return .placed(OrderPlaced(customerId: text(), currency: text(), items: (0..<Int.random(in: 0...4, using: &rng)).map { _ in item() }))
        case 1: return .itemAdded(ItemAdded(item()))
        case 2: return .itemRemoved(ItemRemoved(sku: text()))
        case 3: return .confirmed(OrderConfirmed(total: number()))
        case 4: return .shipped(OrderShipped(carrier: text(), trackingNumber: text()))
        case 5: return .delivered(OrderDelivered())
        default: return .cancelled(OrderCancelled(reason: text()))
        }
    }

    /// JSONDecoder's reading of a body (the reference), nil when it throws.
    static func reference(_ bytes: [UInt8], type: EventType) -> OrderEvent? {
        let data = Data(bytes), decoder = JSONDecoder()
        switch type {
        case .orderPlaced: return (try? decoder.decode(OrderPlaced.self, from: data)).map(OrderEvent.placed)
        case .itemAdded: return (try? decoder.decode(ItemAdded.self, from: data)).map(OrderEvent.itemAdded)
        case .itemRemoved: return (try? decoder.decode(ItemRemoved.self, from: data)).map(OrderEvent.itemRemoved)
        case .orderConfirmed: return (try? decoder.decode(OrderConfirmed.self, from: data)).map(OrderEvent.confirmed)
        case .orderShipped: return (try? decoder.decode(OrderShipped.self, from: data)).map(OrderEvent.shipped)
        case .orderDelivered: return (try? decoder.decode(OrderDelivered.self, from: data)).map(OrderEvent.delivered)
        case .orderCancelled: return (try? decoder.decode(OrderCancelled.self, from: data)).map(OrderEvent.cancelled)
        }
    }

    static func fast(_ bytes: [UInt8], _ type: EventType) -> OrderEvent? {
        PlainBodyDecoder.decode(bytes, type: type, schemaVersion: type.currentSchemaVersion)
    }

    @Test func readsWhatTheWritersWrite() {
        var declined = 0
        for seed in UInt64(1)...2_000 {
            var rng = SplitMix64(seed: seed)
            let event = Self.randomEvent(&rng)
            let body = EventCodec.encodeBody(event)
            let fast = Self.fast(body, event.type)
            #expect(fast == nil || fast == event, "seed \(seed): \(String(decoding: body, as: UTF8.self))")
            if fast == nil {
                declined += 1
                // Only a \u escape (control characters) or Int64.min may send a body to JSONDecoder.
                let text = String(decoding: body, as: UTF8.self)
                #expect(text.contains("\\u") || text.contains(String(Int64.min)), "seed \(seed) declined: \(text)")
            }
        }
        #expect(declined < 1_000, "the fast path declined \(declined) of 2,000 canonical bodies")
    }

    @Test func neverDisagreesWithJSONDecoderOnMutatedBodies() {
        // Bodies reshaped (whitespace, key order, extra or repeated keys) and then damaged byte by byte.
        let noise: [UInt8] = Array(" \n\t\r{}[]:,\"\\-.0123456789eEtrufalsn/ubé".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        for seed in UInt64(1)...6_000 {
            var rng = SplitMix64(seed: seed)
            let event = Self.randomEvent(&rng)
            var body = EventCodec.encodeBody(event)
            for _ in 0..<Int.random(in: 0...3, using: &rng) where !body.isEmpty {
                let at = Int.random(in: 0...body.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: body.insert(noise.randomElement(using: &rng)!, at: at)
                case 1 where at < body.count: body[at] = noise.randomElement(using: &rng)!
                case 2 where at < body.count: body.remove(at: at)
                default: body.insert(contentsOf: Array(" ".utf8), at: at)
                }
            }
            let fast = Self.fast(body, event.type)
            let reference = Self.reference(body, type: event.type)
            #expect(fast == nil || fast == reference, "seed \(seed): \(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test func declinesWhatOnlyJSONDecoderMayJudge() {
        let cases: [(String, EventType)] = [
            (#"{"total":1.0}"#, .orderConfirmed),                 // a fraction
            (#"{"total":1e3}"#, .orderConfirmed),                 // an exponent
            (#"{"total":01}"#, .orderConfirmed),                  // a leading zero (invalid)
            (#"{"total":99999999999999999999}"#, .orderConfirmed), // too big for Int64
            (#"{"total":"5"}"#, .orderConfirmed),                 // a string for a number
            (#"{"total":5,"total":6}"#, .orderConfirmed),         // a repeated key
            (#"{"total":5,"extra":true}"#, .orderConfirmed),      // an unknown key
            (#"{"total":null}"#, .orderConfirmed),
            (#"{}"#, .orderConfirmed),                            // a missing key
            (#"{"total":5} x"#, .orderConfirmed),                 // trailing garbage
            (#"{"reason":"\u0041"}"#, .orderCancelled),           // a \u escape
            (#"{"reason":"a"#, .orderCancelled),                  // unterminated
            (#"{"x":1}"#, .orderDelivered),
            (#"{"sku":"a","quantity":1}"#, .itemAdded),
        ]
        for (text, type) in cases {
            #expect(Self.fast(Array(text.utf8), type) == nil, "\(text)")
        }
        #expect(Self.fast(Array("{\"reason\":\"\u{FF}\"}".utf8).map { $0 == 0xC3 ? 0xFF : $0 }, .orderCancelled) == nil)  // not UTF-8
    }

    @Test func acceptsJSONWhitespaceAndAnyKeyOrder() {
        let body = Array(" {\n\t\"unitPrice\" : -5 ,\r\"sku\":\"a\\/b\\n\", \"quantity\":0 } \n".utf8)
        #expect(Self.fast(body, .itemAdded) == .itemAdded(ItemAdded(sku: "a/b\n", quantity: 0, unitPrice: -5)))
        #expect(Self.fast(body, .itemAdded) == Self.reference(body, type: .itemAdded))
    }
}
