import SQLStore
import NIOConcurrencyHelpers

/// What this instance's live projection has stored, per partition it owns, so that a read
/// waiting for a position waits for the projection instead of polling the database (which,
/// with many waiters, would take the connections the projection needs). The database stays
/// the judge: a read still checks its snapshot; the board only says when to look.
///
/// A read waiting for a position is woken only when its partition passes the position (or
/// this instance stops folding it): waking every waiter at every stored batch, each then
/// asking the database, made the waiters' load grow with their number until reads took
/// seconds at 1,000 commands/s.
public final class ProgressBoard: Sendable {
    private struct Target {
        var partition: Int32
        var offset: Int64
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        /// Next offset stored, for the partitions this instance folds into the live generation.
        var next: [Int32: Int64] = [:]
        /// Reads waiting for one position.
        var targets: [UInt64: Target] = [:]
        var nextWaiter: UInt64 = 0

        /// The projection stored `offset` of `partition`, or no longer folds the partition here
        /// (the database then has the answer).
        func passed(_ partition: Int32, _ offset: Int64) -> Bool {
            guard let next = next[partition] else { return true }
            return next > offset
        }
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The stored offset of an owned partition, or nil when another instance folds it.
    func next(of partition: Int32) -> Int64? { state.withLockedValue { $0.next[partition] } }

    /// Reads waiting for a position (for tests and metrics).
    var waitingForPositions: Int { state.withLockedValue { $0.targets.count } }

    func publish(_ offsets: [Int32: Int64]) {
        change { for (partition, next) in offsets { $0.next[partition] = next } }
    }

    /// The projection no longer folds these partitions into the live generation (revoked, or
    /// a new generation whose offsets come next): waiters fall back to the database.
    func forget(_ partitions: [Int32]) {
        change { for partition in partitions { $0.next[partition] = nil } }
    }

    func forgetAll() { change { $0.next.removeAll() } }

    private func change(_ body: (inout State) -> Void) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            body(&state)
            var woken: [CheckedContinuation<Void, Never>] = []
            for (id, target) in state.targets where state.passed(target.partition, target.offset) {
                woken.append(target.continuation)
                state.targets[id] = nil
            }
            return woken
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the projection has stored `offset` of `partition` (or this instance no
    /// longer folds the partition), or after `limit`, whichever is first.
    func waitUntilStored(partition: Int32, offset: Int64, limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: limit) }
            group.addTask { await self.stored(partition: partition, offset: offset) }
            await group.next()
            group.cancelAll()
        }
    }

    private func stored(partition: Int32, offset: Int64) async {
        let id = state.withLockedValue { state -> UInt64 in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLockedValue { state -> Bool in
                    if state.passed(partition, offset) || Task.isCancelled { return true }
                    state.targets[id] = Target(partition: partition, offset: offset, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.targets.removeValue(forKey: id) }?.continuation.resume()
        }
    }
}
