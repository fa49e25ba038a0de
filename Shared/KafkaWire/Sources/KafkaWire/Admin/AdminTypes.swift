import KafkaProtocol

/// A topic to create.
public struct NewTopic: Sendable, Hashable {
    public var name: String
    /// -1 lets the broker choose (num.partitions); needs CreateTopics v4+.
    public var partitions: Int32
    /// -1 lets the broker choose (default.replication.factor); needs CreateTopics v4+.
    public var replicationFactor: Int16
    /// Topic configs, such as "cleanup.policy": "compact".
    public var configs: [String: String]

    public init(name: String, partitions: Int32 = -1, replicationFactor: Int16 = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// The outcome for one topic of a create or delete.
public struct TopicResult: Sendable, Hashable {
    public var name: String
    /// nil when the operation succeeded.
    public var error: KafkaError?

    public init(name: String, error: KafkaError?) {
        self.name = name
        self.error = error
    }
}

/// Which offset ListOffsets should look up.
public enum OffsetSpec: Sendable, Hashable {
    /// The log start offset.
    case earliest
    /// The log end offset (the offset the next record will get).
    case latest
    /// The first offset whose timestamp is at or after this many milliseconds since the epoch.
    case timestamp(Int64)

    var wireValue: Int64 {
        switch self {
        case .earliest: return -2
        case .latest: return -1
        case .timestamp(let milliseconds): return milliseconds
        }
    }
}

/// One partition's answer to ListOffsets.
public struct PartitionOffset: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// -1 when no offset matches (a timestamp after the last record) or on error.
    public var offset: Int64
    public var timestamp: Int64
    public var leaderEpoch: Int32
    public var error: KafkaErrorCode
}

/// A group as ListGroups reports it.
public struct GroupListing: Sendable, Hashable {
    public var groupID: String
    public var protocolType: String
    /// Empty when the broker is too old to report it (ListGroups before v4).
    public var state: String
    public var coordinator: Int32
}

/// A group as DescribeGroups reports it.
public struct GroupDescription: Sendable, Hashable {
    public var groupID: String
    public var state: String
    public var protocolType: String
    /// The assignor the group chose (for consumer groups: "range", "cooperative-sticky", ...).
    public var assignmentProtocol: String
    public var coordinator: Int32
    public var error: KafkaErrorCode
    public var members: [GroupMemberDescription]
}

public struct GroupMemberDescription: Sendable, Hashable {
    public var memberID: String
    public var groupInstanceID: String?
    public var clientID: String
    public var clientHost: String
    /// The partitions assigned, by topic, when the group uses the consumer protocol.
    public var assignment: [String: [Int32]]
}

/// How far a group's committed offset trails a partition's end.
public struct PartitionLag: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// nil when the group has committed nothing for the partition.
    public var committedOffset: Int64?
    /// -1 when the end could not be looked up (the topic was deleted, say).
    public var endOffset: Int64

    public init(topic: String, partition: Int32, committedOffset: Int64?, endOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.committedOffset = committedOffset
        self.endOffset = endOffset
    }

    /// nil without a committed offset or a known end.
    public var lag: Int64? {
        guard let committedOffset, endOffset >= 0 else { return nil }
        return max(0, endOffset - committedOffset)
    }
}
