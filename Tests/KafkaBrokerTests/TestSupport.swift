@testable import KafkaBroker
import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/kafkawire-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template)
    }

    func remove() { try? Directory.removeTree(path) }
}

extension Logger {
    static let test: Logger = {
        var logger = Logger(label: "kafkawire.test")
        logger.logLevel = .critical
        return logger
    }()
}

/// An idempotent-or-plain batch of `count` records "k<i>"/"v<i>".
func makeBatch(
    count: Int, first: Int = 0, producerID: Int64 = -1, epoch: Int16 = -1, sequence: Int32 = -1,
    compression: CompressionCodec = .none, timestamp: Int64 = 1_700_000_000_000
) throws -> ByteBuffer {
    var builder = RecordBatchBuilder(producerID: producerID, producerEpoch: epoch, baseSequence: sequence, compression: compression)
    for i in first..<(first + count) {
        builder.append(key: ByteBuffer(string: "k\(i)"), value: ByteBuffer(string: "v\(i)"), timestamp: timestamp + Int64(i))
    }
    return try builder.build()
}

/// Every record value in a `records` field, in order.
func values(_ records: ByteBuffer?) throws -> [String] {
    guard let records else { return [] }
    return try RecordBatch.decodeAll(records).flatMap { $0.records.map { String(buffer: $0.value!) } }
}

/// A clock that moves only when the test advances it. The group coordinator's timers sleep on
/// it and wake once it passes their deadline: sessions and rebalances time out exactly when
/// the test says, however fast or slow the machine.
final class ManualClock: Sendable {
    private struct State {
        var now = ContinuousClock.now
        var lastID = 0
        var sleepers: [Int: (deadline: ContinuousClock.Instant, continuation: CheckedContinuation<Void, any Error>)] = [:]
    }

    private let state = NIOLockedValueBox(State())

    var now: ContinuousClock.Instant { state.withLockedValue { $0.now } }

    /// Moves the time on by `duration` and wakes every sleeper now due.
    func advance(by duration: Duration) {
        let due = state.withLockedValue { state in
            state.now = state.now + duration
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Returns once the clock reaches `deadline`; throws CancellationError when cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = state.withLockedValue { state in
            state.lastID += 1
            return state.lastID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLockedValue { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = (deadline, continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            state.withLockedValue { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// The clock for a `GroupCoordinator`.
    var coordinatorClock: CoordinatorClock {
        CoordinatorClock(now: { self.now }, sleep: { try await self.sleep(until: $0) })
    }
}
