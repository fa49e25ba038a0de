/// A change of the partitions a group member owns, told to the application before it takes
/// effect: the consumer awaits the application's handler before the partitions move on.
public struct RebalanceEvent: Sendable, Hashable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Base: Sendable, Hashable { case assigned, revoked, lost }
        let base: Base

        /// New partitions; records from them follow (Java's onPartitionsAssigned).
        public static let assigned = Kind(base: .assigned)
        /// Partitions about to move to another member. No more of their records are handed
        /// out; once the handler returns, their consumed offsets are committed (commitOnRevoke)
        /// and they are released (onPartitionsRevoked).
        public static let revoked = Kind(base: .revoked)
        /// Partitions the group already gave to someone else (this member was expelled,
        /// e.g. after missing heartbeats). Committing is no longer possible (onPartitionsLost).
        public static let lost = Kind(base: .lost)

        public var description: String { "\(base)" }
    }

    public var kind: Kind
    /// The partitions this step adds, revokes or loses (cooperative members are told only
    /// the ones that move; `assignment` has all they own).
    public var partitions: [TopicPartition]
    /// On `.assigned`: the member's whole assignment after the rebalance, with the leader's
    /// user data. There is one `.assigned` event per completed rebalance (its `partitions`
    /// may be empty), so this is where every member learns what the leader sent. Nil on
    /// `.revoked` and `.lost`.
    public var assignment: MemberAssignment?

    public init(kind: Kind, partitions: [TopicPartition], assignment: MemberAssignment? = nil) {
        self.kind = kind
        self.partitions = partitions
        self.assignment = assignment
    }

    public var description: String { "\(kind) \(partitions)" }
}

/// Called by the consumer on every rebalance step; the step waits until it returns.
public typealias RebalanceHandler = @Sendable (RebalanceEvent) async -> Void
