import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore

/// The state shared by the consumer's tasks (fetch loop, group member, commits) and the
/// application's iterator, behind one lock: fetch positions, the prefetch buffer, the record
/// the application holds, and who is waiting for what.
///
/// The buffer is bounded in bytes: the fetch loop starts no fetch while it is full, so at
/// most one answer per broker is in flight while the application works through the last.
///
/// Handing out a record is the hot path (millions per second), so it touches no dictionary:
/// the iterator keeps a snapshot of `changes`, and only when positions changed since does it
/// check its chunk is still current; the consumed offset is written to the positions lazily
/// (`flushDelivered`) before anyone else reads or changes them.
@usableFromInline
final class ConsumerCore: @unchecked Sendable {
    enum Lifecycle { case running, finished, failed(any Error) }

    private let lock = NIOLock()
    private var positions = FetchPositions()
    private var buffer = CircularBuffer<FetchedChunk>()
    private var bufferedBytes = 0
    /// Bytes of fetched answers waiting to be decoded: they count against the bound too.
    private var decodingBytes = 0
    private var lifecycle = Lifecycle.running
    private var reader: CheckedContinuation<FetchedChunk?, any Error>?
    /// Bumped by every change to positions from outside the iterator.
    private var changes: UInt64 = 0

    /// The chunk being delivered, the last offset handed out of it, and whether that offset
    /// still has to be written to `positions`.
    private var delivering: (partition: TopicPartition, epoch: UInt64)?
    private var lastHandedOffset: Int64 = -1
    private var unflushed = false
    /// The application holds the last record handed out (it has not asked for the next).
    /// Commits other than explicit ones stop before it; revocations wait for it.
    private var holding = false
    private var holdingWaiters: [CheckedContinuation<Void, Never>] = []

