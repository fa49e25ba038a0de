import Events
import Testing

@testable import OrderQuery

/// When a read of one order may be answered from the live projection's last stored row.
struct StoredRowReadTests {
    static func stored(generation: Int64 = 3, version: Int64 = 4) -> (generation: Int64, row: OrderRow) {
        var state = OrderState()
        state.version = version
        return (generation, OrderRow(orderId: "o-1", partition: 2, state: state, placedAt: .init(millisecondsSinceEpoch: 0),
                                     updatedAt: .init(millisecondsSinceEpoch: 0)))
    }

    static func answer(
        _ pairs: [(String, String)], stored: (generation: Int64, row: OrderRow)? = stored(), live: Int64 = 3,
        next: [Int32: Int64] = [2: 10]
    ) throws -> Int64? {
        let parameters = try ReadParameters(pairs, route: .minVersion, partitionCount: 6)
        return StoredRowRead.answer(
            row: stored, liveGeneration: { $0 == live }, parameters: parameters, storedNext: { next[$0] }
        )?.state.version
    }

    @Test func aPositionTheProjectionHasStoredPastIsAnsweredFromTheRow() throws {
        #expect(try Self.answer([("position", "2:9")]) == 4)
        // Not past it yet (the next offset to store is the position itself): the database decides.
        #expect(try Self.answer([("position", "2:10")]) == nil)
        // A partition this instance does not fold.
        #expect(try Self.answer([("position", "5:0")]) == nil)
    }

    @Test func aMinimumVersionIsAnsweredOnlyByARowThatHasIt() throws {
        #expect(try Self.answer([("minVersion", "4")]) == 4)
        #expect(try Self.answer([("minVersion", "5")]) == nil)
    }

    @Test func theDatabaseAnswersEverythingElse() throws {
        // No condition: never older than the database, even on an instance that lost the partition.
        #expect(try Self.answer([]) == nil)
        // An explicit generation.
        #expect(try Self.answer([("position", "2:9"), ("generation", "3")]) == nil)
        // The row is of a generation reads no longer take as live (a swap happened).
        #expect(try Self.answer([("position", "2:9")], live: 4) == nil)
        // No row in hand.
        #expect(try Self.answer([("position", "2:9")], stored: nil) == nil)
    }
}
