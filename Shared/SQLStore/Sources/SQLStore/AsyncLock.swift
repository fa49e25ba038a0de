import DequeModule

/// A FIFO lock for async code: one holder at a time, waiters resumed in arrival order.
/// SQLite has one writer connection; a write transaction must own it throughout.
actor AsyncLock {
    private var held = false
    private var waiters: Deque<CheckedContinuation<Void, Never>> = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !held { held = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if let next = waiters.popFirst() { next.resume() } else { held = false }
    }
}
