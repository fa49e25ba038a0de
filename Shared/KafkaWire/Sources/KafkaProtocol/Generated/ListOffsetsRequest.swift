// GENERATED FILE - DO NOT EDIT. Generated from message/ListOffsetsRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ListOffsetsRequest" (versions 0-10, flexible 6+).
public struct ListOffsetsRequest: KafkaRequestMessage {
    public typealias Response = ListOffsetsResponse
    public static let apiKey: APIKey = .listOffsets
    public static let validVersions: ClosedRange<Int16> = 0...10
    public static let firstFlexibleVersion: Int16? = 6

    /// The broker ID of the requester, or -1 if this request is being made by a normal consumer.
    public var replicaId: Int32 = 0
    /// This setting controls the visibility of transactional records. Using READ_UNCOMMITTED (isolation_level = 0) makes all records visible. With READ_COMMITTED (isolation_level = 1), non-transactional and COMMITTED transactional records are visible. To be more concrete, READ_COMMITTED returns all data from offsets smaller than the current LSO (last stable offset), and enables the inclusion of the list of aborted transactions in the result, which allows consumers to discard ABORTED transactional records
    public var isolationLevel: Int8 = 0
    /// Each topic in the request.
    public var topics: [ListOffsetsTopic] = []
    /// The timeout to await a response in milliseconds for requests that require reading from remote storage for topics enabled with tiered storage.
    public var timeoutMs: Int32 = 0
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(replicaId: Int32 = 0, isolationLevel: Int8 = 0, topics: [ListOffsetsTopic] = [], timeoutMs: Int32 = 0) {
        self.replicaId = replicaId
        self.isolationLevel = isolationLevel
        self.topics = topics
        self.timeoutMs = timeoutMs
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ListOffsetsRequest does not support version \(version)")
        }
        let flexible = version >= 6
        self.init()
        self.replicaId = try buffer.readKafkaInteger(as: Int32.self)
        if version >= 2 {
            self.isolationLevel = try buffer.readKafkaInteger(as: Int8.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable ListOffsetsRequest.topics")
            }
            var array2: [ListOffsetsTopic] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try ListOffsetsTopic(from: &buffer, version: version))
            }
            self.topics = array2
        }
        if version >= 10 {
            self.timeoutMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ListOffsetsRequest does not support version \(version)")
        }
        let flexible = version >= 6
        buffer.writeKafkaInteger(self.replicaId)
        if version >= 2 {
            buffer.writeKafkaInteger(self.isolationLevel)
        }
        buffer.writeKafkaArrayCount(self.topics.count, compact: flexible)
        for item1 in self.topics {
            try item1.encode(to: &buffer, version: version)
        }
        if version >= 10 {
            buffer.writeKafkaInteger(self.timeoutMs)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// Each topic in the request.
    public struct ListOffsetsTopic: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// Each partition in the request.
        public var partitions: [ListOffsetsPartition] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitions: [ListOffsetsPartition] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable ListOffsetsRequest.ListOffsetsTopic.partitions")
                }
                var array2: [ListOffsetsPartition] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try ListOffsetsPartition(from: &buffer, version: version))
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

    /// Each partition in the request.
    public struct ListOffsetsPartition: Hashable, Sendable {
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The current leader epoch.
        public var currentLeaderEpoch: Int32 = -1
        /// The current timestamp.
        public var timestamp: Int64 = 0
        /// The maximum number of offsets to report.
        public var maxNumOffsets: Int32 = 1
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partitionIndex: Int32 = 0, currentLeaderEpoch: Int32 = -1, timestamp: Int64 = 0, maxNumOffsets: Int32 = 1) {
            self.partitionIndex = partitionIndex
            self.currentLeaderEpoch = currentLeaderEpoch
            self.timestamp = timestamp
            self.maxNumOffsets = maxNumOffsets
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            if version >= 4 {
                self.currentLeaderEpoch = try buffer.readKafkaInteger(as: Int32.self)
            }
            self.timestamp = try buffer.readKafkaInteger(as: Int64.self)
            if version <= 0 {
                self.maxNumOffsets = try buffer.readKafkaInteger(as: Int32.self)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            buffer.writeKafkaInteger(self.partitionIndex)
            if version >= 4 {
                buffer.writeKafkaInteger(self.currentLeaderEpoch)
            }
            buffer.writeKafkaInteger(self.timestamp)
            if version <= 0 {
                buffer.writeKafkaInteger(self.maxNumOffsets)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