    private var watchers = PositionWatchers()

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
        let (result, settled) = try lock.withLock {
            flushDelivered()
            changes &+= 1
            let result = try body(&positions)
            return (result, watchers.settle(positions))
        }
        resumeWatchers(settled)
        wake()
        return result
    }

    func readPositions<T>(_ body: (FetchPositions) throws -> T) rethrows -> T {
        try lock.withLock {
            flushDelivered()
            return try body(positions)
        }
    }

    /// Under the lock: records the last handed-out offset in the positions.
    private func flushDelivered() {
        guard unflushed, let delivering else { return }
        positions.delivered(delivering.partition, epoch: delivering.epoch, offset: lastHandedOffset)
        unflushed = false
    }

    // MARK: Fetch loop side

    var hasRoom: Bool { lock.withLock { bufferedBytes + decodingBytes < maxBufferedBytes } }

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

    /// Applies a partition's fetch answer before its records are decoded: moves the position
    /// to `next` so the next fetch can start, records the watermarks, and reserves `bytes` of
    /// the buffer for the decoded records. False when the partition moved on meanwhile (the
    /// answer is stale).
    func fetched(
        _ partition: TopicPartition, epoch: UInt64, next: Int64?, watermarks: PartitionWatermarks? = nil, bytes: Int
    ) -> Bool {
        let (accepted, settled): (Bool, [Settled]) = lock.withLock {
            guard positions.fetchCompleted(partition, epoch: epoch, next: next, watermarks: watermarks, withRecords: true) else {
                return (false, [])
            }
            decodingBytes += bytes
            return (true, watchers.settle(positions))
        }
        resumeWatchers(settled)
        return accepted
    }

    /// Queues decoded records (releasing the reservation `fetched` made for `reserved`
    /// bytes), unless the partition moved on meanwhile.
    ///
    /// The chunk is moved, never copied, to whoever takes it: the application moves each
    /// record out of its batch in place, which a second reference still held here would turn
    /// into a copy of the whole batch.
    func deliver(_ chunk: consuming FetchedChunk, reserved: Int) {
        var held: FetchedChunk? = consume chunk
        let (waiting, settled): (CheckedContinuation<FetchedChunk?, any Error>?, [Settled]) = lock.withLock {
            decodingBytes -= reserved
            let (partition, epoch) = (held!.partition, held!.epoch)
            guard !held!.batches.isEmpty, positions.isCurrent(partition, epoch: epoch) else {
                // Nothing of it for the application (transaction markers only, or stale).
                positions.answerDelivered(partition, epoch: epoch)
                return (nil, watchers.settle(positions))
            }
            if let reader {
                self.reader = nil
                startDelivering(partition: partition, epoch: epoch)
                return (reader, [])
            }
            bufferedBytes += held!.byteCount
            buffer.append(held.take()!)
            return (nil, [])
        }
        if let waiting { waiting.resume(returning: held.take()) }
        resumeWatchers(settled)
        wake()
    }

    // MARK: Application side

    /// Hands out the record at `offset` of the current chunk unless its partition moved on
    /// since `snapshot` (which it refreshes); marks the record handed out before as done.
    @usableFromInline
    func handOut(offset: Int64, snapshot: inout UInt64) -> Bool {
        lock.lock()
        let waiters = release()
        if snapshot != changes {
            flushDelivered()
            guard let delivering, positions.isCurrent(delivering.partition, epoch: delivering.epoch) else {
                lock.unlock()
                resume(waiters)
                return false
            }
            snapshot = changes
        }
        lastHandedOffset = offset
        unflushed = true
        holding = true
        // Someone waits for a partition to catch up: the record handed out may be the last.
        var settled: [Settled] = []
        if !watchers.isEmpty {
            flushDelivered()
            settled = watchers.settle(positions)
        }
        lock.unlock()
        resume(waiters)
        if !settled.isEmpty { resumeWatchers(settled) }
        return true
    }

    /// The next chunk to deliver (current ones only); nil once the consumer has stopped.
    /// The caller's snapshot must be reset (see `handOut`).
    func nextChunk() async throws -> FetchedChunk? {
        try await withCheckedThrowingContinuation { continuation in
            var (result, waiters, settled): (Result<FetchedChunk?, any Error>?, [CheckedContinuation<Void, Never>], [Settled]) = lock.withLock {
                let (chunk, waiters, settled) = takeChunk()
                if let chunk { return (.success(chunk), waiters, settled) }
                switch lifecycle {
                case .finished: return (.success(nil), waiters, settled)
                case .failed(let error): return (.failure(error), waiters, settled)
                case .running:
                    reader = continuation
                    return (nil, waiters, settled)
                }
            }
            resume(waiters)
            resumeWatchers(settled)
            wake()
            // Moved to the reader (see `deliver`).
            if let taken = result.take() { continuation.resume(with: consume taken) }
        }
    }

    /// The next chunk already fetched, without waiting; nil when none is buffered.
    func nextChunkIfBuffered() -> FetchedChunk? {
        let (chunk, waiters, settled) = lock.withLock { takeChunk() }
        resume(waiters)
        resumeWatchers(settled)
        wake()
        return chunk
    }

    /// Under the lock: the application has been handed all of the last chunk; the next
    /// current one in the buffer, if any, starts being delivered.
    private func takeChunk() -> (FetchedChunk?, [CheckedContinuation<Void, Never>], [Settled]) {
        let waiters = release()
        flushDelivered()
        if let delivering { positions.answerDelivered(delivering.partition, epoch: delivering.epoch) }
        delivering = nil
        let settled = watchers.settle(positions)
        while let chunk = buffer.popFirst() {
            bufferedBytes -= chunk.byteCount
            if positions.isCurrent(chunk.partition, epoch: chunk.epoch) {
                startDelivering(partition: chunk.partition, epoch: chunk.epoch)
                return (chunk, waiters, settled)
            }
        }
        return (nil, waiters, settled)
    }

    /// Under the lock.
    private func startDelivering(partition: TopicPartition, epoch: UInt64) {
        delivering = (partition, epoch)
        unflushed = false
    }

    /// Under the lock: the application is done with the record it held.
    private func release() -> [CheckedContinuation<Void, Never>] {
        holding = false
        guard !holdingWaiters.isEmpty else { return [] }
        defer { holdingWaiters = [] }
        return holdingWaiters
    }

    private func resume(_ waiters: [CheckedContinuation<Void, Never>]) {
        for waiter in waiters { waiter.resume() }
    }

    /// The record the application holds, if any.
    private var held: (partition: TopicPartition, offset: Int64)? {
        guard holding, let delivering else { return nil }
        return (delivering.partition, lastHandedOffset)
    }

    /// How many `waitUntilReleased` calls are waiting (tests check a revocation is held up).
    var releaseWaiterCount: Int { lock.withLock { holdingWaiters.count } }

    /// Returns once the application is no longer holding a record of `partitions`.
    func waitUntilReleased(_ partitions: Set<TopicPartition>) async {
        await withCheckedContinuation { continuation in
            let done = lock.withLock {
                guard let held, partitions.contains(held.partition) else { return true }
                holdingWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Ends the record sequence: after the buffered records with nil, or with `error` at once.
    /// Tasks waiting on positions stop with `.closed`.
    func finish(_ error: (any Error)? = nil) {
        let (waiting, watching): (CheckedContinuation<FetchedChunk?, any Error>?, [PositionWatchers.Continuation]) = lock.withLock {
            guard case .running = lifecycle else { return (nil, []) }
            lifecycle = error.map { .failed($0) } ?? .finished
            if error != nil { buffer.removeAll(); bufferedBytes = 0 }
            defer { reader = nil }
            return (reader, watchers.removeAll())
        }
        if let error { waiting?.resume(throwing: error) } else { waiting?.resume(returning: nil) }
        resume(lock.withLock { release() })
        for watcher in watching { watcher.resume(throwing: KafkaError(.closed, "the consumer stopped")) }
    }

    // MARK: Waiting on positions

    typealias Settled = (PositionWatchers.Continuation, Result<Void, any Error>)

    /// Returns once `condition` holds for the positions, checked now and after every change.
    /// Throws the condition's error, `.closed` once the consumer stopped, `.cancelled` when
    /// the calling task is cancelled.
    func waitUntil(_ condition: @escaping PositionWatchers.Condition) async throws {
        let id = lock.withLock { watchers.nextID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: PositionWatchers.Continuation) in
                let outcome: Result<Void, any Error>? = lock.withLock {
                    flushDelivered()
                    if case .running = lifecycle {} else {
                        watchers.decidedEarly(id)
                        return .failure(KafkaError(.closed, "the consumer stopped"))
                    }
                    if let decided = condition(positions) {
                        watchers.decidedEarly(id)
                        return decided.mapError { $0 }
                    }
                    return watchers.add(id, condition, continuation) ? nil : .failure(Self.cancelled)
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            lock.withLock { watchers.cancel(id) }?.resume(throwing: Self.cancelled)
        }
    }

    private static let cancelled = KafkaError(.cancelled, "waiting for the consumer's positions was cancelled")

    private func resumeWatchers(_ settled: [Settled]) {
        for (continuation, outcome) in settled { continuation.resume(with: outcome) }
    }

    // MARK: Commits

    /// Offsets to commit: what the application consumed. Unless `includeInHand`, the record
    /// it holds counts as not yet processed (auto commit, commit on revoke).
    func offsetsToCommit(only: Set<TopicPartition>? = nil, includeInHand: Bool) -> [TopicPartition: Int64] {
        lock.withLock {
            flushDelivered()
            var offsets = positions.uncommitted(only: only)
            if !includeInHand, let held, let consumed = offsets[held.partition], consumed > held.offset {
                offsets[held.partition] = held.offset
            }
            return offsets
        }
    }

    func markCommitted(_ offsets: [TopicPartition: Int64]) {
        lock.withLock {
            flushDelivered()
            positions.markCommitted(offsets)
        }
    }

    // MARK: Stopping

    var isStopRequested: Bool { lock.withLock { stopRequested } }

    /// The application asked to stop: the record it holds counts as done.
    func requestStop() {
        let waiters = lock.withLock {
            stopRequested = true
            return release()
        }
        resume(waiters)
        wake()
    }
}
