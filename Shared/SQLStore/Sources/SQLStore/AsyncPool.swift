import DequeModule

/// A fixed set of resources lent to one async caller at a time each, waiters served in
/// arrival order. SQLite's reader connections: a read transaction owns one throughout, and
/// several reads run side by side (WAL lets readers share the file with the writer).
actor AsyncPool<Resource: Sendable> {
    private var free: [Resource]
    private var waiters: Deque<CheckedContinuation<Resource, Never>> = []

    init(_ resources: [Resource]) {
        precondition(!resources.isEmpty, "an empty pool would never lend anything")
        free = resources
    }

    func withResource<T: Sendable>(_ body: @Sendable (Resource) async throws -> T) async throws -> T {
        let resource = await acquire()
        defer { release(resource) }
        return try await body(resource)
    }

    /// Every resource, for closing (callers must be done with the pool).
    var all: [Resource] { free }

    private func acquire() async -> Resource {
        if let resource = free.popLast() { return resource }
        return await withCheckedContinuation { waiters.append($0) }
    }

    private func release(_ resource: Resource) {
        if let next = waiters.popFirst() { next.resume(returning: resource) } else { free.append(resource) }
    }
}
