import ServiceKit
import SQLStore
import Testing

@testable import OrderQuery

/// Reads waiting for a position are woken by the projection, and never wait past their limit.
@Suite(.timeLimit(.minutes(1))) struct ProgressBoardTests {
    @Test func aPublishWakesTheWaiter() async {
        let board = ProgressBoard()
        board.publish([0: 5])
        let seen = board.version
        async let woken: Void = board.waitForChange(after: seen, limit: .seconds(60))
        board.publish([0: 9])
        await woken
        #expect(board.next(of: 0) == 9)
    }

    @Test func aChangeBeforeTheWaitReturnsAtOnce() async {
        let board = ProgressBoard()
        let seen = board.version
        board.forget([3])
        // Would wait the suite's time limit if the change were missed.
        await board.waitForChange(after: seen, limit: .seconds(600))
        #expect(board.next(of: 3) == nil)
    }

    @Test func withoutAChangeTheLimitEndsTheWait() async {
        let board = ProgressBoard()
        await board.waitForChange(after: board.version, limit: .milliseconds(10))
        #expect(board.version == 0)
    }
}
