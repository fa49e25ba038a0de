/// Where a projection is in each partition it owns, and whether a record in hand may be
/// applied: a value with no I/O, so its rules are tested alone.
///
/// A seek (to the stored offset, at assignment or after a compare-and-set lost) makes the
/// consumer drop what it fetched before, but a record already handed out may still be in
/// the batch being built. So each record is tagged with the epoch current when it was asked
/// for: a record from before the partition's last seek is applied only if it is exactly the
/// next offset; one that would skip ahead is dropped and the partition sought again. Offsets
/// may legitimately skip (transaction markers), which only records asked for after the seek
/// are trusted to do.
public struct PartitionCursors: Sendable {
    public struct Cursor: Sendable, Hashable {
        /// The next offset to apply: the generation's stored offset.
        public var next: Int64
        /// The epoch of the last seek.
        public var epoch: UInt64
        /// Records at or after this offset are not applied (a read model as of a position).
        public var stopBefore: Int64?
        /// Stopped at an event that cannot be read: its offset and why.
        public var stopped: (offset: Int64, reason: String)?

        public static func == (a: Cursor, b: Cursor) -> Bool {
            a.next == b.next && a.epoch == b.epoch && a.stopBefore == b.stopBefore
                && a.stopped?.offset == b.stopped?.offset && a.stopped?.reason == b.stopped?.reason
        }
        public func hash(into hasher: inout Hasher) { hasher.combine(next); hasher.combine(epoch) }
    }

    public enum Admission: Equatable, Sendable {
        case apply
        case skip
        /// Drop this and the partition's later records in hand; seek it back to `offset`.
        case reseek(Int64)
    }

    public private(set) var cursors: [Int32: Cursor] = [:]
    /// Increases at every seek; records are tagged with it when asked for.
    public private(set) var epoch: UInt64 = 0

    public init() {}

    /// Takes `partition` from `next` on; the caller seeks the consumer there.
    public mutating func assign(_ partition: Int32, next: Int64, stopBefore: Int64? = nil) {
        epoch += 1
        cursors[partition] = Cursor(next: next, epoch: epoch, stopBefore: stopBefore, stopped: nil)
    }

    public mutating func revoke(_ partition: Int32) { cursors[partition] = nil }

    /// After a seek to `offset` (the caller seeks the consumer).
    public mutating func reseek(_ partition: Int32, to offset: Int64) {
        guard cursors[partition] != nil else { return }
        epoch += 1
        cursors[partition]?.next = offset
        cursors[partition]?.epoch = epoch
    }

    /// May the record at `offset`, asked for at `askedAt`, be applied after `next`
    /// (the partition's next offset, advanced past the records already admitted in this batch)?
    public func admit(_ partition: Int32, offset: Int64, next: Int64, askedAt: UInt64) -> Admission {
        guard let cursor = cursors[partition], cursor.stopped == nil else { return .skip }
        if offset < next { return .skip }
        if let stop = cursor.stopBefore, offset >= stop { return .skip }
        if offset == next || askedAt >= cursor.epoch { return .apply }
        return .reseek(cursor.next)
    }

    /// After a batch was stored: the partition's next offset, unless it was sought or
    /// revoked meanwhile.
    public mutating func advance(_ partition: Int32, to next: Int64, ifEpoch epoch: UInt64) {
        guard cursors[partition]?.epoch == epoch else { return }
        cursors[partition]?.next = next
    }

    public mutating func stop(_ partition: Int32, at offset: Int64, reason: String) {
        cursors[partition]?.stopped = (offset, reason)
        cursors[partition]?.next = offset
    }

    /// For a read model as of a position: every owned partition has reached its stop offset.
    public var reachedStops: Bool {
        cursors.values.allSatisfy { cursor in cursor.stopBefore.map { cursor.next >= $0 } ?? false }
    }
}
