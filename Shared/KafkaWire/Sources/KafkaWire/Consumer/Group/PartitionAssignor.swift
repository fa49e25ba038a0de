/// What an assignor sees of one group member.
struct AssignorMember: Hashable, Sendable {
    var memberID: String
    /// Static members sort by instance id first, as in Java's MemberInfo.
    var groupInstanceID: String?
    var topics: [String]
    /// Partitions the member owns now (cooperative protocols; empty for eager ones).
    var ownedPartitions: [TopicPartition] = []
    /// Generation of `ownedPartitions`; -1 when the member did not say.
    var generation: Int32 = -1

    /// Java's MemberInfo order: members with an instance id by it, then by member id.
    static func javaOrder(_ a: AssignorMember, _ b: AssignorMember) -> Bool {
        switch (a.groupInstanceID, b.groupInstanceID) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.memberID < b.memberID
        }
    }
}

/// Computes a group's assignment on the leader. Pure: members and partition counts in,
/// partitions per member out (every member present, possibly with none).
protocol PartitionAssignor: Sendable {
    var name: String { get }
    /// Whether the assignor works with the cooperative rebalance protocol (members keep
    /// their partitions while rejoining; only moving partitions are revoked).
    var supportsCooperative: Bool { get }
    func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: [TopicPartition]]
}

/// A partition assignment strategy offered to the group (partition.assignment.strategy).
/// The names are Kafka's, shared with Java and librdkafka members.
public struct PartitionAssignmentStrategy: Sendable, Hashable, CustomStringConvertible {
    enum Base: Sendable, Hashable { case range, roundRobin, cooperativeSticky }
    let base: Base

    /// Each topic's partitions split into contiguous ranges over the members (Java's RangeAssignor).
    public static let range = PartitionAssignmentStrategy(base: .range)
    /// All partitions dealt round the members in turn (Java's RoundRobinAssignor).
    public static let roundRobin = PartitionAssignmentStrategy(base: .roundRobin)
    /// Balanced and sticky, with incremental cooperative rebalancing (Java's CooperativeStickyAssignor).
    public static let cooperativeSticky = PartitionAssignmentStrategy(base: .cooperativeSticky)

    /// The protocol name in JoinGroup.
    public var name: String { assignor.name }
    public var description: String { name }

    var assignor: any PartitionAssignor {
        switch base {
        case .range: return RangeAssignor()
        case .roundRobin: return RoundRobinAssignor()
        case .cooperativeSticky: return CooperativeStickyAssignor()
        }
    }

    static func named(_ name: String) -> PartitionAssignmentStrategy? {
        [.range, .roundRobin, .cooperativeSticky].first { $0.name == name }
    }
}
