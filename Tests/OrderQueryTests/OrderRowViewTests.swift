import Events
import Testing

@testable import OrderQuery

/// The read side's core in the View shape: given an order's events in effect, then its row.
/// No database, no Kafka.
@Suite struct OrderRowViewTests {
    let view = OrderRowView.view(partition: 4)

    func recorded(_ event: OrderEvent, version: Int64, at ms: Int64) -> RecordedEvent {
        RecordedEvent(event: event, orderId: "o-1", version: version, commandId: "c-\(version)",
                      occurredAt: Timestamp(millisecondsSinceEpoch: ms))
    }

    var placed: RecordedEvent {
        recorded(.placed(OrderPlaced(customerId: "alice", currency: "EUR", items: [LineItem(sku: "TEA", quantity: 2, unitPrice: 450)])),
                 version: 1, at: 1_000)
    }

    @Test func givenNoEventsThenNoRow() {
        #expect(view.fold([]) == nil)
    }

    @Test func givenThePlacementThenARowPlacedAndChangedThen() throws {
        let row = try #require(view.fold([placed]))
        #expect(row.orderId == "o-1" && row.partition == 4)
        #expect(row.state.status == .placed && row.state.version == 1 && row.state.customerId == "alice")
        #expect(row.total == 900 && row.itemCount == 2)
        #expect(row.placedAt.millisecondsSinceEpoch == 1_000 && row.updatedAt.millisecondsSinceEpoch == 1_000)
    }

    @Test func givenTheLifecycleThenTheRowFollowsItAndKeepsWhenItWasPlaced() throws {
        let row = try #require(view.fold([
            placed,
            recorded(.itemAdded(ItemAdded(sku: "CUP", quantity: 1, unitPrice: 1200)), version: 2, at: 2_000),
            recorded(.confirmed(OrderConfirmed(total: 2100)), version: 3, at: 3_000),
            recorded(.shipped(OrderShipped(carrier: "DHL", trackingNumber: "JD1")), version: 4, at: 4_000),
        ]))
        #expect(row.state.status == .shipped && row.state.version == 4)
        #expect(row.total == 2100 && row.itemCount == 3 && row.state.items.count == 2)
        #expect(row.state.shipping == Shipping(carrier: "DHL", trackingNumber: "JD1"))
        #expect(row.placedAt.millisecondsSinceEpoch == 1_000 && row.updatedAt.millisecondsSinceEpoch == 4_000)
    }

    @Test func theViewIsWhatTheBatchProjectionWrites() throws {
        // The same events through the projection of a batch (the hot path, in place) and through
        // the view give the same row.
        var log = LogBuilder()
        log.append(LogBuilder.place, order: "o-1", version: 1)
        log.append(LogBuilder.addB, order: "o-1", version: 2)
        let projection = BatchProjection(records: log.records, before: [:], partitionOf: { _ in 0 })
        let events = log.records.compactMap { try? EventCodec.decode($0.record) }
        let row = try #require(OrderRowView.view(partition: 0).fold(events))
        #expect(projection.orders["o-1"] == row)
    }
}
