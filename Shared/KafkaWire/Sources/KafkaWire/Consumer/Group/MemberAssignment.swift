import NIOCore

/// This member's share of a completed rebalance, as the group leader sent it (Java's
/// Assignment with the ConsumerGroupMetadata it came in). The leader's user data is how an
/// application learns group-wide facts at every rebalance, such as which member owns which
/// partition (see `PartitionAssignmentStrategy.attachingUserData`).
public struct MemberAssignment: Sendable, Hashable {
    /// The generation the assignment belongs to.
    public var generation: Int32
    public var memberID: String
    /// Every partition the member owns in this generation.
    public var partitions: [TopicPartition]
    /// What the leader attached for this member; nil when it attached nothing.
    public var userData: ByteBuffer?

    public init(generation: Int32, memberID: String, partitions: [TopicPartition], userData: ByteBuffer?) {
        self.generation = generation
        self.memberID = memberID
        self.partitions = partitions
        self.userData = userData
    }
}
