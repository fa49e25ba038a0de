/// A partition's offsets as its leader reported them in the consumer's last fetch answer
/// (librdkafka's watermark offsets, what Java's currentLag is computed from). Every fetch
/// answer carries them, an empty one too, so they are known for an empty partition even
/// though no record ever arrives.
public struct PartitionWatermarks: Sendable, Hashable, CustomStringConvertible {
    /// The end of the partition: the offset the next produced record gets (high watermark).
    public var highWatermark: Int64
    /// The first offset still in the log; -1 when the broker did not say.
    public var logStartOffset: Int64
    /// Where committed transactions end (what read_committed reads up to); -1 when unknown.
    public var lastStableOffset: Int64

    public init(highWatermark: Int64, logStartOffset: Int64 = -1, lastStableOffset: Int64 = -1) {
        self.highWatermark = highWatermark
        self.logStartOffset = logStartOffset
        self.lastStableOffset = lastStableOffset
    }

    public var description: String {
        "high \(highWatermark), log start \(logStartOffset), last stable \(lastStableOffset)"
    }
}
