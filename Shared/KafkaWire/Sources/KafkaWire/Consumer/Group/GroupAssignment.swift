import KafkaProtocol
import NIOCore

/// The leader's work between JoinGroup and SyncGroup: decode every member's subscription,
/// run the chosen assignor, encode each member's share in the version it speaks.
enum GroupAssignment {
    /// Members as the assignor sees them. Throws `.protocolViolation` on undecodable metadata.
    static func members(_ joined: [JoinGroupResponse.JoinGroupResponseMember]) throws -> [(member: AssignorMember, version: Int16)] {
        try joined.map { member in
            let subscription: ConsumerProtocol.Subscription
            do {
                subscription = try ConsumerProtocol.decodeSubscription(member.metadata)
            } catch {
                throw KafkaError(.protocolViolation, "member \(member.memberId): bad subscription metadata: \(error)")
            }
            return (
                AssignorMember(
                    memberID: member.memberId, groupInstanceID: member.groupInstanceId,
                    topics: subscription.topics, ownedPartitions: subscription.ownedPartitions,
                    generation: subscription.generation),
                subscription.version
            )
        }
    }

    /// Every topic any member subscribes to (the leader needs their partition counts).
    static func topics(of members: [AssignorMember]) -> [String] {
        Set(members.flatMap(\.topics)).sorted()
    }

    /// Runs `protocolName`'s assignor. Throws `.invalidConfiguration` for an assignor this
    /// client does not have (the coordinator only picks one every member offered, so this
    /// means a misbehaving coordinator).
    static func compute(
        protocolName: String, members: [AssignorMember], partitionCounts: [String: Int32]
    ) throws -> [String: [TopicPartition]] {
        guard let strategy = PartitionAssignmentStrategy.named(protocolName) else {
            throw KafkaError(.invalidConfiguration, "group chose assignor \"\(protocolName)\", which this client lacks")
        }
        return strategy.assignor.assign(members: members, partitionCounts: partitionCounts)
    }

    /// Each member's assignment in the consumer-protocol version of its subscription, so
    /// older clients can read it.
    static func encode(_ assignments: [String: [TopicPartition]], versions: [String: Int16]) throws -> [SyncGroupRequest.SyncGroupRequestAssignment] {
        try assignments.keys.sorted().map { memberID in
            let version = min(versions[memberID] ?? ConsumerProtocol.highestVersion, ConsumerProtocol.highestVersion)
            return SyncGroupRequest.SyncGroupRequestAssignment(
                memberId: memberID,
                assignment: try ConsumerProtocol.encodeAssignment(assignments[memberID]!, version: version))
        }
    }
}
