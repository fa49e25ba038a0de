// GENERATED FILE - DO NOT EDIT. Generated from message/ProduceResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ProduceResponse" (versions 0-11, flexible 9+).
public struct ProduceResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .produce
    public static let validVersions: ClosedRange<Int16> = 0...11
    public static let firstFlexibleVersion: Int16? = 9

    /// Each produce response
    public var responses: [TopicProduceResponse] = []
    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// Endpoints for all current-leaders enumerated in PartitionProduceResponses, with errors NOT_LEADER_OR_FOLLOWER.
    public var nodeEndpoints: [NodeEndpoint] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(responses: [TopicProduceResponse] = [], throttleTimeMs: Int32 = 0, nodeEndpoints: [NodeEndpoint] = []) {
        self.responses = responses
        self.throttleTimeMs = throttleTimeMs
        self.nodeEndpoints = nodeEndpoints
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ProduceResponse does not support version \(version)")
        }
        let flexible = version >= 9
        self.init()
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable ProduceResponse.responses")
            }
            var array2: [TopicProduceResponse] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try TopicProduceResponse(from: &buffer, version: version))
            }
            self.responses = array2
        }
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { tag, field in
                switch tag {
                case 0 where version >= 10:
                    do {
                        guard let count3 = try field.readKafkaArrayCount(compact: true) else {
                            throw ProtocolError(.invalidLength, "null array in non-nullable ProduceResponse.nodeEndpoints")
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
            throw ProtocolError(.unsupportedVersion, "ProduceResponse does not support version \(version)")
        }
        let flexible = version >= 9
        buffer.writeKafkaArrayCount(self.responses.count, compact: flexible)
        for item1 in self.responses {
            try item1.encode(to: &buffer, version: version)
        }
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        if flexible {
            var taggedFields: [UnknownTaggedField] = []
            if version >= 10 && !self.nodeEndpoints.isEmpty {
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

    /// Each produce response
    public struct TopicProduceResponse: Hashable, Sendable {
        /// The topic name
        public var name: String = ""
        /// Each partition that we produced to within the topic.
        public var partitionResponses: [PartitionProduceResponse] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitionResponses: [PartitionProduceResponse] = []) {
            self.name = name
            self.partitionResponses = partitionResponses
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable ProduceResponse.TopicProduceResponse.partitionResponses")
                }
                var array2: [PartitionProduceResponse] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try PartitionProduceResponse(from: &buffer, version: version))
                }
                self.partitionResponses = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaArrayCount(self.partitionResponses.count, compact: flexible)
            for item1 in self.partitionResponses {
                try item1.encode(to: &buffer, version: version)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Each partition that we produced to within the topic.
    public struct PartitionProduceResponse: Hashable, Sendable {
        /// The partition index.
        public var index: Int32 = 0
        /// The error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// The base offset.
        public var baseOffset: Int64 = 0
        /// The timestamp returned by broker after appending the messages. If CreateTime is used for the topic, the timestamp will be -1.  If LogAppendTime is used for the topic, the timestamp will be the broker local time when the messages are appended.
        public var logAppendTimeMs: Int64 = -1
        /// The log start offset.
        public var logStartOffset: Int64 = -1
        /// The batch indices of records that caused the batch to be dropped
        public var recordErrors: [BatchIndexAndErrorMessage] = []
        /// The global error message summarizing the common root cause of the records that caused the batch to be dropped
        public var errorMessage: String? = nil
        public var currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch()
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(index: Int32 = 0, errorCode: Int16 = 0, baseOffset: Int64 = 0, logAppendTimeMs: Int64 = -1, logStartOffset: Int64 = -1, recordErrors: [BatchIndexAndErrorMessage] = [], errorMessage: String? = nil, currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch()) {
            self.index = index
            self.errorCode = errorCode
            self.baseOffset = baseOffset
            self.logAppendTimeMs = logAppendTimeMs
            self.logStartOffset = logStartOffset
            self.recordErrors = recordErrors
            self.errorMessage = errorMessage
            self.currentLeader = currentLeader
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            self.index = try buffer.readKafkaInteger(as: Int32.self)
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            self.baseOffset = try buffer.readKafkaInteger(as: Int64.self)
            if version >= 2 {
                self.logAppendTimeMs = try buffer.readKafkaInteger(as: Int64.self)
            }
            if version >= 5 {
                self.logStartOffset = try buffer.readKafkaInteger(as: Int64.self)
            }
            if version >= 8 {
                do {
                    guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                        throw ProtocolError(.invalidLength, "null array in non-nullable ProduceResponse.PartitionProduceResponse.recordErrors")
                    }
                    var array2: [BatchIndexAndErrorMessage] = []
                    array2.reserveCapacity(count1)
                    for _ in 0..<count1 {
                        array2.append(try BatchIndexAndErrorMessage(from: &buffer, version: version))
                    }
                    self.recordErrors = array2
                }
            }
            if version >= 8 {
                self.errorMessage = try buffer.readKafkaNullableString(compact: flexible)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { tag, field in
                    switch tag {
                    case 0 where version >= 10:
                        self.currentLeader = try LeaderIdAndEpoch(from: &field, version: version)
                        return true
                    default:
                        return false
                    }
                }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            buffer.writeKafkaInteger(self.index)
            buffer.writeKafkaInteger(self.errorCode)
            buffer.writeKafkaInteger(self.baseOffset)
            if version >= 2 {
                buffer.writeKafkaInteger(self.logAppendTimeMs)
            }
            if version >= 5 {
                buffer.writeKafkaInteger(self.logStartOffset)
            }
            if version >= 8 {
                buffer.writeKafkaArrayCount(self.recordErrors.count, compact: flexible)
                for item1 in self.recordErrors {
                    try item1.encode(to: &buffer, version: version)
                }
            }
            if version >= 8 {
                buffer.writeKafkaString(self.errorMessage, compact: flexible)
            }
            if flexible {
                var taggedFields: [UnknownTaggedField] = []
                if version >= 10 && self.currentLeader != LeaderIdAndEpoch() {
                    var tagBuffer = ByteBuffer()
                    try self.currentLeader.encode(to: &tagBuffer, version: version)
                    taggedFields.append(UnknownTaggedField(tag: 0, data: tagBuffer))
                }
                buffer.writeTaggedFields(known: taggedFields, unknown: self.unknownTaggedFields)
            }
        }
    }

    /// The batch indices of records that caused the batch to be dropped
    public struct BatchIndexAndErrorMessage: Hashable, Sendable {
        /// The batch index of the record that cause the batch to be dropped
        public var batchIndex: Int32 = 0
        /// The error message of the record that caused the batch to be dropped
        public var batchIndexErrorMessage: String? = nil
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(batchIndex: Int32 = 0, batchIndexErrorMessage: String? = nil) {
            self.batchIndex = batchIndex
            self.batchIndexErrorMessage = batchIndexErrorMessage
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            self.batchIndex = try buffer.readKafkaInteger(as: Int32.self)
            self.batchIndexErrorMessage = try buffer.readKafkaNullableString(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            buffer.writeKafkaInteger(self.batchIndex)
            buffer.writeKafkaString(self.batchIndexErrorMessage, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
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

    /// Endpoints for all current-leaders enumerated in PartitionProduceResponses, with errors NOT_LEADER_OR_FOLLOWER.
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
