import Events
import Testing

@Suite struct FoldRuleTests {
    func fold(_ records: [EventRecord], partitionOf: @escaping @Sendable (String) -> Int32 = onePartition) -> (PartitionFold, [FoldVerdict]) {
        var fold = PartitionFold(partition: 0, partitionOf: partitionOf)
        let verdicts = records.map { fold.fold($0) }
        return (fold, verdicts)
    }

    @Test func consecutiveVersionsAreInEffect() {
        let records = [recorded(placed, version: 1), recorded(confirmed, version: 2)].map(EventCodec.encode)
        let (fold, verdicts) = fold(records)
        #expect(verdicts == [.inEffect(recorded(placed, version: 1)), .inEffect(recorded(confirmed, version: 2))])
        #expect(fold.state(of: "order-1").version == 2)
        #expect(fold.state(of: "order-1").status == .confirmed)
    }

    @Test func aRepeatedVersionIsVoid() {
        // Two writers decided against version 1; the second event to land is void.
        let records = [
            recorded(placed, version: 1), recorded(confirmed, version: 2),
            recorded(cancelledEvent, version: 2, commandId: "other-writer"),
        ].map(EventCodec.encode)
        let (fold, verdicts) = fold(records)
        #expect(verdicts[2] == .void(.versionNotNext(expected: 3, found: 2)))
        #expect(fold.state(of: "order-1").status == .confirmed)
        #expect(fold.voidCount == 1)
        #expect(fold.inEffectCount == 2)
    }

    @Test func aGapIsVoid() {
        let (fold, verdicts) = fold([recorded(placed, version: 1), recorded(shipped, version: 3)].map(EventCodec.encode))
        #expect(verdicts[1] == .void(.versionNotNext(expected: 2, found: 3)))
        #expect(fold.state(of: "order-1").version == 1)
    }

    @Test func aNewOrderStartsAtOne() {
        let (_, verdicts) = fold([EventCodec.encode(recorded(placed, version: 2))])
        #expect(verdicts == [.void(.versionNotNext(expected: 1, found: 2))])
    }

    @Test func ordersAreIndependent() {
        let records = [
            recorded(placed, orderId: "a", version: 1), recorded(placed, orderId: "b", version: 1),
            recorded(confirmed, orderId: "a", version: 2),
        ].map(EventCodec.encode)
        let (fold, verdicts) = fold(records)
        #expect(verdicts.allSatisfy { if case .inEffect = $0 { true } else { false } })
        #expect(fold.state(of: "a").version == 2)
        #expect(fold.state(of: "b").version == 1)
    }

    @Test func aKeyOfAnotherPartitionIsVoid() {
        let (fold, verdicts) = fold([EventCodec.encode(recorded(placed, version: 1))], partitionOf: { _ in 4 })
        #expect(verdicts == [.void(.wrongPartition(expected: 4))])
        #expect(!fold.state(of: "order-1").exists)
    }

    @Test func aRecordWithoutKeyIsVoid() {
        var record = EventCodec.encode(recorded(placed, version: 1))
        record.key = nil
        #expect(fold([record]).1 == [.void(.noOrderKey)])
        record.key = [0xFF, 0xFE]
        #expect(fold([record]).1 == [.void(.noOrderKey)])
    }

    /// A void record is never read further: garbage from a foreign writer does not stop the partition.
    @Test func aVoidRecordIsNotDecoded() {
        var garbage = EventCodec.encode(recorded(placed, version: 5))
        garbage.value = Array("not json".utf8)
        garbage.headers.removeAll { $0.name == EventHeader.eventType }
        #expect(fold([garbage]).1 == [.void(.versionNotNext(expected: 1, found: 5))])
    }

    @Test func anUnreadableEventInPositionIsUnreadable() {
        var bad = EventCodec.encode(recorded(placed, version: 1))
        bad.value = Array(#"{"customerId": 7}"#.utf8)
        let (fold, verdicts) = fold([bad])
        guard case .unreadable(.malformedBody(.orderPlaced, schemaVersion: 2, _)) = verdicts[0] else {
            Issue.record("expected a malformed body, got \(verdicts[0])")
            return
        }
        #expect(!fold.state(of: "order-1").exists)
    }

    @Test func aMissingVersionIsUnreadable() {
        var record = EventCodec.encode(recorded(placed, version: 1))
        record.headers.removeAll { $0.name == EventHeader.aggregateVersion }
        #expect(fold([record]).1 == [.unreadable(.missingHeader(EventHeader.aggregateVersion))])
        record.headers.append(.init(EventHeader.aggregateVersion, "0"))
        #expect(fold([record]).1 == [.unreadable(.malformedHeader(name: EventHeader.aggregateVersion, value: "0"))])
    }
}
