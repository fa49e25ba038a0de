// GENERATED FILE - DO NOT EDIT. Generated from message/ConsumerProtocolSubscription.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ConsumerProtocolSubscription" (versions 0-3, flexible none).
public struct ConsumerProtocolSubscription: KafkaMessage {
    public static let validVersions: ClosedRange<Int16> = 0...3
    public static let firstFlexibleVersion: Int16? = nil

    public var topics: [String] = []
    public var userData: ByteBuffer? = nil
    public var ownedPartitions: [TopicPartition] = []
    public var generationId: Int32 = -1
    public var rackId: String? = nil
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(topics: [String] = [], userData: ByteBuffer? = nil, ownedPartitions: [TopicPartition] = [], generationId: Int32 = -1, rackId: String? = nil) {
        self.topics = topics
        self.userData = userData
        self.ownedPartitions = ownedPartitions
        self.generationId = generationId
        self.rackId = rackId
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ConsumerProtocolSubscription does not support version \(version)")
        }
        self.init()
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: false) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable ConsumerProtocolSubscription.topics")
            }
            var array2: [String] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try buffer.readKafkaString(compact: false))
            }
            self.topics = array2
        }
        self.userData = try buffer.readKafkaNullableBytes(compact: false)
        if version >= 1 {
            do {
                guard let count3 = try buffer.readKafkaArrayCount(compact: false) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable ConsumerProtocolSubscription.ownedPartitions")
                }
                var array4: [TopicPartition] = []
                array4.reserveCapacity(count3)
                for _ in 0..<count3 {
                    array4.append(try TopicPartition(from: &buffer, version: version))
                }
                self.ownedPartitions = array4
            }
        }
        if version >= 2 {
            self.generationId = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version >= 3 {
            self.rackId = try buffer.readKafkaNullableString(compact: false)
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ConsumerProtocolSubscription does not support version \(version)")
        }
        buffer.writeKafkaArrayCount(self.topics.count, compact: false)
        for item1 in self.topics {
            buffer.writeKafkaString(item1, compact: false)
        }
        buffer.writeKafkaBytes(self.userData, compact: false)
        if version >= 1 {
            buffer.writeKafkaArrayCount(self.ownedPartitions.count, compact: false)
            for item2 in self.ownedPartitions {
                try item2.encode(to: &buffer, version: version)
            }
        }
        if version >= 2 {
            buffer.writeKafkaInteger(self.generationId)
        }
        if version >= 3 {
            buffer.writeKafkaString(self.rackId, compact: false)
        }
    }

    public struct TopicPartition: Hashable, Sendable {
        public var topic: String = ""
        public var partitions: [Int32] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(topic: String = "", partitions: [Int32] = []) {
            self.topic = topic
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.topic = try buffer.readKafkaString(compact: false)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: false) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable ConsumerProtocolSubscription.TopicPartition.partitions")
                }
                var array2: [Int32] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaInteger(as: Int32.self))
                }
                self.partitions = array2
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.topic, compact: false)
            buffer.writeKafkaArrayCount(self.partitions.count, compact: false)
            for item1 in self.partitions {
                buffer.writeKafkaInteger(item1)
            }
        }
    }
}
