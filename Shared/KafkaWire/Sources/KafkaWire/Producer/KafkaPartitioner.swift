import NIOCore

/// How the producer picks a partition for a record that names none.
///
/// The default, `.murmur2Random`, matches the Java client's default partitioner and
/// librdkafka's `murmur2_random`: a keyed record goes to
/// `(murmur2(key) & 0x7fffffff) % partitionCount`, so the same key lands on the same
/// partition whichever of these clients wrote it. Keyless records are spread: they stick to
/// one partition until about a batch's worth of bytes went there, then move to another
/// (KIP-480's sticky partitioning), which keeps batches full.
public struct KafkaPartitioner: Sendable, Hashable {
    enum Kind: Hashable { case murmur2Random, roundRobin }
    let kind: Kind

    /// Keyed: murmur2 as Java and librdkafka; keyless: sticky random.
    public static let murmur2Random = KafkaPartitioner(kind: .murmur2Random)
    /// Keyed: murmur2 as Java and librdkafka; keyless: one record per partition in turn.
    public static let murmur2RoundRobin = KafkaPartitioner(kind: .roundRobin)

    /// The partition the Java client and librdkafka's murmur2 partitioners choose for `key`.
    @inlinable
    public static func partition(forKey key: UnsafeRawBufferPointer, partitionCount: Int) -> Int32 {
        precondition(partitionCount > 0, "partitionCount must be positive")
        let positive = Int(Murmur2.hash(key) & 0x7fff_ffff)
        return Int32(positive % partitionCount)
    }

    @inlinable
    public static func partition(forKey key: ByteBuffer, partitionCount: Int) -> Int32 {
        key.withUnsafeReadableBytes { partition(forKey: $0, partitionCount: partitionCount) }
    }

    /// The partition of a key given as a string (its UTF-8 bytes), such as an order id.
    @inlinable
    public static func partition(forKey key: String, partitionCount: Int) -> Int32 {
        var key = key
        return key.withUTF8 { partition(forKey: UnsafeRawBufferPointer($0), partitionCount: partitionCount) }
    }

    /// The key → partition function of a topic with `partitionCount` partitions: what every
    /// reader of `orders.events` checks a record's partition with (the fold rule).
    public static func partitioner(partitionCount: Int) -> @Sendable (String) -> Int32 {
        { partition(forKey: $0, partitionCount: partitionCount) }
    }
}

/// Keyless placement state for one topic: the current sticky partition and how many bytes
/// went to it, or the next round-robin partition.
struct KeylessPlacement: Sendable {
    private var current: Int32 = -1
    private var bytesSinceSwitch = 0

    /// Picks the partition for a keyless record of `size` bytes. Sticky placement changes
    /// partition once `switchAfter` bytes went to the current one, never to the same one
    /// twice in a row when there is a choice.
    mutating func next(
        _ kind: KafkaPartitioner.Kind, partitionCount: Int, size: Int, switchAfter: Int,
        random: () -> Int
    ) -> Int32 {
        switch kind {
        case .roundRobin:
            current = (current + 1) % Int32(partitionCount)
            return current
        case .murmur2Random:
            if current < 0 || current >= partitionCount || bytesSinceSwitch >= switchAfter {
                var pick = Int32(random() % partitionCount)
                if partitionCount > 1 && pick == current {
                    pick = (pick + 1 + Int32(random() % (partitionCount - 1))) % Int32(partitionCount)
                }
                current = pick
                bytesSinceSwitch = 0
            }
            bytesSinceSwitch += size
            return current
        }
    }
}
