import Foundation
import KafkaWire

/// The values a projection folds a backlog with (`BatchWrite.pipelined`): the batch as fetched,
/// the part of it admitted, a batch folded ahead of being stored, and the one being stored.
extension ProjectionRunner {
    /// Records as the consumer handed them out, each with the cursors' epoch when it was asked
    /// for. Kept as the `LogRecord`s a batch is folded from: admitting them all (the usual
    /// case) shares the array instead of copying every record.
    struct FetchedBatch {
        var records: [LogRecord] = []
        var askedAt: [UInt64] = []

        var count: Int { records.count }
        var isEmpty: Bool { records.isEmpty }

        mutating func append(_ record: consuming ConsumerRecord, askedAt epoch: UInt64) {
            records.append(LogRecord(record))
            askedAt.append(epoch)
        }
    }

    /// The records of a fetched batch that may be applied, and where each partition starts.
    struct Admission: Sendable {
        var records: [LogRecord] = []
        var startOffsets: [Int32: Int64] = [:]
        var epochs: [Int32: UInt64] = [:]
        var reseeks: [Int32: Int64] = [:]
    }

    /// A large batch folded while the one before it was being stored, as if that one will be.
    struct FoldedAhead: Sendable {
        var admission: Admission
        var projection: BatchProjection
        /// The cache's epoch it was folded under: if it moved (a seek, an assignment, a
        /// refusal), or a cursor's did (`admission.epochs`), it is folded again from its records.
        var cacheEpoch: UInt64
        /// Some orders were assumed new (their first record here is their version 1) instead
        /// of read: if one is not, storing the batch fails (its version 1 is already in the
        /// events table, whose key refuses it twice), and the batch is folded again from rows read.
        var assumedNew: Bool
    }

    /// A large batch being stored, in a task of its own: true if it was stored and nothing
    /// else happened to the projection (a batch folded after it may follow it).
    struct InFlight {
        var task: Task<Bool, any Error>
        var folded: FoldedAhead
    }
}
