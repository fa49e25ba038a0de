import Foundation
import NIOCore
@testable import OrderCommand
import TestSupport
import Testing

/// The fast path for command bodies must give exactly what JSONDecoder (with `Strict`'s field
/// checks) gives, or decline; and it must read what clients normally send.
@Suite struct CommandBodiesPlainTests {
    static let bodies = [
        #"{"customerId":"c-1","currency":"EUR","items":[{"sku":"A-1","quantity":2,"unitPrice":1250}]}"#,
        #"{"orderId":"o-1","customerId":"c-1","currency":"EUR","items":[]}"#,
        #"{"customerId":"c\/1","currency":"EUR","items":[{"sku":"A","quantity":1,"unitPrice":0},{"sku":"B","quantity":3,"unitPrice":5}]}"#,
        #"{"sku":"SKU-1","quantity":4,"unitPrice":50}"#,
        #"{"carrier":"DHL","trackingNumber":"JD0001"}"#,
        #"{"reason":"changed my mind"}"#,
        #"{}"#,
    ]

    /// Both readings of `text` as `T`: the fast path's (nil when it declines) and JSONDecoder's
    /// (nil when it is a problem), as descriptions to compare.
    static func readings<T: StrictBody>(_ text: [UInt8], as _: T.Type) -> (plain: String?, json: String?) {
        let buffer = ByteBuffer(bytes: text)
        let plain = CommandBodies.plainDecode(T.self, from: buffer).map { String(describing: $0) }
        let json: String? = (try? CommandBodies.jsonDecode(T.self, from: buffer)).map { String(describing: $0) }
        return (plain, json)
    }

    static func check(_ text: [UInt8], seed: UInt64) -> [String] {
        var disagreements: [String] = []
        func compare<T: StrictBody>(_ type: T.Type) {
            let (plain, json) = readings(text, as: type)
            if let plain, plain != json { disagreements.append("\(T.self) seed \(seed): plain \(plain), JSONDecoder \(json ?? "problem")") }
        }
        compare(CommandBodies.PlaceOrder.self)
        compare(CommandBodies.Item.self)
        compare(CommandBodies.Ship.self)
        compare(CommandBodies.Cancel.self)
        return disagreements
    }

    @Test func readsTheUsualBodies() {
        #expect(CommandBodies.plainDecode(CommandBodies.PlaceOrder.self, from: ByteBuffer(string: Self.bodies[0])) != nil)
        #expect(CommandBodies.plainDecode(CommandBodies.PlaceOrder.self, from: ByteBuffer(string: Self.bodies[1]))?.orderId == "o-1")
        #expect(CommandBodies.plainDecode(CommandBodies.PlaceOrder.self, from: ByteBuffer(string: Self.bodies[2]))?.customerId == "c/1")
        #expect(CommandBodies.plainDecode(CommandBodies.Item.self, from: ByteBuffer(string: Self.bodies[3]))?.quantity == 4)
        #expect(CommandBodies.plainDecode(CommandBodies.Ship.self, from: ByteBuffer(string: Self.bodies[4]))?.carrier == "DHL")
        #expect(CommandBodies.plainDecode(CommandBodies.Cancel.self, from: ByteBuffer(string: Self.bodies[5]))?.reason == "changed my mind")
        for text in Self.bodies { #expect(Self.check(Array(text.utf8), seed: 0) == []) }
    }

    @Test func declinesWhatJSONDecoderMustJudge() {
        for text in [#"{"sku":"A","quantity":1,"unitPrice":2,"extra":1}"#, #"{"sku":null,"quantity":1,"unitPrice":2}"#,
                     #"{"sku":"A","quantity":1.0,"unitPrice":2}"#, #"{"sku":"A","quantity":"1","unitPrice":2}"#,
                     #"{"sku":"A","quantity":1}"#, #"{"sku":"A","sku":"B","quantity":1,"unitPrice":2}"#, #"[]"#, "x"] {
            #expect(CommandBodies.plainDecode(CommandBodies.Item.self, from: ByteBuffer(string: text)) == nil, "\(text)")
        }
    }

    @Test func neverDisagreesWithJSONDecoderOnMutatedBodies() {
        let noise = Array(" \n\t{}[]:,\"\\-.0123456789eEnul/ub".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        for seed in UInt64(1)...6_000 {
            var rng = SplitMix64(seed: seed)
            var body = Array(Self.bodies.randomElement(using: &rng)!.utf8)
            for _ in 0..<Int.random(in: 0...3, using: &rng) where !body.isEmpty {
                let at = Int.random(in: 0..<body.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: body.insert(noise.randomElement(using: &rng)!, at: at)
                case 1: body[at] = noise.randomElement(using: &rng)!
                default: body.remove(at: at)
                }
            }
            let disagreements = Self.check(body, seed: seed)
            #expect(disagreements.isEmpty, "\(String(decoding: body, as: UTF8.self)): \(disagreements)")
        }
    }
}
