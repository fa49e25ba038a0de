import KafkaProtocol

/// What a Metadata response says about the cluster: its brokers and (some of) its topics.
public struct ClusterMetadata: Sendable, Hashable {
    public var clusterID: String?
    /// The controller's node id (-1 when unknown); topic creation and deletion go there.
    public var controllerID: Int32
    public var brokers: [Int32: BrokerAddress]
    public var topics: [String: TopicMetadata]

    public init(clusterID: String? = nil, controllerID: Int32 = -1, brokers: [Int32: BrokerAddress] = [:], topics: [String: TopicMetadata] = [:]) {
        self.clusterID = clusterID
        self.controllerID = controllerID
        self.brokers = brokers
        self.topics = topics
    }
}

public struct TopicMetadata: Sendable, Hashable {
    public var name: String
    public var id: KafkaUUID
    public var error: KafkaErrorCode
    public var isInternal: Bool
    /// Sorted by index.
    public var partitions: [PartitionMetadata]

    public init(name: String, id: KafkaUUID = .zero, error: KafkaErrorCode = .none, isInternal: Bool = false, partitions: [PartitionMetadata] = []) {
        self.name = name
        self.id = id
        self.error = error
        self.isInternal = isInternal
        self.partitions = partitions
    }

    /// Usable for routing: no topic error and every partition has a leader.
    var isComplete: Bool {
        error == .none && !partitions.isEmpty && partitions.allSatisfy { $0.leader >= 0 && $0.error == .none }
    }
}

public struct PartitionMetadata: Sendable, Hashable {
    public var index: Int32
    /// The leader's node id; -1 while there is none.
    public var leader: Int32
    public var leaderEpoch: Int32
    public var replicas: [Int32]
    public var inSyncReplicas: [Int32]
    public var error: KafkaErrorCode

    public init(index: Int32, leader: Int32, leaderEpoch: Int32 = -1, replicas: [Int32] = [], inSyncReplicas: [Int32] = [], error: KafkaErrorCode = .none) {
        self.index = index
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.inSyncReplicas = inSyncReplicas
        self.error = error
    }
}

extension ClusterMetadata {
    /// Reads a Metadata response of any version.
    init(_ response: MetadataResponse) {
        var brokers: [Int32: BrokerAddress] = [:]
        for broker in response.brokers {
            brokers[broker.nodeId] = BrokerAddress(host: broker.host, port: Int(broker.port))
        }
        var topics: [String: TopicMetadata] = [:]
        for topic in response.topics {
            guard let name = topic.name else { continue }
            let partitions = topic.partitions.map {
                PartitionMetadata(index: $0.partitionIndex, leader: $0.leaderId, leaderEpoch: $0.leaderEpoch,
                                  replicas: $0.replicaNodes, inSyncReplicas: $0.isrNodes, error: KafkaErrorCode(rawValue: $0.errorCode))
            }.sorted { $0.index < $1.index }
            topics[name] = TopicMetadata(name: name, id: topic.topicId, error: KafkaErrorCode(rawValue: topic.errorCode),
                                         isInternal: topic.isInternal, partitions: partitions)
        }
        self.init(clusterID: response.clusterId, controllerID: response.controllerId, brokers: brokers, topics: topics)
    }
}

extension MetadataRequest {
    /// A request for `topics` (nil: all) in the shape `version` needs.
    init(topics: [String]?, autoCreate: Bool, version: Int16) {
        // v0 has no null: an empty list means all topics, so "no topics" cannot be asked there.
        let list: [MetadataRequestTopic]? = topics.map { $0.map { MetadataRequestTopic(name: $0) } } ?? (version == 0 ? [] : nil)
        self.init(topics: list, allowAutoTopicCreation: autoCreate)
    }
}
