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
                    generation: subscription.generation, userData: subscription.userData),
                subscription.version
            )
        }
    }

    /// Every topic any member subscribes to (the leader needs their partition counts).
    static func topics(of members: [AssignorMember]) -> [String] {
        Set(members.flatMap(\.topics)).sorted()
    }

    /// Each member's share: its partitions and what the leader attaches for it.
    struct Share: Hashable, Sendable {
        var partitions: [TopicPartition]
        var userData: ByteBuffer? = nil
    }

    /// Runs `protocolName`'s assignor as configured in `strategies` (with its user data
    /// provider, if any). Throws `.invalidConfiguration` for an assignor this member did not
    /// offer (the coordinator only picks one every member offered, so this means a
    /// misbehaving coordinator).
    static func compute(
        protocolName: String, strategies: [PartitionAssignmentStrategy], members: [AssignorMember],
        partitionCounts: [String: Int32]
    ) throws -> [String: Share] {
        guard let strategy = strategies.first(where: { $0.name == protocolName }) else {
            throw KafkaError(.invalidConfiguration, "group chose assignor \"\(protocolName)\", which this member did not offer")
        }
        let partitions = strategy.assignor.assign(members: members, partitionCounts: partitionCounts)
        let userData = strategy.userData?.provider(members, partitions) ?? [:]
        return Dictionary(uniqueKeysWithValues: partitions.map { member, owned in
            (member, Share(partitions: owned, userData: userData[member]))
        })
    }

    /// Each member's assignment in the consumer-protocol version of its subscription, so
    /// older clients can read it.
    static func encode(_ shares: [String: Share], versions: [String: Int16]) throws -> [SyncGroupRequest.SyncGroupRequestAssignment] {
        try shares.keys.sorted().map { memberID in
            let version = min(versions[memberID] ?? ConsumerProtocol.highestVersion, ConsumerProtocol.highestVersion)
            let share = shares[memberID]!
            return SyncGroupRequest.SyncGroupRequestAssignment(
                memberId: memberID,
                assignment: try ConsumerProtocol.encodeAssignment(share.partitions, userData: share.userData, version: version))
        }
    }
}
