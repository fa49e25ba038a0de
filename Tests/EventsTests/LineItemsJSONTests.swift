@testable import Events
import Foundation
import TestSupport
import Testing

/// An order's lines as the read model stores them: written as `JSONEncoder` writes them, read
/// back the same, whoever wrote them (PostgreSQL's `json_agg` spaces its output).
@Suite struct LineItemsJSONTests {
    @Test func writesWhatJSONEncoderWritesAndReadsItBack() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for seed in UInt64(1)...1_000 {
            var rng = SplitMix64(seed: seed)
            let items = (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                LineItem(
                    sku: PlainBodyEncoderTests.randomText(&rng), quantity: Int64.random(in: .min ... .max, using: &rng),
                    unitPrice: Int64.random(in: -5...1_000_000, using: &rng))
            }
            let written = LineItemsJSON.encode(items)
            #expect(Array(written.utf8) == Array(try encoder.encode(items)), "seed \(seed)")
            #expect(LineItemsJSON.decode(written) == items, "seed \(seed)")
        }
    }

    @Test func readsAnotherWritersSpacingAndKeyOrder() {
        let text = #"[{"quantity" : 2, "sku" : "a\"b", "unitPrice" : 150}, {"unitPrice":1,"sku":"\u00e9","quantity":3}]"#
        #expect(LineItemsJSON.decode(text) == [
            LineItem(sku: "a\"b", quantity: 2, unitPrice: 150), LineItem(sku: "é", quantity: 3, unitPrice: 1),
        ])
        #expect(LineItemsJSON.decode("[]") == [])
    }

    @Test(arguments: ["", "{}", "[", "[{}]", #"[{"sku":"a","quantity":1}]"#, #"[{"sku":"a","quantity":1.5,"unitPrice":1}]"#, "[] x"])
    func refusesWhatIsNotLines(_ text: String) {
        #expect(LineItemsJSON.decode(text) == nil)
    }
}
