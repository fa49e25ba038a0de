import SQLStore
import Events
import Testing

@testable import OrderQuery

/// The projection of one batch, without a database: the fold rule decides, rows follow.
@Suite struct BatchProjectionTests {
    @Test func eventsInEffectBuildTheRowAndTheHistory() {
        var log = LogBuilder()
        log.append(LogBuilder.place, order: "o-1", version: 1)
        log.append(LogBuilder.addB, order: "o-1", version: 2)
        log.append(LogBuilder.confirm, order: "o-1", version: 3)
        let projection = BatchProjection(records: log.records, before: [:], partitionOf: log.partitionOf)
        let row = try! #require(projection.orders["o-1"])
        #expect(row.state.version == 3)
        #expect(row.state.status == .confirmed)
        #expect(row.state.items.map(\.sku) == ["A", "B"])
        #expect(row.total == 1300)
        #expect(row.itemCount == 3)
        #expect(row.placedAt.millisecondsSinceEpoch == log.clock - 2)
        #expect(row.updatedAt.millisecondsSinceEpoch == log.clock)
        #expect(projection.events.map(\.row.version) == [1, 2, 3])
        #expect(projection.events.map(\.row.status) == ["placed", "placed", "confirmed"])
        #expect(projection.nextOffsets == [0: 3])
        #expect(projection.voidCount == 0)
    }

    @Test func voidEventsAreSkippedAndCountedByReason() {
        var log = LogBuilder(partitionOf: { $0 == "o-2" ? 1 : 0 })
        log.append(LogBuilder.place, order: "o-1", version: 1)
        log.append(LogBuilder.addB, order: "o-1", version: 1)  // a second writer's repeat
        log.append(LogBuilder.addB, order: "o-1", version: 5)  // a gap
        log.append(LogBuilder.place, order: "o-2", version: 1, partition: 0)  // the wrong partition
        let projection = BatchProjection(records: log.records, before: [:], partitionOf: log.partitionOf)
        #expect(projection.orders.keys.sorted() == ["o-1"])
        #expect(projection.orders["o-1"]?.state.items.map(\.sku) == ["A"])
        #expect(projection.voidEvents == ["version-not-next": 2, "wrong-partition": 1])
        #expect(projection.nextOffsets == [0: 4])
    }

    @Test func onlyOrdersWithoutARowBeforeAreNew() {
        var first = LogBuilder()
        first.append(LogBuilder.place, order: "o-1", version: 1)
        let stored = BatchProjection(records: first.records, before: [:], partitionOf: first.partitionOf)
        #expect(stored.newOrders == ["o-1"])
        var log = LogBuilder()
        log.append(LogBuilder.addB, order: "o-1", version: 2)
        log.append(LogBuilder.place, order: "o-2", version: 1)
        log.append(LogBuilder.addB, order: "o-3", version: 2)  // void: no version 1 before it
        let projection = BatchProjection(records: log.records, before: stored.orders, partitionOf: log.partitionOf)
        #expect(projection.newOrders == ["o-2"])
        let rows = BatchValueRows(projection)
        #expect(rows.orders.map { $0[0] } == [.text("o-1"), .text("o-2")])
        #expect(rows.orderIsNew == [false, true])
    }

    @Test func theBatchContinuesFromTheRowsBeforeIt() {
        var log = LogBuilder()
        log.append(LogBuilder.place, order: "o-1", version: 1)
        let first = BatchProjection(records: log.records, before: [:], partitionOf: log.partitionOf)
        log.records.removeAll()
        log.append(LogBuilder.addB, order: "o-1", version: 2)
        log.append(LogBuilder.addB, order: "o-1", version: 1)  // void: version 1 is taken
        let second = BatchProjection(records: log.records, before: first.orders, partitionOf: log.partitionOf)
        #expect(second.orders["o-1"]?.state.version == 2)
        #expect(second.orders["o-1"]?.placedAt == first.orders["o-1"]?.placedAt)
        #expect(second.voidCount == 1)
    }

    @Test func anUnreadableEventStopsItsPartitionOnly() {
        var log = LogBuilder(partitionOf: { $0 == "o-2" ? 1 : 0 })
        log.append(LogBuilder.place, order: "o-1", version: 1)
        log.append(LogBuilder.addB, order: "o-1", version: 2, body: Array("{not json".utf8))
        log.append(LogBuilder.confirm, order: "o-1", version: 3)
        log.append(LogBuilder.place, order: "o-2", version: 1)
        let projection = BatchProjection(records: log.records, before: [:], partitionOf: log.partitionOf)
        #expect(projection.stopped[0]?.offset == 1)
        // Stays at the unreadable event: never folded past.
        #expect(projection.nextOffsets[0] == 1)
        #expect(projection.orders["o-1"]?.state.version == 1)
        #expect(projection.orders["o-2"]?.state.version == 1)
        #expect(projection.nextOffsets[1] == 1)
    }

    /// Partitions interleaved in runs, one stopping in the middle of its second run.
    @Test func eachPartitionsNextOffsetFollowsItsLastRecord() {
        var log = LogBuilder(partitionOf: { $0.hasPrefix("b") ? 1 : 0 })
        log.append(LogBuilder.place, order: "a-1", version: 1)
        log.append(LogBuilder.place, order: "a-2", version: 1)
        log.append(LogBuilder.place, order: "b-1", version: 1)
        log.append(LogBuilder.addB, order: "a-1", version: 2)
        log.append(LogBuilder.addB, order: "b-1", version: 2)
        log.append(LogBuilder.addB, order: "b-1", version: 3, body: Array("{not json".utf8))
        log.append(LogBuilder.confirm, order: "b-1", version: 3)
        log.append(LogBuilder.place, order: "a-3", version: 1)
        log.append(LogBuilder.addB, order: "a-3", version: 9)  // void: still moves the offset
        let projection = BatchProjection(records: log.records, before: [:], partitionOf: log.partitionOf)
        #expect(projection.nextOffsets == [0: 5, 1: 2])
        #expect(projection.stopped[1]?.offset == 2)
        #expect(projection.inEffectCount == 6)
    }

    @Test func customerSummariesMoveByDeltas() {
        var log = LogBuilder()
        log.append(LogBuilder.place, order: "o-1", version: 1)
        let first = BatchProjection(records: log.records, before: [:], partitionOf: log.partitionOf)
        #expect(first.customerDeltas["c-1"]?.orders == 1)
        #expect(first.customerDeltas["c-1"]?.count(.placed) == 1)
        log.records.removeAll()
        log.append(LogBuilder.confirm, order: "o-1", version: 2)
        log.append(LogBuilder.place, order: "o-2", version: 1)
        let second = BatchProjection(records: log.records, before: first.orders, partitionOf: log.partitionOf)
        let delta = second.customerDeltas["c-1"]
        #expect(delta?.orders == 1)  // o-2 is new; o-1 only moved
        #expect(delta?.count(.placed) == 0)  // o-1 left placed, o-2 arrived
        #expect(delta?.count(.confirmed) == 1)
        #expect(delta?.firstOrderAt == second.orders["o-2"]?.placedAt)
    }
}
