// GENERATED FILE - DO NOT EDIT. Generated from message/MetadataResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "MetadataResponse" (versions 0-12, flexible 9+).
public struct MetadataResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .metadata
    public static let validVersions: ClosedRange<Int16> = 0...12
    public static let firstFlexibleVersion: Int16? = 9

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// A list of brokers present in the cluster.
    public var brokers: [MetadataResponseBroker] = []
    /// The cluster ID that responding broker belongs to.
    public var clusterId: String? = nil
    /// The ID of the controller broker.
    public var controllerId: Int32 = -1
    /// Each topic in the response.
    public var topics: [MetadataResponseTopic] = []
    /// 32-bit bitfield to represent authorized operations for this cluster.
    public var clusterAuthorizedOperations: Int32 = -2147483648
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, brokers: [MetadataResponseBroker] = [], clusterId: String? = nil, controllerId: Int32 = -1, topics: [MetadataResponseTopic] = [], clusterAuthorizedOperations: Int32 = -2147483648) {
        self.throttleTimeMs = throttleTimeMs
        self.brokers = brokers
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.topics = topics
        self.clusterAuthorizedOperations = clusterAuthorizedOperations
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "MetadataResponse does not support version \(version)")
        }
        let flexible = version >= 9
        self.init()
        if version >= 3 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable MetadataResponse.brokers")
            }
            var array2: [MetadataResponseBroker] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try MetadataResponseBroker(from: &buffer, version: version))
            }
            self.brokers = array2
        }
        if version >= 2 {
            self.clusterId = try buffer.readKafkaNullableString(compact: flexible)
        }
        if version >= 1 {
            self.controllerId = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable MetadataResponse.topics")
            }
            var array4: [MetadataResponseTopic] = []
            array4.reserveCapacity(count3)
            for _ in 0..<count3 {
                array4.append(try MetadataResponseTopic(from: &buffer, version: version))
            }
            self.topics = array4
        }
        if version >= 8 && version <= 10 {
            self.clusterAuthorizedOperations = try buffer.readKafkaInteger(as: Int32.self)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "MetadataResponse does not support version \(version)")
        }
        let flexible = version >= 9
        if version >= 3 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        buffer.writeKafkaArrayCount(self.brokers.count, compact: flexible)
        for item1 in self.brokers {
            try item1.encode(to: &buffer, version: version)
        }
        if version >= 2 {
            buffer.writeKafkaString(self.clusterId, compact: flexible)
        }
        if version >= 1 {
            buffer.writeKafkaInteger(self.controllerId)
        }
        buffer.writeKafkaArrayCount(self.topics.count, compact: flexible)
        for item2 in self.topics {
            try item2.encode(to: &buffer, version: version)
        }
        if version >= 8 && version <= 10 {
            buffer.writeKafkaInteger(self.clusterAuthorizedOperations)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// A list of brokers present in the cluster.
    public struct MetadataResponseBroker: Hashable, Sendable {
        /// The broker ID.
        public var nodeId: Int32 = 0
        /// The broker hostname.
        public var host: String = ""
        /// The broker port.
        public var port: Int32 = 0
        /// The rack of the broker, or null if it has not been assigned to a rack.
        public var rack: String? = nil
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(nodeId: Int32 = 0, host: String = "", port: Int32 = 0, rack: String? = nil) {
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.rack = rack
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            self.nodeId = try buffer.readKafkaInteger(as: Int32.self)
            self.host = try buffer.readKafkaString(compact: flexible)
            self.port = try buffer.readKafkaInteger(as: Int32.self)
            if version >= 1 {
                self.rack = try buffer.readKafkaNullableString(compact: flexible)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            buffer.writeKafkaInteger(self.nodeId)
            buffer.writeKafkaString(self.host, compact: flexible)
            buffer.writeKafkaInteger(self.port)
            if version >= 1 {
                buffer.writeKafkaString(self.rack, compact: flexible)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Each topic in the response.
    public struct MetadataResponseTopic: Hashable, Sendable {
        /// The topic error, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// The topic name. Null for non-existing topics queried by ID. This is never null when ErrorCode is zero. One of Name and TopicId is always populated.
        public var name: String? = ""
        /// The topic id. Zero for non-existing topics queried by name. This is never zero when ErrorCode is zero. One of Name and TopicId is always populated.
        public var topicId: KafkaUUID = KafkaUUID.zero
        /// True if the topic is internal.
        public var isInternal: Bool = false
        /// Each partition in the topic.
        public var partitions: [MetadataResponsePartition] = []
        /// 32-bit bitfield to represent authorized operations for this topic.
        public var topicAuthorizedOperations: Int32 = -2147483648
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(errorCode: Int16 = 0, name: String? = "", topicId: KafkaUUID = KafkaUUID.zero, isInternal: Bool = false, partitions: [MetadataResponsePartition] = [], topicAuthorizedOperations: Int32 = -2147483648) {
            self.errorCode = errorCode
            self.name = name
            self.topicId = topicId
            self.isInternal = isInternal
            self.partitions = partitions
            self.topicAuthorizedOperations = topicAuthorizedOperations
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            if version >= 12 {
                self.name = try buffer.readKafkaNullableString(compact: flexible)
            } else {
                self.name = try buffer.readKafkaString(compact: flexible)
            }
            if version >= 10 {
                self.topicId = try buffer.readKafkaUUID()
            }
            if version >= 1 {
                self.isInternal = try buffer.readKafkaBool()
            }
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable MetadataResponse.MetadataResponseTopic.partitions")
                }
                var array2: [MetadataResponsePartition] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try MetadataResponsePartition(from: &buffer, version: version))
                }
                self.partitions = array2
            }
            if version >= 8 {
                self.topicAuthorizedOperations = try buffer.readKafkaInteger(as: Int32.self)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            buffer.writeKafkaInteger(self.errorCode)
            if self.name == nil && !(version >= 12) {
                throw ProtocolError(.invalidValue, "MetadataResponse.MetadataResponseTopic.name is null but not nullable in version \(version)")
            }
            buffer.writeKafkaString(self.name, compact: flexible)
            if version >= 10 {
                buffer.writeKafkaUUID(self.topicId)
            }
            if version >= 1 {
                buffer.writeKafkaBool(self.isInternal)
            }
            buffer.writeKafkaArrayCount(self.partitions.count, compact: flexible)
            for item1 in self.partitions {
                try item1.encode(to: &buffer, version: version)
            }
            if version >= 8 {
                buffer.writeKafkaInteger(self.topicAuthorizedOperations)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Each partition in the topic.
    public struct MetadataResponsePartition: Hashable, Sendable {
        /// The partition error, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The ID of the leader broker.
        public var leaderId: Int32 = 0
        /// The leader epoch of this partition.
        public var leaderEpoch: Int32 = -1
        /// The set of all nodes that host this partition.
        public var replicaNodes: [Int32] = []
        /// The set of nodes that are in sync with the leader for this partition.
        public var isrNodes: [Int32] = []
        /// The set of offline replicas of this partition.
        public var offlineReplicas: [Int32] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(errorCode: Int16 = 0, partitionIndex: Int32 = 0, leaderId: Int32 = 0, leaderEpoch: Int32 = -1, replicaNodes: [Int32] = [], isrNodes: [Int32] = [], offlineReplicas: [Int32] = []) {
            self.errorCode = errorCode
            self.partitionIndex = partitionIndex
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
            self.replicaNodes = replicaNodes
            self.isrNodes = isrNodes
            self.offlineReplicas = offlineReplicas
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            self.leaderId = try buffer.readKafkaInteger(as: Int32.self)
            if version >= 7 {
                self.leaderEpoch = try buffer.readKafkaInteger(as: Int32.self)
            }
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable MetadataResponse.MetadataResponsePartition.replicaNodes")
                }
                var array2: [Int32] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaInteger(as: Int32.self))
                }
                self.replicaNodes = array2
            }
            do {
                guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable MetadataResponse.MetadataResponsePartition.isrNodes")
                }
                var array4: [Int32] = []
                array4.reserveCapacity(count3)
                for _ in 0..<count3 {
                    array4.append(try buffer.readKafkaInteger(as: Int32.self))
                }
                self.isrNodes = array4
            }
            if version >= 5 {
                do {
                    guard let count5 = try buffer.readKafkaArrayCount(compact: flexible) else {
                        throw ProtocolError(.invalidLength, "null array in non-nullable MetadataResponse.MetadataResponsePartition.offlineReplicas")
                    }
                    var array6: [Int32] = []
                    array6.reserveCapacity(count5)
                    for _ in 0..<count5 {
                        array6.append(try buffer.readKafkaInteger(as: Int32.self))
                    }
                    self.offlineReplicas = array6
                }
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            buffer.writeKafkaInteger(self.errorCode)
            buffer.writeKafkaInteger(self.partitionIndex)
            buffer.writeKafkaInteger(self.leaderId)
            if version >= 7 {
                buffer.writeKafkaInteger(self.leaderEpoch)
            }
            buffer.writeKafkaArrayCount(self.replicaNodes.count, compact: flexible)
            for item1 in self.replicaNodes {
                buffer.writeKafkaInteger(item1)
            }
            buffer.writeKafkaArrayCount(self.isrNodes.count, compact: flexible)
            for item2 in self.isrNodes {
                buffer.writeKafkaInteger(item2)
            }
            if version >= 5 {
                buffer.writeKafkaArrayCount(self.offlineReplicas.count, compact: flexible)
                for item3 in self.offlineReplicas {
                    buffer.writeKafkaInteger(item3)
                }
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
