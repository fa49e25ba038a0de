// GENERATED FILE - DO NOT EDIT. Generated from message/FetchRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "FetchRequest" (versions 0-17, flexible 12+).
public struct FetchRequest: KafkaRequestMessage {
    public typealias Response = FetchResponse
    public static let apiKey: APIKey = .fetch
    public static let validVersions: ClosedRange<Int16> = 0...17
    public static let firstFlexibleVersion: Int16? = 12

    /// The clusterId if known. This is used to validate metadata fetches prior to broker registration.
    public var clusterId: String? = nil
    /// The broker ID of the follower, of -1 if this request is from a consumer.
    public var replicaId: Int32 = -1
    public var replicaState: ReplicaState = ReplicaState()
    /// The maximum time in milliseconds to wait for the response.
    public var maxWaitMs: Int32 = 0
    /// The minimum bytes to accumulate in the response.
    public var minBytes: Int32 = 0
    /// The maximum bytes to fetch.  See KIP-74 for cases where this limit may not be honored.
    public var maxBytes: Int32 = 2147483647
    /// This setting controls the visibility of transactional records. Using READ_UNCOMMITTED (isolation_level = 0) makes all records visible. With READ_COMMITTED (isolation_level = 1), non-transactional and COMMITTED transactional records are visible. To be more concrete, READ_COMMITTED returns all data from offsets smaller than the current LSO (last stable offset), and enables the inclusion of the list of aborted transactions in the result, which allows consumers to discard ABORTED transactional records
    public var isolationLevel: Int8 = 0
    /// The fetch session ID.
    public var sessionId: Int32 = 0
    /// The fetch session epoch, which is used for ordering requests in a session.
    public var sessionEpoch: Int32 = -1
    /// The topics to fetch.
    public var topics: [FetchTopic] = []
    /// In an incremental fetch request, the partitions to remove.
    public var forgottenTopicsData: [ForgottenTopic] = []
    /// Rack ID of the consumer making this request
    public var rackId: String = ""
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(clusterId: String? = nil, replicaId: Int32 = -1, replicaState: ReplicaState = ReplicaState(), maxWaitMs: Int32 = 0, minBytes: Int32 = 0, maxBytes: Int32 = 2147483647, isolationLevel: Int8 = 0, sessionId: Int32 = 0, sessionEpoch: Int32 = -1, topics: [FetchTopic] = [], forgottenTopicsData: [ForgottenTopic] = [], rackId: String = "") {
        self.clusterId = clusterId
        self.replicaId = replicaId
        self.replicaState = replicaState
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.isolationLevel = isolationLevel
        self.sessionId = sessionId
        self.sessionEpoch = sessionEpoch
        self.topics = topics
        self.forgottenTopicsData = forgottenTopicsData
        self.rackId = rackId
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "FetchRequest does not support version \(version)")
        }
        let flexible = version >= 12
        self.init()
        if version <= 14 {
            self.replicaId = try buffer.readKafkaInteger(as: Int32.self)
        }
        self.maxWaitMs = try buffer.readKafkaInteger(as: Int32.self)
        self.minBytes = try buffer.readKafkaInteger(as: Int32.self)
        if version >= 3 {
            self.maxBytes = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version >= 4 {
            self.isolationLevel = try buffer.readKafkaInteger(as: Int8.self)
        }
        if version >= 7 {
            self.sessionId = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version >= 7 {
            self.sessionEpoch = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable FetchRequest.topics")
            }
            var array2: [FetchTopic] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try FetchTopic(from: &buffer, version: version))
            }
            self.topics = array2
        }
        if version >= 7 {
            do {
                guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable FetchRequest.forgottenTopicsData")
                }
                var array4: [ForgottenTopic] = []
                array4.reserveCapacity(count3)
                for _ in 0..<count3 {
                    array4.append(try ForgottenTopic(from: &buffer, version: version))
                }
                self.forgottenTopicsData = array4
            }
        }
        if version >= 11 {
            self.rackId = try buffer.readKafkaString(compact: flexible)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { tag, field in
                switch tag {
                case 0:
                    self.clusterId = try field.readKafkaNullableString(compact: true)
                    return true
                case 1 where version >= 15:
                    self.replicaState = try ReplicaState(from: &field, version: version)
                    return true
                default:
                    return false
                }
            }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "FetchRequest does not support version \(version)")
        }
        let flexible = version >= 12
        if version <= 14 {
            buffer.writeKafkaInteger(self.replicaId)
        }
        buffer.writeKafkaInteger(self.maxWaitMs)
        buffer.writeKafkaInteger(self.minBytes)
        if version >= 3 {
            buffer.writeKafkaInteger(self.maxBytes)
        }
        if version >= 4 {
            buffer.writeKafkaInteger(self.isolationLevel)
        }
        if version >= 7 {
            buffer.writeKafkaInteger(self.sessionId)
        }
        if version >= 7 {
            buffer.writeKafkaInteger(self.sessionEpoch)
        }
        buffer.writeKafkaArrayCount(self.topics.count, compact: flexible)
        for item1 in self.topics {
            try item1.encode(to: &buffer, version: version)
        }
        if version >= 7 {
            buffer.writeKafkaArrayCount(self.forgottenTopicsData.count, compact: flexible)
            for item2 in self.forgottenTopicsData {
                try item2.encode(to: &buffer, version: version)
            }
        }
        if version >= 11 {
            buffer.writeKafkaString(self.rackId, compact: flexible)
        }
        if flexible {
            var taggedFields: [UnknownTaggedField] = []
            if self.clusterId != nil {
                var tagBuffer = ByteBuffer()
                tagBuffer.writeKafkaString(self.clusterId, compact: true)
                taggedFields.append(UnknownTaggedField(tag: 0, data: tagBuffer))
            }
            if version >= 15 && self.replicaState != ReplicaState() {
                var tagBuffer = ByteBuffer()
                try self.replicaState.encode(to: &tagBuffer, version: version)
                taggedFields.append(UnknownTaggedField(tag: 1, data: tagBuffer))
            }
            buffer.writeTaggedFields(known: taggedFields, unknown: self.unknownTaggedFields)
        }
    }

    public struct ReplicaState: Hashable, Sendable {
        /// The replica ID of the follower, or -1 if this request is from a consumer.
        public var replicaId: Int32 = -1
        /// The epoch of this follower, or -1 if not available.
        public var replicaEpoch: Int64 = -1
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(replicaId: Int32 = -1, replicaEpoch: Int64 = -1) {
            self.replicaId = replicaId
            self.replicaEpoch = replicaEpoch
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.replicaId = try buffer.readKafkaInteger(as: Int32.self)
            self.replicaEpoch = try buffer.readKafkaInteger(as: Int64.self)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaInteger(self.replicaId)
            buffer.writeKafkaInteger(self.replicaEpoch)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The topics to fetch.
    public struct FetchTopic: Hashable, Sendable {
        /// The name of the topic to fetch.
        public var topic: String = ""
        /// The unique topic ID
        public var topicId: KafkaUUID = KafkaUUID.zero
        /// The partitions to fetch.
        public var partitions: [FetchPartition] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(topic: String = "", topicId: KafkaUUID = KafkaUUID.zero, partitions: [FetchPartition] = []) {
            self.topic = topic
            self.topicId = topicId
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            self.init()
            if version <= 12 {
                self.topic = try buffer.readKafkaString(compact: flexible)
            }
            if version >= 13 {
                self.topicId = try buffer.readKafkaUUID()
            }
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable FetchRequest.FetchTopic.partitions")
                }
                var array2: [FetchPartition] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try FetchPartition(from: &buffer, version: version))
                }
                self.partitions = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            if version <= 12 {
                buffer.writeKafkaString(self.topic, compact: flexible)
            }
            if version >= 13 {
                buffer.writeKafkaUUID(self.topicId)
            }
            buffer.writeKafkaArrayCount(self.partitions.count, compact: flexible)
            for item1 in self.partitions {
                try item1.encode(to: &buffer, version: version)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// The partitions to fetch.
    public struct FetchPartition: Hashable, Sendable {
        /// The partition index.
        public var partition: Int32 = 0
        /// The current leader epoch of the partition.
        public var currentLeaderEpoch: Int32 = -1
        /// The message offset.
        public var fetchOffset: Int64 = 0
        /// The epoch of the last fetched record or -1 if there is none
        public var lastFetchedEpoch: Int32 = -1
        /// The earliest available offset of the follower replica.  The field is only used when the request is sent by the follower.
        public var logStartOffset: Int64 = -1
        /// The maximum bytes to fetch from this partition.  See KIP-74 for cases where this limit may not be honored.
        public var partitionMaxBytes: Int32 = 0
        /// The directory id of the follower fetching
        public var replicaDirectoryId: KafkaUUID = KafkaUUID.zero
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partition: Int32 = 0, currentLeaderEpoch: Int32 = -1, fetchOffset: Int64 = 0, lastFetchedEpoch: Int32 = -1, logStartOffset: Int64 = -1, partitionMaxBytes: Int32 = 0, replicaDirectoryId: KafkaUUID = KafkaUUID.zero) {
            self.partition = partition
            self.currentLeaderEpoch = currentLeaderEpoch
            self.fetchOffset = fetchOffset
            self.lastFetchedEpoch = lastFetchedEpoch
            self.logStartOffset = logStartOffset
            self.partitionMaxBytes = partitionMaxBytes
            self.replicaDirectoryId = replicaDirectoryId
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            self.init()
            self.partition = try buffer.readKafkaInteger(as: Int32.self)
            if version >= 9 {
                self.currentLeaderEpoch = try buffer.readKafkaInteger(as: Int32.self)
            }
            self.fetchOffset = try buffer.readKafkaInteger(as: Int64.self)
            if version >= 12 {
                self.lastFetchedEpoch = try buffer.readKafkaInteger(as: Int32.self)
            }
            if version >= 5 {
                self.logStartOffset = try buffer.readKafkaInteger(as: Int64.self)
            }
            self.partitionMaxBytes = try buffer.readKafkaInteger(as: Int32.self)
            if flexible {
                let unknown = try buffer.readTaggedFields { tag, field in
                    switch tag {
                    case 0 where version >= 17:
                        self.replicaDirectoryId = try field.readKafkaUUID()
                        return true
                    default:
                        return false
                    }
                }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            buffer.writeKafkaInteger(self.partition)
            if version >= 9 {
                buffer.writeKafkaInteger(self.currentLeaderEpoch)
            }
            buffer.writeKafkaInteger(self.fetchOffset)
            if version >= 12 {
                buffer.writeKafkaInteger(self.lastFetchedEpoch)
            }
            if version >= 5 {
                buffer.writeKafkaInteger(self.logStartOffset)
            }
            buffer.writeKafkaInteger(self.partitionMaxBytes)
            if flexible {
                var taggedFields: [UnknownTaggedField] = []
                if version >= 17 && self.replicaDirectoryId != KafkaUUID.zero {
                    var tagBuffer = ByteBuffer()
                    tagBuffer.writeKafkaUUID(self.replicaDirectoryId)
                    taggedFields.append(UnknownTaggedField(tag: 0, data: tagBuffer))
                }
                buffer.writeTaggedFields(known: taggedFields, unknown: self.unknownTaggedFields)
            }
        }
    }

    /// In an incremental fetch request, the partitions to remove.
    public struct ForgottenTopic: Hashable, Sendable {
        /// The topic name.
        public var topic: String = ""
        /// The unique topic ID
        public var topicId: KafkaUUID = KafkaUUID.zero
        /// The partitions indexes to forget.
        public var partitions: [Int32] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(topic: String = "", topicId: KafkaUUID = KafkaUUID.zero, partitions: [Int32] = []) {
            self.topic = topic
            self.topicId = topicId
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            self.init()
            if version <= 12 {
                self.topic = try buffer.readKafkaString(compact: flexible)
            }
            if version >= 13 {
                self.topicId = try buffer.readKafkaUUID()
            }
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable FetchRequest.ForgottenTopic.partitions")
                }
                var array2: [Int32] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaInteger(as: Int32.self))
                }
                self.partitions = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            if version <= 12 {
                buffer.writeKafkaString(self.topic, compact: flexible)
            }
            if version >= 13 {
                buffer.writeKafkaUUID(self.topicId)
            }
            buffer.writeKafkaArrayCount(self.partitions.count, compact: flexible)
            for item1 in self.partitions {
                buffer.writeKafkaInteger(item1)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
