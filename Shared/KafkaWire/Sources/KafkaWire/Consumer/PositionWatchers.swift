/// Tasks waiting for a condition on the fetch positions (watermarks known, a partition
/// caught up). ConsumerCore checks them, under its lock, whenever positions may have
/// changed; a value type with no I/O.
struct PositionWatchers {
    /// nil: keep waiting; success: done; failure: stop waiting with that error.
    typealias Condition = @Sendable (FetchPositions) -> Result<Void, KafkaError>?
    typealias Continuation = CheckedContinuation<Void, any Error>

    private var waiting: [UInt64: (condition: Condition, continuation: Continuation)] = [:]
    /// Ids whose task was cancelled before its watcher was added.
    private var cancelled: Set<UInt64> = []
    private var lastID: UInt64 = 0

    var isEmpty: Bool { waiting.isEmpty }

    mutating func nextID() -> UInt64 {
        lastID += 1
        return lastID
    }

    /// Adds a watcher; false when its task was cancelled already (the caller ends it).
    mutating func add(_ id: UInt64, _ condition: @escaping Condition, _ continuation: Continuation) -> Bool {
        if cancelled.remove(id) != nil { return false }
        waiting[id] = (condition, continuation)
        return true
    }

    /// Removes the watcher of a cancelled task and returns it to be ended; remembers the id
    /// when the watcher is not there yet.
    mutating func cancel(_ id: UInt64) -> Continuation? {
        if let entry = waiting.removeValue(forKey: id) { return entry.continuation }
        if id <= lastID { cancelled.insert(id) }
        return nil
    }

    /// The watcher `id` was decided before it was added: forgets its cancellation, if any.
    mutating func decidedEarly(_ id: UInt64) {
        cancelled.remove(id)
    }

    /// Removes and returns the watchers whose condition is decided.
    mutating func settle(_ positions: FetchPositions) -> [(Continuation, Result<Void, any Error>)] {
        guard !waiting.isEmpty else { return [] }
        var settled: [(Continuation, Result<Void, any Error>)] = []
        for (id, entry) in waiting {
            guard let outcome = entry.condition(positions) else { continue }
            waiting[id] = nil
            settled.append((entry.continuation, outcome.mapError { $0 }))
        }
        return settled
    }

    /// Removes every watcher (the consumer stopped).
    mutating func removeAll() -> [Continuation] {
        defer { waiting = [:] }
        return waiting.values.map(\.continuation)
    }
}
