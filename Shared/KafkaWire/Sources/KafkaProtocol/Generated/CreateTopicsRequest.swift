// GENERATED FILE - DO NOT EDIT. Generated from message/CreateTopicsRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "CreateTopicsRequest" (versions 0-7, flexible 5+).
public struct CreateTopicsRequest: KafkaRequestMessage {
    public typealias Response = CreateTopicsResponse
    public static let apiKey: APIKey = .createTopics
    public static let validVersions: ClosedRange<Int16> = 0...7
    public static let firstFlexibleVersion: Int16? = 5

    /// The topics to create.
    public var topics: [CreatableTopic] = []
    /// How long to wait in milliseconds before timing out the request.
    public var timeoutMs: Int32 = 60000
    /// If true, check that the topics can be created as specified, but don't create anything.
    public var validateOnly: Bool = false
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(topics: [CreatableTopic] = [], timeoutMs: Int32 = 60000, validateOnly: Bool = false) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "CreateTopicsRequest does not support version \(version)")
        }
        let flexible = version >= 5
        self.init()
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable CreateTopicsRequest.topics")
            }
            var array2: [CreatableTopic] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try CreatableTopic(from: &buffer, version: version))
            }
            self.topics = array2
        }
        self.timeoutMs = try buffer.readKafkaInteger(as: Int32.self)
        if version >= 1 {
            self.validateOnly = try buffer.readKafkaBool()
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "CreateTopicsRequest does not support version \(version)")
        }
        let flexible = version >= 5
        buffer.writeKafkaArrayCount(self.topics.count, compact: flexible)
        for item1 in self.topics {
            try item1.encode(to: &buffer, version: version)
        }
        buffer.writeKafkaInteger(self.timeoutMs)
        if version >= 1 {
            buffer.writeKafkaBool(self.validateOnly)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The topics to create.
    public struct CreatableTopic: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// The number of partitions to create in the topic, or -1 if we are either specifying a manual partition assignment or using the default partitions.
        public var numPartitions: Int32 = 0
        /// The number of replicas to create for each partition in the topic, or -1 if we are either specifying a manual partition assignment or using the default replication factor.
        public var replicationFactor: Int16 = 0
        /// The manual partition assignment, or the empty array if we are using automatic assignment.
        public var assignments: [CreatableReplicaAssignment] = []
        /// The custom topic configurations to set.
        public var configs: [CreatableTopicConfig] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", numPartitions: Int32 = 0, replicationFactor: Int16 = 0, assignments: [CreatableReplicaAssignment] = [], configs: [CreatableTopicConfig] = []) {
            self.name = name
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.assignments = assignments
            self.configs = configs
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            self.numPartitions = try buffer.readKafkaInteger(as: Int32.self)
            self.replicationFactor = try buffer.readKafkaInteger(as: Int16.self)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable CreateTopicsRequest.CreatableTopic.assignments")
                }
                var array2: [CreatableReplicaAssignment] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try CreatableReplicaAssignment(from: &buffer, version: version))
                }
                self.assignments = array2
            }
            do {
                guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable CreateTopicsRequest.CreatableTopic.configs")
                }
                var array4: [CreatableTopicConfig] = []
                array4.reserveCapacity(count3)
                for _ in 0..<count3 {
                    array4.append(try CreatableTopicConfig(from: &buffer, version: version))
                }
                self.configs = array4
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaInteger(self.numPartitions)
            buffer.writeKafkaInteger(self.replicationFactor)
            buffer.writeKafkaArrayCount(self.assignments.count, compact: flexible)
            for item1 in self.assignments {
                try item1.encode(to: &buffer, version: version)
            }
            buffer.writeKafkaArrayCount(self.configs.count, compact: flexible)
            for item2 in self.configs {
                try item2.encode(to: &buffer, version: version)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// The manual partition assignment, or the empty array if we are using automatic assignment.
    public struct CreatableReplicaAssignment: Hashable, Sendable {
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The brokers to place the partition on.
        public var brokerIds: [Int32] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partitionIndex: Int32 = 0, brokerIds: [Int32] = []) {
            self.partitionIndex = partitionIndex
            self.brokerIds = brokerIds
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            self.init()
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable CreateTopicsRequest.CreatableReplicaAssignment.brokerIds")
                }
                var array2: [Int32] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaInteger(as: Int32.self))
                }
                self.brokerIds = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            buffer.writeKafkaInteger(self.partitionIndex)
            buffer.writeKafkaArrayCount(self.brokerIds.count, compact: flexible)
            for item1 in self.brokerIds {
                buffer.writeKafkaInteger(item1)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// The custom topic configurations to set.
    public struct CreatableTopicConfig: Hashable, Sendable {
        /// The configuration name.
        public var name: String = ""
        /// The configuration value.
        public var value: String? = ""
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", value: String? = "") {
            self.name = name
            self.value = value
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            self.value = try buffer.readKafkaNullableString(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaString(self.value, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
