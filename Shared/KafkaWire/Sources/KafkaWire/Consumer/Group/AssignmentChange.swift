import NIOCore

/// What a completed rebalance changes for this member.
struct AssignmentChange: Hashable, Sendable {
    /// Everything the member owns after the change.
    var assigned: [TopicPartition]
    /// Newly owned: fetching starts at the committed offsets.
    var added: [TopicPartition]
    /// Owned before, not now (cooperative only; eager members revoke all before joining).
    var revoked: [TopicPartition]
    /// What the leader attached to this member's assignment.
    var userData: ByteBuffer? = nil
}
