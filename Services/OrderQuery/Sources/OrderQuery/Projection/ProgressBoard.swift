import ServiceKit
import SQLStore
import NIOConcurrencyHelpers

/// What this instance's live projection has stored, per partition it owns, so that a read
/// waiting for a position waits for the projection instead of polling the database (which,
/// with many waiters, would take the connections the projection needs). The database stays
/// the judge: a read still checks its snapshot; the board only says when to look.
public final class ProgressBoard: Sendable {
    private struct State {
        /// Next offset stored, for the partitions this instance folds into the live generation.
        var next: [Int32: Int64] = [:]
        var version: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The stored offset of an owned partition, or nil when another instance folds it.
    func next(of partition: Int32) -> Int64? { state.withLockedValue { $0.next[partition] } }

    var version: UInt64 { state.withLockedValue { $0.version } }

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
            state.version &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns after the board changes from `version`, or after `limit`, whichever is first.
    func waitForChange(after version: UInt64, limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: limit) }
            group.addTask { await self.nextChange(after: version) }
            await group.next()
            group.cancelAll()
        }
    }

    private func nextChange(after version: UInt64) async {
        let id = state.withLockedValue { state -> UInt64 in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLockedValue { state -> Bool in
                    if state.version != version || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
