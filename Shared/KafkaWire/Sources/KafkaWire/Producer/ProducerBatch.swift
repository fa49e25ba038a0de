import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore

/// One partition's batch of records: filled under the accumulator's lock, then owned by the
/// sender until its single outcome (base offset or error) is delivered to every record.
///
/// Fields other than `completion` are guarded by the accumulator's lock while the batch is
/// open, and by the sender afterwards; records' timestamps are read only after completion.
@usableFromInline
final class ProducerBatch: @unchecked Sendable {
    let id: UInt64
    @usableFromInline let topic: String
    @usableFromInline let partition: Int32
    let createdAt: NIODeadline
    var builder: RecordBatchBuilder
    /// Each record's create time, for its RecordMetadata.
    @usableFromInline var timestamps: [Int64] = []
    /// Bytes reserved from the producer's buffer memory; released at completion.
    var reservedBytes = 0

    // Sending state (sender only).
    /// The encoded batch, built once when first drained.
    var encoded: ByteBuffer?
    var baseSequence: Int32 = RecordBatchHeader.noSequence
    var producerID: Int64 = RecordBatchHeader.noProducerID
    var producerEpoch: Int16 = RecordBatchHeader.noProducerEpoch
    var attempts = 0
    /// A retry waits for the retry backoff.
    var retryNotBefore: NIODeadline?
    /// A send failed without an answer: the broker may have written it.
    var outcomeUnknown = false

    private let completion = NIOLockedValueBox(Completion.pending([]))

    enum Completion {
        /// Who is told of the outcome: awaiting tasks' continuations and `onCompletion` callbacks.
        case pending([@Sendable (Result<BatchResult, KafkaError>) -> Void])
        case done(Result<BatchResult, KafkaError>)
    }

    @usableFromInline
    struct BatchResult: Sendable {
        @usableFromInline var baseOffset: Int64
        /// -1 unless the topic uses LogAppendTime.
        @usableFromInline var logAppendTime: Int64

        init(baseOffset: Int64, logAppendTime: Int64) {
            self.baseOffset = baseOffset
            self.logAppendTime = logAppendTime
        }
    }

    init(id: UInt64, topic: String, partition: Int32, builder: RecordBatchBuilder, now: NIODeadline) {
        self.id = id
        self.topic = topic
        self.partition = partition
        self.builder = builder
        self.createdAt = now
    }

    var recordCount: Int { builder.recordCount }
    var hasSequence: Bool { baseSequence != RecordBatchHeader.noSequence }

    /// Delivers the outcome once; later calls are ignored.
    func complete(_ result: Result<BatchResult, KafkaError>) {
        let waiters: [@Sendable (Result<BatchResult, KafkaError>) -> Void]? = completion.withLockedValue { state in
            guard case .pending(let waiters) = state else { return nil }
            state = .done(result)
            return waiters
        }
        for waiter in waiters ?? [] { waiter(result) }
    }

    /// Calls `body` with the outcome: at once (on this thread) if there is one, else on the
    /// thread that completes the batch (the sender's event loop), so it must be short.
    func onCompletion(_ body: @escaping @Sendable (Result<BatchResult, KafkaError>) -> Void) {
        let ready: Result<BatchResult, KafkaError>? = completion.withLockedValue { state in
            switch state {
            case .done(let result): return result
            case .pending(var waiters):
                waiters.append(body)
                state = .pending(waiters)
                return nil
            }
        }
        if let ready { body(ready) }
    }

    var isComplete: Bool {
        completion.withLockedValue { if case .done = $0 { true } else { false } }
    }

    /// The outcome when there is one (no waiting, no task frame: the hot path of handles).
    @usableFromInline
    var completedResult: Result<BatchResult, KafkaError>? {
        completion.withLockedValue { state in
            if case .done(let result) = state { return result }
            return nil
        }
    }

    /// Waits for the outcome.
    @usableFromInline
    func result() async throws -> BatchResult {
        if case .done(let result)? = completion.withLockedValue({ state -> Completion? in
            if case .done = state { return state }
            return nil
        }) {
            return try result.get()
        }
        return try await withCheckedThrowingContinuation { continuation in
            onCompletion { continuation.resume(with: $0.mapError { $0 as any Error }) }
        }
    }

    /// Writes the batch (once) with its producer id, epoch and sequence; later calls patch
    /// those header fields and the CRC when they changed (after an epoch bump).
    func encode() throws -> ByteBuffer {
        guard var buffer = encoded else {
            builder.producerID = producerID
            builder.producerEpoch = producerEpoch
            builder.baseSequence = baseSequence
            let built = try builder.build()
            encoded = built
            return built
        }
        let start = buffer.readerIndex
        typealias Field = RecordBatchHeader.Field
        if buffer.getInteger(at: start + Field.producerID, as: Int64.self) != producerID
            || buffer.getInteger(at: start + Field.producerEpoch, as: Int16.self) != producerEpoch
            || buffer.getInteger(at: start + Field.baseSequence, as: Int32.self) != baseSequence
        {
            buffer.setInteger(producerID, at: start + Field.producerID)
            buffer.setInteger(producerEpoch, at: start + Field.producerEpoch)
            buffer.setInteger(baseSequence, at: start + Field.baseSequence)
            _ = RecordBatchHeader.updateCRC(in: &buffer, at: start)
            encoded = buffer
        }
        return buffer
    }

    /// Bytes of the encoded batch, or an estimate before encoding.
    var size: Int { encoded?.readableBytes ?? builder.uncompressedSize }
}

/// A record accepted by the producer: await `metadata()` for where it was written.
/// Cheap to keep: a reference to the record's batch and its index in it.
public struct DeliveryHandle: Sendable {
    @usableFromInline let batch: ProducerBatch
    @usableFromInline let index: Int32

    init(batch: ProducerBatch, index: Int32) {
        self.batch = batch
        self.index = index
    }

    /// Waits until the record is acknowledged (or failed) and returns its partition and
    /// offset; throws the typed `KafkaError` that failed its batch.
    @inlinable
    public func metadata() async throws -> RecordMetadata {
        // Inlined so awaiting an already delivered record allocates no task frame.
        if let done = batch.completedResult { return metadata(for: try done.get()) }
        return metadata(for: try await batch.result())
    }

    /// Calls `body` once with the record's outcome, without a task: at once if the batch is
    /// complete, else on the producer's event loop when it completes, so `body` must be short
    /// and must not block (hand real work to a task or an actor). For watching many records
    /// when a task per record, each suspended in `metadata()`, would cost more than the work.
    public func onDelivery(_ body: @escaping @Sendable (Result<RecordMetadata, KafkaError>) -> Void) {
        batch.onCompletion { result in body(result.map { metadata(for: $0) }) }
    }

    /// The outcome if the record's batch is complete, nil while it is in flight.
    public var completedMetadata: Result<RecordMetadata, KafkaError>? {
        batch.completedResult.map { $0.map { metadata(for: $0) } }
    }

    @inlinable
    func metadata(for result: ProducerBatch.BatchResult) -> RecordMetadata {
        RecordMetadata(
            topic: batch.topic, partition: batch.partition,
            offset: result.baseOffset < 0 ? -1 : result.baseOffset + Int64(index),
            timestamp: result.logAppendTime >= 0 ? result.logAppendTime : batch.timestamps[Int(index)])
    }

    /// The partition chosen for the record.
    public var partition: Int32 { batch.partition }
    public var topic: String { batch.topic }
}
