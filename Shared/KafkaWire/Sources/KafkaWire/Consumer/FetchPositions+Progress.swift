/// How far the application has got in each partition, against the partition's end: what
/// "caught up" means for a service that folds a partition before it serves (no I/O;
/// FetchPositionsTests).
extension FetchPositions {
    /// The offset the application has read the partition up to: every record below it has
    /// been handed out. Once every fetched answer has been handed out, that is the fetch
    /// position, which also covers offsets that hold no record for the application
    /// (transaction markers, a compacted tail); while records are on their way it is the
    /// offset after the last record handed out. Nil while the position is being looked up
    /// or the partition is not assigned.
    func readUpTo(_ partition: TopicPartition) -> Int64? {
        guard let state = partitions[partition], case .offset(let fetchFrom) = state.position else { return nil }
        let consumed = state.consumed ?? fetchFrom
        return state.undelivered == 0 ? max(fetchFrom, consumed) : consumed
    }

    /// Offsets between what the application has read and the high watermark (Java's
    /// currentLag); nil until both are known.
    func lag(of partition: TopicPartition) -> Int64? {
        guard let read = readUpTo(partition), let end = partitions[partition]?.watermarks?.highWatermark else { return nil }
        return max(0, end - read)
    }

    /// Whether the application has been handed every record below the high watermark of
    /// the last fetch answer (an empty partition is caught up once its first answer came).
    func isCaughtUp(_ partition: TopicPartition) -> Bool {
        lag(of: partition) == 0
    }
}
