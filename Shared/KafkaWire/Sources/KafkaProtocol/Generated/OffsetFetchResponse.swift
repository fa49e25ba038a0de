// GENERATED FILE - DO NOT EDIT. Generated from message/OffsetFetchResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "OffsetFetchResponse" (versions 0-9, flexible 6+).
public struct OffsetFetchResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .offsetFetch
    public static let validVersions: ClosedRange<Int16> = 0...9
    public static let firstFlexibleVersion: Int16? = 6

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The responses per topic.
    public var topics: [OffsetFetchResponseTopic] = []
    /// The top-level error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// The responses per group id.
    public var groups: [OffsetFetchResponseGroup] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, topics: [OffsetFetchResponseTopic] = [], errorCode: Int16 = 0, groups: [OffsetFetchResponseGroup] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
        self.errorCode = errorCode
        self.groups = groups
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "OffsetFetchResponse does not support version \(version)")
        }
        let flexible = version >= 6
        self.init()
        if version >= 3 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version <= 7 {
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchResponse.topics")
                }
                var array2: [OffsetFetchResponseTopic] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try OffsetFetchResponseTopic(from: &buffer, version: version))
                }
                self.topics = array2
            }
        }
        if version >= 2 && version <= 7 {
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        }
        if version >= 8 {
            do {
                guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchResponse.groups")
                }
                var array4: [OffsetFetchResponseGroup] = []
                array4.reserveCapacity(count3)
                for _ in 0..<count3 {
                    array4.append(try OffsetFetchResponseGroup(from: &buffer, version: version))
                }
                self.groups = array4
            }
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "OffsetFetchResponse does not support version \(version)")
        }
        let flexible = version >= 6
        if version >= 3 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        if version <= 7 {
            buffer.writeKafkaArrayCount(self.topics.count, compact: flexible)
            for item1 in self.topics {
                try item1.encode(to: &buffer, version: version)
            }
        }
        if version >= 2 && version <= 7 {
            buffer.writeKafkaInteger(self.errorCode)
        }
        if version >= 8 {
            buffer.writeKafkaArrayCount(self.groups.count, compact: flexible)
            for item2 in self.groups {
                try item2.encode(to: &buffer, version: version)
            }
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The responses per topic.
    public struct OffsetFetchResponseTopic: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// The responses per partition
        public var partitions: [OffsetFetchResponsePartition] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitions: [OffsetFetchResponsePartition] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchResponse.OffsetFetchResponseTopic.partitions")
                }
                var array2: [OffsetFetchResponsePartition] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try OffsetFetchResponsePartition(from: &buffer, version: version))
                }
                self.partitions = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
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

    /// The responses per partition
    public struct OffsetFetchResponsePartition: Hashable, Sendable {
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The committed message offset.
        public var committedOffset: Int64 = 0
        /// The leader epoch.
        public var committedLeaderEpoch: Int32 = -1
        /// The partition metadata.
        public var metadata: String? = ""
        /// The error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partitionIndex: Int32 = 0, committedOffset: Int64 = 0, committedLeaderEpoch: Int32 = -1, metadata: String? = "", errorCode: Int16 = 0) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.metadata = metadata
            self.errorCode = errorCode
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            self.committedOffset = try buffer.readKafkaInteger(as: Int64.self)
            if version >= 5 {
                self.committedLeaderEpoch = try buffer.readKafkaInteger(as: Int32.self)
            }
            self.metadata = try buffer.readKafkaNullableString(compact: flexible)
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            buffer.writeKafkaInteger(self.partitionIndex)
            buffer.writeKafkaInteger(self.committedOffset)
            if version >= 5 {
                buffer.writeKafkaInteger(self.committedLeaderEpoch)
            }
            buffer.writeKafkaString(self.metadata, compact: flexible)
            buffer.writeKafkaInteger(self.errorCode)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// The responses per group id.
    public struct OffsetFetchResponseGroup: Hashable, Sendable {
        /// The group ID.
        public var groupId: String = ""
        /// The responses per topic.
        public var topics: [OffsetFetchResponseTopics] = []
        /// The group-level error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(groupId: String = "", topics: [OffsetFetchResponseTopics] = [], errorCode: Int16 = 0) {
            self.groupId = groupId
            self.topics = topics
            self.errorCode = errorCode
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.groupId = try buffer.readKafkaString(compact: true)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: true) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchResponse.OffsetFetchResponseGroup.topics")
                }
                var array2: [OffsetFetchResponseTopics] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try OffsetFetchResponseTopics(from: &buffer, version: version))
                }
                self.topics = array2
            }
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.groupId, compact: true)
            buffer.writeKafkaArrayCount(self.topics.count, compact: true)
            for item1 in self.topics {
                try item1.encode(to: &buffer, version: version)
            }
            buffer.writeKafkaInteger(self.errorCode)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The responses per topic.
    public struct OffsetFetchResponseTopics: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// The responses per partition
        public var partitions: [OffsetFetchResponsePartitions] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitions: [OffsetFetchResponsePartitions] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.name = try buffer.readKafkaString(compact: true)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: true) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchResponse.OffsetFetchResponseTopics.partitions")
                }
                var array2: [OffsetFetchResponsePartitions] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try OffsetFetchResponsePartitions(from: &buffer, version: version))
                }
                self.partitions = array2
            }
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.name, compact: true)
            buffer.writeKafkaArrayCount(self.partitions.count, compact: true)
            for item1 in self.partitions {
                try item1.encode(to: &buffer, version: version)
            }
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The responses per partition
    public struct OffsetFetchResponsePartitions: Hashable, Sendable {
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The committed message offset.
        public var committedOffset: Int64 = 0
        /// The leader epoch.
        public var committedLeaderEpoch: Int32 = -1
        /// The partition metadata.
        public var metadata: String? = ""
        /// The partition-level error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partitionIndex: Int32 = 0, committedOffset: Int64 = 0, committedLeaderEpoch: Int32 = -1, metadata: String? = "", errorCode: Int16 = 0) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.metadata = metadata
            self.errorCode = errorCode
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            self.committedOffset = try buffer.readKafkaInteger(as: Int64.self)
            self.committedLeaderEpoch = try buffer.readKafkaInteger(as: Int32.self)
            self.metadata = try buffer.readKafkaNullableString(compact: true)
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaInteger(self.partitionIndex)
            buffer.writeKafkaInteger(self.committedOffset)
            buffer.writeKafkaInteger(self.committedLeaderEpoch)
            buffer.writeKafkaString(self.metadata, compact: true)
            buffer.writeKafkaInteger(self.errorCode)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
