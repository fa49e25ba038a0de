// GENERATED FILE - DO NOT EDIT. Generated from message/ConsumerProtocolAssignment.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ConsumerProtocolAssignment" (versions 0-3, flexible none).
public struct ConsumerProtocolAssignment: KafkaMessage {
    public static let validVersions: ClosedRange<Int16> = 0...3
    public static let firstFlexibleVersion: Int16? = nil

    public var assignedPartitions: [TopicPartition] = []
    public var userData: ByteBuffer? = nil
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(assignedPartitions: [TopicPartition] = [], userData: ByteBuffer? = nil) {
        self.assignedPartitions = assignedPartitions
        self.userData = userData
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ConsumerProtocolAssignment does not support version \(version)")
        }
        self.init()
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: false) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable ConsumerProtocolAssignment.assignedPartitions")
            }
            var array2: [TopicPartition] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try TopicPartition(from: &buffer, version: version))
            }
            self.assignedPartitions = array2
        }
        self.userData = try buffer.readKafkaNullableBytes(compact: false)
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ConsumerProtocolAssignment does not support version \(version)")
        }
        buffer.writeKafkaArrayCount(self.assignedPartitions.count, compact: false)
        for item1 in self.assignedPartitions {
            try item1.encode(to: &buffer, version: version)
        }
        buffer.writeKafkaBytes(self.userData, compact: false)
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
                    throw ProtocolError(.invalidLength, "null array in non-nullable ConsumerProtocolAssignment.TopicPartition.partitions")
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
