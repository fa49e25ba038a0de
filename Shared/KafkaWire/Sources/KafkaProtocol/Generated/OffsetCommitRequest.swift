// GENERATED FILE - DO NOT EDIT. Generated from message/OffsetCommitRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "OffsetCommitRequest" (versions 0-9, flexible 8+).
public struct OffsetCommitRequest: KafkaRequestMessage {
    public typealias Response = OffsetCommitResponse
    public static let apiKey: APIKey = .offsetCommit
    public static let validVersions: ClosedRange<Int16> = 0...9
    public static let firstFlexibleVersion: Int16? = 8

    /// The unique group identifier.
    public var groupId: String = ""
    /// The generation of the group if using the classic group protocol or the member epoch if using the consumer protocol.
    public var generationIdOrMemberEpoch: Int32 = -1
    /// The member ID assigned by the group coordinator.
    public var memberId: String = ""
    /// The unique identifier of the consumer instance provided by end user.
    public var groupInstanceId: String? = nil
    /// The time period in ms to retain the offset.
    public var retentionTimeMs: Int64 = -1
    /// The topics to commit offsets for.
    public var topics: [OffsetCommitRequestTopic] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(groupId: String = "", generationIdOrMemberEpoch: Int32 = -1, memberId: String = "", groupInstanceId: String? = nil, retentionTimeMs: Int64 = -1, topics: [OffsetCommitRequestTopic] = []) {
        self.groupId = groupId
        self.generationIdOrMemberEpoch = generationIdOrMemberEpoch
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.retentionTimeMs = retentionTimeMs
        self.topics = topics
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "OffsetCommitRequest does not support version \(version)")
        }
        let flexible = version >= 8
        self.init()
        self.groupId = try buffer.readKafkaString(compact: flexible)
        if version >= 1 {
            self.generationIdOrMemberEpoch = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version >= 1 {
            self.memberId = try buffer.readKafkaString(compact: flexible)
        }
        if version >= 7 {
            self.groupInstanceId = try buffer.readKafkaNullableString(compact: flexible)
        }
        if version >= 2 && version <= 4 {
            self.retentionTimeMs = try buffer.readKafkaInteger(as: Int64.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable OffsetCommitRequest.topics")
            }
            var array2: [OffsetCommitRequestTopic] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try OffsetCommitRequestTopic(from: &buffer, version: version))
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
            throw ProtocolError(.unsupportedVersion, "OffsetCommitRequest does not support version \(version)")
        }
        let flexible = version >= 8
        buffer.writeKafkaString(self.groupId, compact: flexible)
        if version >= 1 {
            buffer.writeKafkaInteger(self.generationIdOrMemberEpoch)
        }
        if version >= 1 {
            buffer.writeKafkaString(self.memberId, compact: flexible)
        }
        if version >= 7 {
            buffer.writeKafkaString(self.groupInstanceId, compact: flexible)
        }
        if version >= 2 && version <= 4 {
            buffer.writeKafkaInteger(self.retentionTimeMs)
        }
        buffer.writeKafkaArrayCount(self.topics.count, compact: flexible)
        for item1 in self.topics {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The topics to commit offsets for.
    public struct OffsetCommitRequestTopic: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// Each partition to commit offsets for.
        public var partitions: [OffsetCommitRequestPartition] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitions: [OffsetCommitRequestPartition] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 8
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetCommitRequest.OffsetCommitRequestTopic.partitions")
                }
                var array2: [OffsetCommitRequestPartition] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try OffsetCommitRequestPartition(from: &buffer, version: version))
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

    /// Each partition to commit offsets for.
    public struct OffsetCommitRequestPartition: Hashable, Sendable {
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The message offset to be committed.
        public var committedOffset: Int64 = 0
        /// The leader epoch of this partition.
        public var committedLeaderEpoch: Int32 = -1
        /// The timestamp of the commit.
        public var commitTimestamp: Int64 = -1
        /// Any associated metadata the client wants to keep.
        public var committedMetadata: String? = ""
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partitionIndex: Int32 = 0, committedOffset: Int64 = 0, committedLeaderEpoch: Int32 = -1, commitTimestamp: Int64 = -1, committedMetadata: String? = "") {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.commitTimestamp = commitTimestamp
            self.committedMetadata = committedMetadata
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 8
            self.init()
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            self.committedOffset = try buffer.readKafkaInteger(as: Int64.self)
            if version >= 6 {
                self.committedLeaderEpoch = try buffer.readKafkaInteger(as: Int32.self)
            }
            if version >= 1 && version <= 1 {
                self.commitTimestamp = try buffer.readKafkaInteger(as: Int64.self)
            }
            self.committedMetadata = try buffer.readKafkaNullableString(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 8
            buffer.writeKafkaInteger(self.partitionIndex)
            buffer.writeKafkaInteger(self.committedOffset)
            if version >= 6 {
                buffer.writeKafkaInteger(self.committedLeaderEpoch)
            }
            if version >= 1 && version <= 1 {
                buffer.writeKafkaInteger(self.commitTimestamp)
            }
            buffer.writeKafkaString(self.committedMetadata, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
