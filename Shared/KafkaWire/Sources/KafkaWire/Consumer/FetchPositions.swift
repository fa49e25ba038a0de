/// Per-partition bookkeeping of the consumer: where the next fetch starts, what the
/// application has consumed (what a commit writes), who leads the partition, whether it is
/// paused or has a fetch outstanding. A value type without I/O (FetchPositionsTests).
///
/// Every partition carries an `epoch` that changes on seek, assignment and revocation.
/// Fetch answers and buffered records carry the epoch they were fetched under; those with
/// an old epoch are dropped, so nothing fetched before a seek is delivered after it.
struct FetchPositions: Sendable {
    enum Position: Hashable, Sendable {
        /// Fetch from this offset.
        case offset(Int64)
        /// Look the offset up with ListOffsets first.
        case resolve(SeekPosition)
        /// Look up the group's committed offset first; fall back to the reset policy.
        case committed
    }

    struct Partition: Hashable, Sendable {
        var position: Position
        var epoch: UInt64
        /// The leader's node id; nil when unknown (metadata needed).
        var leader: Int32? = nil
        var leaderEpoch: Int32 = -1
        var paused = false
        /// A fetch including this partition is outstanding.
        var fetching = false
        /// Next offset the application will see: the one after the last record delivered,
        /// or the position set by a seek or lookup. What a commit writes.
        var consumed: Int64? = nil
        /// Last offset committed for it, so unchanged partitions are not committed again.
        var committed: Int64? = nil
        /// From the last fetch answer; kept across seeks (they describe the log, not us).
        var watermarks: PartitionWatermarks? = nil
        /// Fetch answers with records, taken under the current epoch, that the application
        /// has not been handed all of yet (see `FetchPositions+Progress`).
        var undelivered = 0
    }

    /// A partition ready to fetch: position known, leader known, not paused, not in flight.
    struct Fetchable: Hashable, Sendable {
        var partition: TopicPartition
        var offset: Int64
        var leaderEpoch: Int32
        var epoch: UInt64
    }

    private(set) var partitions: [TopicPartition: Partition] = [:]
    private var nextEpoch: UInt64 = 1

    var assigned: [TopicPartition] { partitions.keys.sorted() }

    func epoch(of partition: TopicPartition) -> UInt64? { partitions[partition]?.epoch }

    private mutating func freshEpoch() -> UInt64 {
        defer { nextEpoch += 1 }
        return nextEpoch
    }

    // MARK: Assignment and seeking

    /// Adds partitions (already assigned ones are left as they are). A known offset is where
    /// the application starts, as after a seek to it.
    mutating func assign(_ added: [TopicPartition], from position: Position) {
        for partition in added where partitions[partition] == nil {
            var state = Partition(position: position, epoch: freshEpoch())
            if case .offset(let offset) = position { state.consumed = offset }
            partitions[partition] = state
        }
    }

    /// Removes partitions; their buffered records and outstanding fetches become stale.
    mutating func unassign(_ removed: [TopicPartition]) {
        for partition in removed { partitions[partition] = nil }
    }

    /// Moves the position; returns false when the partition is not assigned.
    @discardableResult
    mutating func seek(_ partition: TopicPartition, to target: SeekPosition) -> Bool {
        guard var state = partitions[partition] else { return false }
        state.epoch = freshEpoch()
        state.fetching = false
        state.undelivered = 0
        if case .offset(let offset) = target.base {
            state.position = .offset(offset)
            state.consumed = offset
        } else {
            state.position = .resolve(target)
        }
        partitions[partition] = state
        return true
    }

    /// Pausing drops what was fetched but not delivered (new epoch) and rewinds the
    /// position to the consumed offset, so resuming fetches it again.
    mutating func setPaused(_ partition: TopicPartition, _ paused: Bool) {
        guard var state = partitions[partition], state.paused != paused else { return }
        state.paused = paused
        if paused {
            state.epoch = freshEpoch()
            state.fetching = false
            state.undelivered = 0
            if case .offset = state.position, let consumed = state.consumed { state.position = .offset(consumed) }
        }
        partitions[partition] = state
    }

    // MARK: Offset lookups

    /// Partitions whose position needs ListOffsets (with the position) or OffsetFetch.
    var needingLookup: [(partition: TopicPartition, position: Position, epoch: UInt64)] {
        partitions.compactMap { key, state in
            if case .offset = state.position { return nil }
            return (key, state.position, state.epoch)
        }.sorted { $0.partition < $1.partition }
    }

    /// A lookup resolved the position; ignored when the partition moved on since.
    mutating func resolved(_ partition: TopicPartition, epoch: UInt64, offset: Int64) {
        guard var state = partitions[partition], state.epoch == epoch else { return }
        state.position = .offset(offset)
        state.consumed = offset
        partitions[partition] = state
    }

