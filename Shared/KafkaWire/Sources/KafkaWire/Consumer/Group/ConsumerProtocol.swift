import KafkaProtocol
import NIOCore

/// Kafka's consumer protocol: the bytes consumer-group members put in JoinGroup metadata
/// and SyncGroup assignments. A big-endian int16 version, then the versioned body
/// (ConsumerProtocolSubscription / ConsumerProtocolAssignment). Java, librdkafka and
/// KafkaWire members read each other's bytes, so the group can mix them.
enum ConsumerProtocol {
    /// JoinGroup protocolType of consumer groups.
    static let protocolType = "consumer"
    /// Highest body version we write and fully understand (Java 3.x and 4.x write 3).
    static let highestVersion: Int16 = 3

    /// A member's subscription as decoded from JoinGroup metadata.
    struct Subscription: Hashable, Sendable {
        var version: Int16 = highestVersion
        var topics: [String]
        var userData: ByteBuffer? = nil
        var ownedPartitions: [TopicPartition] = []
        /// The generation the owned partitions belong to; -1 when unknown (versions 0-1).
        var generation: Int32 = -1
        var rackID: String? = nil
    }

    static func encode(_ subscription: Subscription, version: Int16 = highestVersion) throws -> ByteBuffer {
        var body = ConsumerProtocolSubscription()
        body.topics = subscription.topics
        body.userData = subscription.userData
        body.ownedPartitions = group(subscription.ownedPartitions).map {
            ConsumerProtocolSubscription.TopicPartition(topic: $0.topic, partitions: $0.partitions)
        }
        body.generationId = subscription.generation
        body.rackId = subscription.rackID
        var buffer = ByteBuffer()
        buffer.writeInteger(version)
        try body.encode(to: &buffer, version: version)
        return buffer
    }

    /// Decodes metadata of any version: a version above 3 is read as 3, since later
    /// versions only append fields (Java's ConsumerProtocol does the same).
    static func decodeSubscription(_ bytes: ByteBuffer) throws -> Subscription {
        var buffer = bytes
        let version = try readVersion(&buffer)
        let body = try ConsumerProtocolSubscription(from: &buffer, version: min(version, highestVersion))
        return Subscription(
            version: version, topics: body.topics, userData: body.userData,
            ownedPartitions: body.ownedPartitions.flatMap { tp in tp.partitions.map { TopicPartition(tp.topic, $0) } },
            generation: body.generationId, rackID: body.rackId)
    }

    static func encodeAssignment(_ partitions: [TopicPartition], userData: ByteBuffer? = nil, version: Int16 = highestVersion) throws -> ByteBuffer {
        var body = ConsumerProtocolAssignment()
        body.assignedPartitions = group(partitions).map {
            ConsumerProtocolAssignment.TopicPartition(topic: $0.topic, partitions: $0.partitions)
        }
        body.userData = userData
        var buffer = ByteBuffer()
        buffer.writeInteger(version)
        try body.encode(to: &buffer, version: version)
        return buffer
    }

    /// A member's share as decoded from a SyncGroup answer.
    struct Assignment: Hashable, Sendable {
        var partitions: [TopicPartition]
        /// What the leader's assignor attached for this member (Java's Assignment.userData).
        var userData: ByteBuffer? = nil
    }

    /// A SyncGroup assignment; an empty buffer (a member the leader gave nothing, as some
    /// clients write it) is no partitions and no user data.
    static func decodeAssignment(_ bytes: ByteBuffer) throws -> Assignment {
        var buffer = bytes
        if buffer.readableBytes == 0 { return Assignment(partitions: []) }
        let version = try readVersion(&buffer)
        let body = try ConsumerProtocolAssignment(from: &buffer, version: min(version, highestVersion))
        return Assignment(
            partitions: body.assignedPartitions.flatMap { tp in tp.partitions.map { TopicPartition(tp.topic, $0) } },
            userData: body.userData)
    }

    private static func readVersion(_ buffer: inout ByteBuffer) throws -> Int16 {
        guard let version = buffer.readInteger(as: Int16.self) else {
            throw ProtocolError(.truncated, "consumer protocol bytes without a version")
        }
        guard version >= 0 else {
            throw ProtocolError(.unsupportedVersion, "consumer protocol version \(version)")
        }
        return version
    }

    /// Partitions grouped by topic, topics and partitions sorted, as Java writes them.
    static func group(_ partitions: [TopicPartition]) -> [(topic: String, partitions: [Int32])] {
        var byTopic: [String: [Int32]] = [:]
        for tp in partitions { byTopic[tp.topic, default: []].append(tp.partition) }
        return byTopic.keys.sorted().map { ($0, byTopic[$0]!.sorted()) }
    }
}
