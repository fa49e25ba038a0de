// GENERATED FILE - DO NOT EDIT. Generated from message/FetchResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "FetchResponse" (versions 0-17, flexible 12+).
public struct FetchResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .fetch
    public static let validVersions: ClosedRange<Int16> = 0...17
    public static let firstFlexibleVersion: Int16? = 12

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The top level response error code.
    public var errorCode: Int16 = 0
    /// The fetch session ID, or 0 if this is not part of a fetch session.
    public var sessionId: Int32 = 0
    /// The response topics.
    public var responses: [FetchableTopicResponse] = []
    /// Endpoints for all current-leaders enumerated in PartitionData, with errors NOT_LEADER_OR_FOLLOWER & FENCED_LEADER_EPOCH.
    public var nodeEndpoints: [NodeEndpoint] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, sessionId: Int32 = 0, responses: [FetchableTopicResponse] = [], nodeEndpoints: [NodeEndpoint] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.sessionId = sessionId
        self.responses = responses
        self.nodeEndpoints = nodeEndpoints
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "FetchResponse does not support version \(version)")
        }
        let flexible = version >= 12
        self.init()
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version >= 7 {
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        }
        if version >= 7 {
            self.sessionId = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable FetchResponse.responses")
            }
            var array2: [FetchableTopicResponse] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try FetchableTopicResponse(from: &buffer, version: version))
            }
            self.responses = array2
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { tag, field in
                switch tag {
                case 0 where version >= 16:
                    do {
                        guard let count3 = try field.readKafkaArrayCount(compact: true) else {
                            throw ProtocolError(.invalidLength, "null array in non-nullable FetchResponse.nodeEndpoints")
                        }
                        var array4: [NodeEndpoint] = []
                        array4.reserveCapacity(count3)
                        for _ in 0..<count3 {
                            array4.append(try NodeEndpoint(from: &field, version: version))
                        }
                        self.nodeEndpoints = array4
                    }
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
            throw ProtocolError(.unsupportedVersion, "FetchResponse does not support version \(version)")
        }
        let flexible = version >= 12
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        if version >= 7 {
            buffer.writeKafkaInteger(self.errorCode)
        }
        if version >= 7 {
            buffer.writeKafkaInteger(self.sessionId)
        }
        buffer.writeKafkaArrayCount(self.responses.count, compact: flexible)
        for item1 in self.responses {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            var taggedFields: [UnknownTaggedField] = []
            if version >= 16 && !self.nodeEndpoints.isEmpty {
                var tagBuffer = ByteBuffer()
                tagBuffer.writeKafkaArrayCount(self.nodeEndpoints.count, compact: true)
                for item2 in self.nodeEndpoints {
                    try item2.encode(to: &tagBuffer, version: version)
                }
                taggedFields.append(UnknownTaggedField(tag: 0, data: tagBuffer))
            }
            buffer.writeTaggedFields(known: taggedFields, unknown: self.unknownTaggedFields)
        }
    }

    /// The response topics.
    public struct FetchableTopicResponse: Hashable, Sendable {
        /// The topic name.
        public var topic: String = ""
        /// The unique topic ID
        public var topicId: KafkaUUID = KafkaUUID.zero
        /// The topic partitions.
        public var partitions: [PartitionData] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(topic: String = "", topicId: KafkaUUID = KafkaUUID.zero, partitions: [PartitionData] = []) {
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
                    throw ProtocolError(.invalidLength, "null array in non-nullable FetchResponse.FetchableTopicResponse.partitions")
                }
                var array2: [PartitionData] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try PartitionData(from: &buffer, version: version))
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

    /// The topic partitions.
    public struct PartitionData: Hashable, Sendable {
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The error code, or 0 if there was no fetch error.
        public var errorCode: Int16 = 0
        /// The current high water mark.
        public var highWatermark: Int64 = 0
        /// The last stable offset (or LSO) of the partition. This is the last offset such that the state of all transactional records prior to this offset have been decided (ABORTED or COMMITTED)
        public var lastStableOffset: Int64 = -1
        /// The current log start offset.
        public var logStartOffset: Int64 = -1
        /// In case divergence is detected based on the `LastFetchedEpoch` and `FetchOffset` in the request, this field indicates the largest epoch and its end offset such that subsequent records are known to diverge
        public var divergingEpoch: EpochEndOffset = EpochEndOffset()
        public var currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch()
        /// In the case of fetching an offset less than the LogStartOffset, this is the end offset and epoch that should be used in the FetchSnapshot request.
        public var snapshotId: SnapshotId = SnapshotId()
        /// The aborted transactions.
        public var abortedTransactions: [AbortedTransaction]? = []
        /// The preferred read replica for the consumer to use on its next fetch request
        public var preferredReadReplica: Int32 = -1
        /// The record data.
        public var records: ByteBuffer? = ByteBuffer()
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partitionIndex: Int32 = 0, errorCode: Int16 = 0, highWatermark: Int64 = 0, lastStableOffset: Int64 = -1, logStartOffset: Int64 = -1, divergingEpoch: EpochEndOffset = EpochEndOffset(), currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch(), snapshotId: SnapshotId = SnapshotId(), abortedTransactions: [AbortedTransaction]? = [], preferredReadReplica: Int32 = -1, records: ByteBuffer? = ByteBuffer()) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.highWatermark = highWatermark
            self.lastStableOffset = lastStableOffset
            self.logStartOffset = logStartOffset
            self.divergingEpoch = divergingEpoch
            self.currentLeader = currentLeader
            self.snapshotId = snapshotId
            self.abortedTransactions = abortedTransactions
            self.preferredReadReplica = preferredReadReplica
            self.records = records
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            self.init()
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            self.highWatermark = try buffer.readKafkaInteger(as: Int64.self)
            if version >= 4 {
                self.lastStableOffset = try buffer.readKafkaInteger(as: Int64.self)
            }
            if version >= 5 {
                self.logStartOffset = try buffer.readKafkaInteger(as: Int64.self)
            }
            if version >= 4 {
                if let count1 = try buffer.readKafkaArrayCount(compact: flexible) {
                    var array2: [AbortedTransaction] = []
                    array2.reserveCapacity(count1)
                    for _ in 0..<count1 {
                        array2.append(try AbortedTransaction(from: &buffer, version: version))
                    }
                    self.abortedTransactions = array2
                } else {
                    self.abortedTransactions = nil
                }
            }
            if version >= 11 {
                self.preferredReadReplica = try buffer.readKafkaInteger(as: Int32.self)
            }
            self.records = try buffer.readKafkaNullableBytes(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { tag, field in
                    switch tag {
                    case 0:
                        self.divergingEpoch = try EpochEndOffset(from: &field, version: version)
                        return true
                    case 1:
                        self.currentLeader = try LeaderIdAndEpoch(from: &field, version: version)
                        return true
                    case 2:
                        self.snapshotId = try SnapshotId(from: &field, version: version)
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
            buffer.writeKafkaInteger(self.partitionIndex)
            buffer.writeKafkaInteger(self.errorCode)
            buffer.writeKafkaInteger(self.highWatermark)
            if version >= 4 {
                buffer.writeKafkaInteger(self.lastStableOffset)
            }
            if version >= 5 {
                buffer.writeKafkaInteger(self.logStartOffset)
            }
            if version >= 4 {
                if let value1 = self.abortedTransactions {
                    buffer.writeKafkaArrayCount(value1.count, compact: flexible)
                    for item2 in value1 {
                        try item2.encode(to: &buffer, version: version)
                    }
                } else {
                    buffer.writeKafkaArrayCount(nil, compact: flexible)
                }
            }
            if version >= 11 {
                buffer.writeKafkaInteger(self.preferredReadReplica)
            }
            buffer.writeKafkaBytes(self.records, compact: flexible)
            if flexible {
                var taggedFields: [UnknownTaggedField] = []
                if self.divergingEpoch != EpochEndOffset() {
                    var tagBuffer = ByteBuffer()
                    try self.divergingEpoch.encode(to: &tagBuffer, version: version)
                    taggedFields.append(UnknownTaggedField(tag: 0, data: tagBuffer))
                }
                if self.currentLeader != LeaderIdAndEpoch() {
                    var tagBuffer = ByteBuffer()
                    try self.currentLeader.encode(to: &tagBuffer, version: version)
                    taggedFields.append(UnknownTaggedField(tag: 1, data: tagBuffer))
                }
                if self.snapshotId != SnapshotId() {
                    var tagBuffer = ByteBuffer()
                    try self.snapshotId.encode(to: &tagBuffer, version: version)
                    taggedFields.append(UnknownTaggedField(tag: 2, data: tagBuffer))
                }
                buffer.writeTaggedFields(known: taggedFields, unknown: self.unknownTaggedFields)
            }
        }
    }

    /// In case divergence is detected based on the `LastFetchedEpoch` and `FetchOffset` in the request, this field indicates the largest epoch and its end offset such that subsequent records are known to diverge
    public struct EpochEndOffset: Hashable, Sendable {
        public var epoch: Int32 = -1
        public var endOffset: Int64 = -1
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(epoch: Int32 = -1, endOffset: Int64 = -1) {
            self.epoch = epoch
            self.endOffset = endOffset
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.epoch = try buffer.readKafkaInteger(as: Int32.self)
            self.endOffset = try buffer.readKafkaInteger(as: Int64.self)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaInteger(self.epoch)
            buffer.writeKafkaInteger(self.endOffset)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    public struct LeaderIdAndEpoch: Hashable, Sendable {
        /// The ID of the current leader or -1 if the leader is unknown.
        public var leaderId: Int32 = -1
        /// The latest known leader epoch
        public var leaderEpoch: Int32 = -1
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(leaderId: Int32 = -1, leaderEpoch: Int32 = -1) {
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.leaderId = try buffer.readKafkaInteger(as: Int32.self)
            self.leaderEpoch = try buffer.readKafkaInteger(as: Int32.self)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaInteger(self.leaderId)
            buffer.writeKafkaInteger(self.leaderEpoch)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// In the case of fetching an offset less than the LogStartOffset, this is the end offset and epoch that should be used in the FetchSnapshot request.
    public struct SnapshotId: Hashable, Sendable {
        public var endOffset: Int64 = -1
        public var epoch: Int32 = -1
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(endOffset: Int64 = -1, epoch: Int32 = -1) {
            self.endOffset = endOffset
            self.epoch = epoch
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.endOffset = try buffer.readKafkaInteger(as: Int64.self)
            self.epoch = try buffer.readKafkaInteger(as: Int32.self)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaInteger(self.endOffset)
            buffer.writeKafkaInteger(self.epoch)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The aborted transactions.
    public struct AbortedTransaction: Hashable, Sendable {
        /// The producer id associated with the aborted transaction.
        public var producerId: Int64 = 0
        /// The first offset in the aborted transaction.
        public var firstOffset: Int64 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(producerId: Int64 = 0, firstOffset: Int64 = 0) {
            self.producerId = producerId
            self.firstOffset = firstOffset
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            self.init()
            self.producerId = try buffer.readKafkaInteger(as: Int64.self)
            self.firstOffset = try buffer.readKafkaInteger(as: Int64.self)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 12
            buffer.writeKafkaInteger(self.producerId)
            buffer.writeKafkaInteger(self.firstOffset)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Endpoints for all current-leaders enumerated in PartitionData, with errors NOT_LEADER_OR_FOLLOWER & FENCED_LEADER_EPOCH.
    public struct NodeEndpoint: Hashable, Sendable {
        /// The ID of the associated node.
        public var nodeId: Int32 = 0
        /// The node's hostname.
        public var host: String = ""
        /// The node's port.
        public var port: Int32 = 0
        /// The rack of the node, or null if it has not been assigned to a rack.
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
            self.init()
            self.nodeId = try buffer.readKafkaInteger(as: Int32.self)
            self.host = try buffer.readKafkaString(compact: true)
            self.port = try buffer.readKafkaInteger(as: Int32.self)
            self.rack = try buffer.readKafkaNullableString(compact: true)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaInteger(self.nodeId)
            buffer.writeKafkaString(self.host, compact: true)
            buffer.writeKafkaInteger(self.port)
            buffer.writeKafkaString(self.rack, compact: true)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
