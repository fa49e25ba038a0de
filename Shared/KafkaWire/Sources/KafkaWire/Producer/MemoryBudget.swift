/// The producer's bounded buffer memory (buffer.memory): bytes held by records not yet
/// acknowledged. A record that does not fit waits in FIFO order; room freed by completed
/// batches is granted to waiters in turn, already reserved, so a woken waiter cannot lose
/// its place to a newcomer. A value type guarded by the accumulator's lock.
struct MemoryBudget: Sendable {
    struct Waiter: Sendable {
        let id: UInt64
        let bytes: Int
        let grant: @Sendable (Bool) -> Void
    }

    let limit: Int
    private(set) var used = 0
    private var waiters: [Waiter] = []
    private var waiterHead = 0
    private var nextWaiterID: UInt64 = 0

    init(limit: Int) { self.limit = limit }

    var hasWaiters: Bool { waiterHead < waiters.count }

    /// Takes `bytes` when they fit and nobody waits before us.
    mutating func tryReserve(_ bytes: Int) -> Bool {
        guard !hasWaiters, fits(bytes) else { return false }
        used += bytes
        return true
    }

    /// Reserves `bytes` at once when they fit and nobody waits (returns nil), or queues a
    /// waiter whose `grant(true)` is called (outside the lock, by whoever releases) once
    /// its bytes are reserved for it. Returns the id to cancel with.
    mutating func reserveOrWait(_ bytes: Int, grant: @escaping @Sendable (Bool) -> Void) -> UInt64? {
        if tryReserve(bytes) { return nil }
        nextWaiterID += 1
        waiters.append(Waiter(id: nextWaiterID, bytes: bytes, grant: grant))
        return nextWaiterID
    }

    /// Removes a waiter (timed out or cancelled); returns it when it was still waiting.
    mutating func cancel(_ id: UInt64) -> Waiter? {
        guard let index = waiters[waiterHead...].firstIndex(where: { $0.id == id }) else { return nil }
        let waiter = waiters.remove(at: index)
        return waiter
    }

    /// Returns `bytes` and reserves room for the waiters that now fit, in order; the caller
    /// calls their `grant(true)` outside the lock.
    mutating func release(_ bytes: Int) -> [Waiter] {
        used -= bytes
        var granted: [Waiter] = []
        while waiterHead < waiters.count, fits(waiters[waiterHead].bytes) {
            used += waiters[waiterHead].bytes
            granted.append(waiters[waiterHead])
            waiterHead += 1
        }
        if waiterHead > 64 && waiterHead * 2 > waiters.count {
            waiters.removeFirst(waiterHead)
            waiterHead = 0
        }
        return granted
    }

    /// Gives up bytes granted to a waiter that no longer wants them.
    mutating func unreserve(_ bytes: Int) -> [Waiter] { release(bytes) }

    /// A record larger than the whole budget still goes through when nothing else is held.
    private func fits(_ bytes: Int) -> Bool { used == 0 || used + bytes <= limit }
}
