import KafkaProtocol
import NIOCore

/// One partition's batches and its sequence bookkeeping. Guarded by the accumulator's lock.
///
/// Order is everything here: batches leave `ready` from the front, and a batch that comes
/// back for a retry is put back in creation order, before any newer batch. With idempotence
/// a partition that had a retry sends nothing until its in-flight batches are all back, so
/// the retried batches go out again in sequence order (as the Java client does).
final class PartitionQueue: @unchecked Sendable {
    let topic: String
    let partition: Int32
    /// The partition's leader; -1 while unknown.
    var leader: Int32 = -1
    /// Accepting records.
    var open: ProducerBatch?
    /// Sealed, waiting to be sent, oldest first.
    var ready = CircularBuffer<ProducerBatch>()
    /// Batches sent and not answered.
    var inFlight = 0
    /// Set by a retry: hold new sends until every in-flight batch is back.
    var holdUntilInFlightDrains = false

    /// Next sequence to assign (idempotence).
    var nextSequence: Int32 = 0
    /// Last sequence the broker acknowledged; -1 before any.
    var lastAckedSequence: Int32 = -1

    init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    var isIdle: Bool { open == nil && ready.isEmpty && inFlight == 0 }

    /// Moves the open batch to `ready`.
    func seal() {
        if let batch = open {
            open = nil
            ready.append(batch)
        }
    }

    /// Puts a batch back for another attempt, in creation order among the waiting ones.
    func requeue(_ batch: ProducerBatch) {
        var index = ready.startIndex
        while index != ready.endIndex, ready[index].id < batch.id { index = ready.index(after: index) }
        ready.insert(batch, at: index)
    }

    /// Whether `batch` is the next the broker expects: its sequence follows the last acked.
    func isNextExpected(_ batch: ProducerBatch) -> Bool {
        batch.baseSequence == Self.sequence(lastAckedSequence, plus: 1)
    }

    /// Sequences wrap from Int32.max to 0, as the broker's do.
    static func sequence(_ base: Int32, plus count: Int) -> Int32 {
        let sum = Int64(base) + Int64(count)
        return Int32(truncatingIfNeeded: sum > Int64(Int32.max) ? sum - Int64(Int32.max) - 1 : sum)
    }

    /// Forgets sequences after an epoch bump: the new epoch starts at 0.
    func resetSequences() {
        nextSequence = 0
        lastAckedSequence = -1
    }
}

/// A topic's partitions and its keyless placement state.
final class TopicQueues: @unchecked Sendable {
    let name: String
    var partitions: [PartitionQueue] = []
    var keyless = KeylessPlacement()
    /// Metadata said the topic does not exist (or has an error) at this time.
    var metadataError: KafkaError?

    init(name: String) { self.name = name }

    /// Grows to `count` partitions (partitions are never removed in Kafka).
    func resize(to count: Int) {
        while partitions.count < count {
            partitions.append(PartitionQueue(topic: name, partition: Int32(partitions.count)))
        }
    }
}
