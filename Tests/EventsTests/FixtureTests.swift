import Events
import Foundation
import Testing

/// Committed records: today's encoder must write exactly `golden-events.jsonl` (which the
/// interop suite validates against the JSON Schemas), and records written by schema version 1
/// (`v1-events.jsonl`) must still be read, upcast, and folded.
@Suite struct FixtureTests {
    /// One of each event type, as two orders' lifecycles, in a fixed envelope.
    static var goldenEvents: [RecordedEvent] {
        let a: [OrderEvent] = [
            placed, .itemAdded(ItemAdded(sku: "SKU-3", quantity: 4, unitPrice: 50)), .itemRemoved(ItemRemoved(sku: "SKU-2")),
            .confirmed(OrderConfirmed(total: 2_700)), shipped, delivered,
        ]
        let b: [OrderEvent] = [placedEmpty, .cancelled(OrderCancelled(reason: "Doppelt bestellt – «sorry» \u{1F4E6}"))]
        return a.enumerated().map { recorded($1, orderId: "order-a", version: Int64($0 + 1)) }
            + b.enumerated().map { recorded($1, orderId: "order-b", version: Int64($0 + 1)) }
    }

    @Test func theEncoderWritesTheGoldenRecords() throws {
        let rendered = try FixtureFile.render(Self.goldenEvents.map(EventCodec.encode))
        let url = fixturesDirectory.appendingPathComponent("golden-events.jsonl")
        if ProcessInfo.processInfo.environment["UPDATE_FIXTURES"] == "1" {
            try rendered.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == rendered, "run with UPDATE_FIXTURES=1 after a deliberate change")
        // and they read back as what was written
        #expect(try FixtureFile.read("golden-events.jsonl").map { try EventCodec.decode($0) } == Self.goldenEvents)
    }

    /// The golden records as written before events recorded their actor (no `actor` header):
    /// they read as the same events without an actor, and fold as before.
    @Test func recordsWrittenBeforeActorsReadWithoutOne() throws {
        let records = try FixtureFile.read("pre-actor-events.jsonl")
        #expect(records.allSatisfy { $0.header(EventHeader.actor) == nil })
        let decoded = try records.map { try EventCodec.decode($0) }
        #expect(decoded.allSatisfy { $0.envelope.actor == nil })
        #expect(decoded == Self.goldenEvents.map { var event = $0; event.envelope.actor = nil; return event })
        var fold = PartitionFold(partition: 0, partitionOf: onePartition)
        for record in records {
            guard case .inEffect = fold.fold(record) else {
                Issue.record("a record written before actors was not in effect")
                return
            }
        }
        #expect(fold.state(of: "order-a").status == .delivered)
        #expect(fold.state(of: "order-b").status == .cancelled)
    }

    @Test func coversEveryEventType() {
        #expect(Set(Self.goldenEvents.map(\.envelope.eventType)) == Set(EventType.allCases))
    }

    @Test func version1RecordsAreUpcastAndFolded() throws {
        let records = try FixtureFile.read("v1-events.jsonl")
        let first = try EventCodec.decode(records[0])
        #expect(first.envelope.schemaVersion == 1)
        #expect(first.event == .placed(OrderPlaced(customerId: "cust-7", currency: "CHF", items: [
            LineItem(sku: "TEA-GREEN", quantity: 3, unitPrice: 450), LineItem(sku: "MUG", quantity: 1, unitPrice: 1_200),
        ])))
        var fold = PartitionFold(partition: 0, partitionOf: onePartition)
        for record in records {
            guard case .inEffect = fold.fold(record) else {
                Issue.record("a v1 record was not in effect")
                return
            }
        }
        let order = fold.state(of: "legacy-1")
        #expect(order.version == 3)
        #expect(order.status == .confirmed)
        #expect(order.items.count == 3)
        #expect(order.confirmedTotal == 2_550)
        #expect(order.total == 2_550)
    }
}
