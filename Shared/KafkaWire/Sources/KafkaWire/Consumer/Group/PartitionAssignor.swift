import NIOCore

/// What the group leader's assignor sees of one member: its subscription as the member sent
/// it in JoinGroup (Java's ConsumerPartitionAssignor.Subscription with its member id).
public struct AssignorMember: Hashable, Sendable {
    public var memberID: String
    /// Static members sort by instance id first, as in Java's MemberInfo.
    public var groupInstanceID: String?
    public var topics: [String]
    /// Partitions the member owns now (cooperative protocols; empty for eager ones).
    public var ownedPartitions: [TopicPartition] = []
    /// Generation of `ownedPartitions`; -1 when the member did not say.
    public var generation: Int32 = -1
    /// The member's subscription user data (`KafkaConsumerConfiguration.subscriptionUserData`
    /// for KafkaWire members). Other clients put their own bytes here: librdkafka's sticky
    /// assignors their previous assignment, Java's cooperative-sticky the generation.
    public var userData: ByteBuffer? = nil

    public init(
        memberID: String, groupInstanceID: String? = nil, topics: [String], ownedPartitions: [TopicPartition] = [],
        generation: Int32 = -1, userData: ByteBuffer? = nil
    ) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.topics = topics
        self.ownedPartitions = ownedPartitions
        self.generation = generation
        self.userData = userData
    }

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

/// Computes, on the group leader, the user data attached to each member's assignment, from
/// every member's subscription and the partitions the assignor gave each member (by member
/// id). Members missing from the result get no user data. Runs once per rebalance; keep it
/// fast and pure, since the whole group waits for it.
public typealias AssignmentUserDataProvider =
    @Sendable (_ members: [AssignorMember], _ assignment: [String: [TopicPartition]]) -> [String: ByteBuffer]

/// A partition assignment strategy offered to the group (partition.assignment.strategy).
/// The names are Kafka's, shared with Java and librdkafka members.
public struct PartitionAssignmentStrategy: Sendable, Hashable, CustomStringConvertible {
    enum Base: Sendable, Hashable { case range, roundRobin, cooperativeSticky }
    let base: Base
    let userData: UserDataHook?

    private init(base: Base, userData: UserDataHook? = nil) {
        self.base = base
        self.userData = userData
    }

    /// Each topic's partitions split into contiguous ranges over the members (Java's RangeAssignor).
    public static let range = PartitionAssignmentStrategy(base: .range)
    /// All partitions dealt round the members in turn (Java's RoundRobinAssignor).
    public static let roundRobin = PartitionAssignmentStrategy(base: .roundRobin)
    /// Balanced and sticky, with incremental cooperative rebalancing (Java's CooperativeStickyAssignor).
    public static let cooperativeSticky = PartitionAssignmentStrategy(base: .cooperativeSticky)

    /// This strategy, whose leader also attaches user data to each member's assignment (as a
    /// Java ConsumerPartitionAssignor returning GroupAssignment with userData, or Kafka
    /// Streams' AssignmentInfo): e.g. which member owns which partition, so every member
    /// learns it at each rebalance (`RebalanceEvent.assignment`).
    ///
    /// The partitions are the strategy's own, untouched, and so is its protocol name: the
    /// group can mix these members with Java or librdkafka members of the same strategy. The
    /// data is only attached when a member with this hook is the leader; other leaders send
    /// their own (librdkafka echoes each member's subscription user data, Java none).
    public func attachingUserData(_ provider: @escaping AssignmentUserDataProvider) -> PartitionAssignmentStrategy {
        PartitionAssignmentStrategy(base: base, userData: UserDataHook(provider))
    }

    /// The protocol name in JoinGroup.
    public var name: String { assignor.name }
    public var description: String { userData == nil ? name : name + " (with user data)" }

    var assignor: any PartitionAssignor {
        switch base {
        case .range: return RangeAssignor()
        case .roundRobin: return RoundRobinAssignor()
        case .cooperativeSticky: return CooperativeStickyAssignor()
        }
    }

    /// The provider, compared by identity (closures are not comparable).
    final class UserDataHook: Sendable, Hashable {
        let provider: AssignmentUserDataProvider
        init(_ provider: @escaping AssignmentUserDataProvider) { self.provider = provider }
        static func == (a: UserDataHook, b: UserDataHook) -> Bool { a === b }
        func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    }
}