    /// The committed offset lookup found nothing: use the reset policy.
    mutating func fallBack(_ partition: TopicPartition, epoch: UInt64, to target: SeekPosition) {
        guard var state = partitions[partition], state.epoch == epoch else { return }
        state.position = .resolve(target)
        partitions[partition] = state
    }

    /// The group's committed offset, as read when the partition was assigned.
    mutating func setCommitted(_ partition: TopicPartition, _ offset: Int64) {
        partitions[partition]?.committed = offset
    }

    // MARK: Leaders

    var withoutLeader: [TopicPartition] {
        partitions.filter { $0.value.leader == nil }.keys.sorted()
    }

    mutating func setLeader(_ partition: TopicPartition, node: Int32?, leaderEpoch: Int32) {
        guard partitions[partition] != nil else { return }
        partitions[partition]!.leader = node.flatMap { $0 >= 0 ? $0 : nil }
        partitions[partition]!.leaderEpoch = leaderEpoch
    }

    /// The leader moved (NOT_LEADER_OR_FOLLOWER and the like): forget it until metadata says.
    mutating func forgetLeader(_ partition: TopicPartition) {
        partitions[partition]?.leader = nil
    }

    // MARK: Fetching

    /// Ready partitions grouped by leader, sorted.
    var fetchableByLeader: [Int32: [Fetchable]] {
        var result: [Int32: [Fetchable]] = [:]
        for key in partitions.keys.sorted() {
            let state = partitions[key]!
            guard case .offset(let offset) = state.position, let leader = state.leader,
                !state.paused, !state.fetching
            else { continue }
            result[leader, default: []].append(
                Fetchable(partition: key, offset: offset, leaderEpoch: state.leaderEpoch, epoch: state.epoch))
        }
        return result
    }

    mutating func fetchStarted(_ fetched: [Fetchable]) {
        for item in fetched where partitions[item.partition]?.epoch == item.epoch {
            partitions[item.partition]!.fetching = true
        }
    }

    /// A fetch answer for the partition: `next` is where the following fetch starts (nil:
    /// unchanged), `watermarks` what the leader reported, `withRecords` whether records
    /// follow for the application. Returns false when the answer is stale (seeked or revoked
    /// meanwhile).
    @discardableResult
    mutating func fetchCompleted(
        _ partition: TopicPartition, epoch: UInt64, next: Int64?, watermarks: PartitionWatermarks? = nil,
        withRecords: Bool = false
    ) -> Bool {
        guard var state = partitions[partition], state.epoch == epoch else { return false }
        state.fetching = false
        if let next { state.position = .offset(next) }
        if let watermarks { state.watermarks = watermarks }
        if withRecords { state.undelivered += 1 }
        partitions[partition] = state
        return true
    }

    /// The records of one fetch answer (see `fetchCompleted(withRecords:)`) were all handed
    /// out, or dropped before any was (none to deliver).
    mutating func answerDelivered(_ partition: TopicPartition, epoch: UInt64) {
        guard let state = partitions[partition], state.epoch == epoch, state.undelivered > 0 else { return }
        partitions[partition]!.undelivered -= 1
    }

    /// OFFSET_OUT_OF_RANGE: reset with the policy's position, or nil to stop the partition
    /// (policy none; the caller reports the error).
    mutating func outOfRange(_ partition: TopicPartition, epoch: UInt64, reset: SeekPosition?) {
        guard var state = partitions[partition], state.epoch == epoch else { return }
        state.fetching = false
        if let reset {
            state.position = .resolve(reset)
        } else {
            state.paused = true
        }
        partitions[partition] = state
    }

    // MARK: Consumption and commits

    /// The application took the record at `offset`.
    mutating func delivered(_ partition: TopicPartition, epoch: UInt64, offset: Int64) {
        guard partitions[partition]?.epoch == epoch else { return }
        partitions[partition]!.consumed = offset + 1
    }

    func isCurrent(_ partition: TopicPartition, epoch: UInt64) -> Bool {
        guard let state = partitions[partition] else { return false }
        return state.epoch == epoch && !state.paused
    }

    /// Consumed offsets not committed yet, for `only` partitions when given.
    func uncommitted(only: Set<TopicPartition>? = nil) -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for (key, state) in partitions where only?.contains(key) ?? true {
            if let consumed = state.consumed, consumed != state.committed { result[key] = consumed }
        }
        return result
    }

    mutating func markCommitted(_ offsets: [TopicPartition: Int64]) {
        for (key, offset) in offsets { partitions[key]?.committed = offset }
    }
}
