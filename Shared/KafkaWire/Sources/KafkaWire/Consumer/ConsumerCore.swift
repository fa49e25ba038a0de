import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore

/// The state shared by the consumer's tasks (fetch loop, group member, commits) and the
/// application's iterator, behind one lock: fetch positions, the prefetch buffer, the record
/// the application holds, and who is waiting for what.
///
/// The buffer is bounded in bytes: the fetch loop starts no fetch while it is full, so at
/// most one answer per broker is in flight while the application works through the last.
final class ConsumerCore: @unchecked Sendable {
    enum Lifecycle { case running, finished, failed(any Error) }

    private let lock = NIOLock()
    private var positions = FetchPositions()
    private var buffer = CircularBuffer<FetchedChunk>()
    private var bufferedBytes = 0
    private var lifecycle = Lifecycle.running
    private var reader: CheckedContinuation<FetchedChunk?, any Error>?
    /// The record the application took last and has not finished with: it calls `next()`
    /// again when done. Commits other than explicit ones stop before it.
    private var inHand: (partition: TopicPartition, offset: Int64)?
    private var inHandWaiters: [CheckedContinuation<Void, Never>] = []
    private var fetchingNodes: Set<Int32> = []
    private var stopRequested = false

    let maxBufferedBytes: Int
    private let wakeups: AsyncStream<Void>.Continuation
    /// Signals the fetch loop that something changed (positions, buffer room, leaders).
    let wakeupStream: AsyncStream<Void>

    init(maxBufferedBytes: Int) {
        self.maxBufferedBytes = maxBufferedBytes
        (wakeupStream, wakeups) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func wake() { wakeups.yield() }

    func withPositions<T>(_ body: (inout FetchPositions) throws -> T) rethrows -> T {
        let result = try lock.withLock { try body(&positions) }
        wake()
        return result
    }

    func readPositions<T>(_ body: (FetchPositions) throws -> T) rethrows -> T {
        try lock.withLock { try body(positions) }
    }

    // MARK: Fetch loop side

    var hasRoom: Bool { lock.withLock { bufferedBytes < maxBufferedBytes } }

    /// Claims `node` for a fetch; false when one is already outstanding there.
    func beginFetch(node: Int32, partitions: [FetchPositions.Fetchable]) -> Bool {
        lock.withLock {
            guard !fetchingNodes.contains(node) else { return false }
            fetchingNodes.insert(node)
            positions.fetchStarted(partitions)
            return true
        }
    }

    func endFetch(node: Int32) {
        lock.withLock { _ = fetchingNodes.remove(node) }
        wake()
    }

    /// Applies a partition's fetch answer: moves its position to `next` and queues the
    /// records, unless the partition moved on meanwhile.
    func deliver(_ chunk: FetchedChunk, next: Int64?) {
        let waiting: CheckedContinuation<FetchedChunk?, any Error>? = lock.withLock {
            guard positions.fetchCompleted(chunk.partition, epoch: chunk.epoch, next: next) else { return nil }
            guard !chunk.records.isEmpty else { return nil }
            if let reader {
                self.reader = nil
                return reader
            }
            buffer.append(chunk)
            bufferedBytes += chunk.byteCount
            return nil
        }
        waiting?.resume(returning: chunk)
    }

    // MARK: Application side

    /// Hands out the record at `offset` unless its partition moved on; marks the one handed
    /// out before as done.
    func handOut(_ partition: TopicPartition, epoch: UInt64, offset: Int64) -> Bool {
        let (ok, waiters): (Bool, [CheckedContinuation<Void, Never>]) = lock.withLock {
            let waiters = releaseInHand()
            guard positions.isCurrent(partition, epoch: epoch) else { return (false, waiters) }
            positions.delivered(partition, epoch: epoch, offset: offset)
            inHand = (partition, offset)
            return (true, waiters)
        }
        for waiter in waiters { waiter.resume() }
        return ok
    }

    /// The next chunk to deliver (current ones only); nil once the consumer has stopped.
    func nextChunk() async throws -> FetchedChunk? {
        try await withCheckedThrowingContinuation { continuation in
            let (result, waiters): (Result<FetchedChunk?, any Error>?, [CheckedContinuation<Void, Never>]) = lock.withLock {
                let waiters = releaseInHand()
                while let chunk = buffer.popFirst() {
                    bufferedBytes -= chunk.byteCount
                    if positions.isCurrent(chunk.partition, epoch: chunk.epoch) { return (.success(chunk), waiters) }
                }
                switch lifecycle {
                case .finished: return (.success(nil), waiters)
                case .failed(let error): return (.failure(error), waiters)
                case .running:
                    reader = continuation
                    return (nil, waiters)
                }
            }
            for waiter in waiters { waiter.resume() }
            wake()
            if let result { continuation.resume(with: result) }
        }
    }

    /// Under the lock: the application is done with the record in hand.
    private func releaseInHand() -> [CheckedContinuation<Void, Never>] {
        inHand = nil
        defer { inHandWaiters = [] }
        return inHandWaiters
    }

    /// Returns once the application is no longer holding a record of `partitions`.
    func waitUntilReleased(_ partitions: Set<TopicPartition>) async {
        await withCheckedContinuation { continuation in
            let done = lock.withLock {
                guard let held = inHand, partitions.contains(held.partition) else { return true }
                inHandWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Ends the record sequence: after the buffered records with nil, or with `error` at once.
    func finish(_ error: (any Error)? = nil) {
        let waiting: CheckedContinuation<FetchedChunk?, any Error>? = lock.withLock {
            guard case .running = lifecycle else { return nil }
            lifecycle = error.map { .failed($0) } ?? .finished
            if error != nil { buffer.removeAll(); bufferedBytes = 0 }
            defer { reader = nil }
            return reader
        }
        if let error { waiting?.resume(throwing: error) } else { waiting?.resume(returning: nil) }
        let waiters = lock.withLock { releaseInHand() }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Commits

    /// Offsets to commit: what the application consumed. Unless `includeInHand`, the record
    /// it holds counts as not yet processed (auto commit, commit on revoke).
    func offsetsToCommit(only: Set<TopicPartition>? = nil, includeInHand: Bool) -> [TopicPartition: Int64] {
        lock.withLock {
            var offsets = positions.uncommitted(only: only)
            if !includeInHand, let held = inHand, let consumed = offsets[held.partition], consumed > held.offset {
                offsets[held.partition] = held.offset
            }
            return offsets
        }
    }

    func markCommitted(_ offsets: [TopicPartition: Int64]) {
        lock.withLock { positions.markCommitted(offsets) }
    }

    // MARK: Stopping

    var isStopRequested: Bool { lock.withLock { stopRequested } }

    func requestStop() {
        lock.withLock { stopRequested = true }
        wake()
    }
}
