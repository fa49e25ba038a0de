import KafkaProtocol

/// Records of one partition from one fetch answer, waiting for the application. `epoch` is
/// the partition's epoch when fetched (see FetchPositions): a chunk whose partition has been
/// seeked, paused or revoked since is dropped instead of delivered.
struct FetchedChunk: Sendable {
    var partition: TopicPartition
    var epoch: UInt64
    /// The records, batch by batch (none empty).
    var batches: [[Record]]
    /// Bytes of the batches the records came from: what the prefetch bound counts.
    var byteCount: Int
}
