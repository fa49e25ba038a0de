import SQLStore
import Testing

@testable import OrderQuery

/// Reads waiting for a position are woken by the projection when their partition passes it,
/// not before, and never wait past their limit.
@Suite(.timeLimit(.minutes(1))) struct ProgressBoardTests {
    /// Waits (yielding) until `count` reads wait for a position; the suite's time limit bounds it.
    private func waiting(_ board: ProgressBoard, _ count: Int) async {
        while board.waitingForPositions != count { await Task.yield() }
    }

    @Test func aReadForAPositionIsWokenOnlyWhenItsPartitionPassesIt() async {
        let board = ProgressBoard()
        board.publish([0: 5, 1: 5])
        async let woken: Void = board.waitUntilStored(partition: 0, offset: 7, limit: .seconds(600))
        await waiting(board, 1)
        board.publish([0: 7])  // offset 7 not yet stored: next is 7
        board.publish([1: 100])  // another partition
        #expect(board.waitingForPositions == 1)
        board.publish([0: 8])
        #expect(board.waitingForPositions == 0)
        await woken
    }

    @Test func aReadForAPositionIsWokenWhenThePartitionIsNoLongerFoldedHere() async {
        let board = ProgressBoard()
        board.publish([2: 1])
        async let woken: Void = board.waitUntilStored(partition: 2, offset: 50, limit: .seconds(600))
        await waiting(board, 1)
        board.forget([2])
        await woken
        #expect(board.waitingForPositions == 0)
    }

    @Test func aPositionAlreadyStoredDoesNotWait() async {
        let board = ProgressBoard()
        board.publish([0: 10])
        await board.waitUntilStored(partition: 0, offset: 9, limit: .seconds(600))
        #expect(board.waitingForPositions == 0)
    }

    @Test func withoutProgressTheLimitEndsTheReadsWait() async {
        let board = ProgressBoard()
        board.publish([0: 0])
        await board.waitUntilStored(partition: 0, offset: 3, limit: .milliseconds(10))
        #expect(board.waitingForPositions == 0)
    }
}
