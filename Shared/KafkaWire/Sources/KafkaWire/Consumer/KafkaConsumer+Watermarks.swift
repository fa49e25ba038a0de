/// The end of each partition as the consumer's fetches see it, and whether the application
/// has reached it: how a service that folds partitions into state knows it is up to date,
/// an empty partition included (its first fetch answer says it ends at offset 0, and no
/// record will ever say so).
///
/// "Caught up" counts the records handed out by `messages`, the one the application holds
/// included (as `position(of:)` does), so the loop that processes records can check it after
/// each one. The watermarks are those of the last fetch answer: records produced since are
/// not known until the next answer, at most `fetchMaxWait` later while the consumer is
/// caught up.
extension KafkaConsumer {
    /// High watermark, log start offset and last stable offset from the last fetch answer
    /// for `partition`; nil before the first answer or when the partition is not assigned.
    public func watermarks(of partition: TopicPartition) -> PartitionWatermarks? {
        core.readPositions { $0.partitions[partition]?.watermarks }
    }

    /// The end of `partition` from the last fetch answer (librdkafka's high watermark offset).
    public func highWatermark(of partition: TopicPartition) -> Int64? {
        watermarks(of: partition)?.highWatermark
    }

    /// Offsets of `partition` the application has not been handed yet, up to the high
    /// watermark (Java's currentLag); nil until the position and the watermark are known.
    public func lag(of partition: TopicPartition) -> Int64? {
        core.readPositions { $0.lag(of: partition) }
    }

    /// Whether the application has been handed every record of `partition` below its high
    /// watermark.
    public func isCaughtUp(_ partition: TopicPartition) -> Bool {
        core.readPositions { $0.isCaughtUp(partition) }
    }

    /// Waits for the first fetch answer of `partition` and returns its watermarks. Throws
    /// `.notAssigned` when the partition is not (or stops being) assigned, `.closed` when the
    /// consumer stops, `.cancelled` when the task is cancelled.
    public func waitForWatermarks(of partition: TopicPartition) async throws -> PartitionWatermarks {
        try await core.waitUntil { positions in
            guard let state = positions.partitions[partition] else { return .failure(Self.notAssigned(partition)) }
            return state.watermarks == nil ? nil : .success(())
        }
        guard let watermarks = watermarks(of: partition) else { throw Self.notAssigned(partition) }
        return watermarks
    }

    /// Waits until the application has been handed every record below the high watermark of
    /// each of `partitions` (at once for those already caught up). Records keep flowing only
    /// while something iterates `messages`. Throws `.notAssigned` when a partition is not (or
    /// stops being) assigned, as after a rebalance takes it; `.closed` when the consumer
    /// stops; `.cancelled` when the task is cancelled.
    public func waitUntilCaughtUp(_ partitions: [TopicPartition]) async throws {
        try await core.waitUntil { positions in
            for partition in partitions where positions.partitions[partition] == nil {
                return .failure(Self.notAssigned(partition))
            }
            return partitions.allSatisfy(positions.isCaughtUp) ? .success(()) : nil
        }
    }

    private static func notAssigned(_ partition: TopicPartition) -> KafkaError {
        KafkaError(.notAssigned, "\(partition) is not assigned to this consumer")
    }
}
