// GENERATED FILE - DO NOT EDIT. Generated from message/OffsetCommitResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "OffsetCommitResponse" (versions 0-9, flexible 8+).
public struct OffsetCommitResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .offsetCommit
    public static let validVersions: ClosedRange<Int16> = 0...9
    public static let firstFlexibleVersion: Int16? = 8

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The responses for each topic.
    public var topics: [OffsetCommitResponseTopic] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, topics: [OffsetCommitResponseTopic] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "OffsetCommitResponse does not support version \(version)")
        }
        let flexible = version >= 8
        self.init()
        if version >= 3 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable OffsetCommitResponse.topics")
            }
            var array2: [OffsetCommitResponseTopic] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try OffsetCommitResponseTopic(from: &buffer, version: version))
            }
            self.topics = array2
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "OffsetCommitResponse does not support version \(version)")
        }
        let flexible = version >= 8
        if version >= 3 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        buffer.writeKafkaArrayCount(self.topics.count, compact: flexible)
        for item1 in self.topics {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The responses for each topic.
    public struct OffsetCommitResponseTopic: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// The responses for each partition in the topic.
        public var partitions: [OffsetCommitResponsePartition] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitions: [OffsetCommitResponsePartition] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 8
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetCommitResponse.OffsetCommitResponseTopic.partitions")
                }
                var array2: [OffsetCommitResponsePartition] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try OffsetCommitResponsePartition(from: &buffer, version: version))
                }
                self.partitions = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 8
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaArrayCount(self.partitions.count, compact: flexible)
            for item1 in self.partitions {
                try item1.encode(to: &buffer, version: version)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// The responses for each partition in the topic.
    public struct OffsetCommitResponsePartition: Hashable, Sendable {
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partitionIndex: Int32 = 0, errorCode: Int16 = 0) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 8
            self.init()
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 8
            buffer.writeKafkaInteger(self.partitionIndex)
            buffer.writeKafkaInteger(self.errorCode)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
