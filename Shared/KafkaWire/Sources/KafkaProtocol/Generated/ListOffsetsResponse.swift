// GENERATED FILE - DO NOT EDIT. Generated from message/ListOffsetsResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ListOffsetsResponse" (versions 0-10, flexible 6+).
public struct ListOffsetsResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .listOffsets
    public static let validVersions: ClosedRange<Int16> = 0...10
    public static let firstFlexibleVersion: Int16? = 6

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// Each topic in the response.
    public var topics: [ListOffsetsTopicResponse] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, topics: [ListOffsetsTopicResponse] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ListOffsetsResponse does not support version \(version)")
        }
        let flexible = version >= 6
        self.init()
        if version >= 2 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable ListOffsetsResponse.topics")
            }
            var array2: [ListOffsetsTopicResponse] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try ListOffsetsTopicResponse(from: &buffer, version: version))
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
            throw ProtocolError(.unsupportedVersion, "ListOffsetsResponse does not support version \(version)")
        }
        let flexible = version >= 6
        if version >= 2 {
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

    /// Each topic in the response.
    public struct ListOffsetsTopicResponse: Hashable, Sendable {
        /// The topic name
        public var name: String = ""
        /// Each partition in the response.
        public var partitions: [ListOffsetsPartitionResponse] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitions: [ListOffsetsPartitionResponse] = []) {
            self.name = name
            self.partitions = partitions
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable ListOffsetsResponse.ListOffsetsTopicResponse.partitions")
                }
                var array2: [ListOffsetsPartitionResponse] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try ListOffsetsPartitionResponse(from: &buffer, version: version))
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

    /// Each partition in the response.
    public struct ListOffsetsPartitionResponse: Hashable, Sendable {
        /// The partition index.
        public var partitionIndex: Int32 = 0
        /// The partition error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// The result offsets.
        public var oldStyleOffsets: [Int64] = []
        /// The timestamp associated with the returned offset.
        public var timestamp: Int64 = -1
        /// The returned offset.
        public var offset: Int64 = -1
        public var leaderEpoch: Int32 = -1
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(partitionIndex: Int32 = 0, errorCode: Int16 = 0, oldStyleOffsets: [Int64] = [], timestamp: Int64 = -1, offset: Int64 = -1, leaderEpoch: Int32 = -1) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.oldStyleOffsets = oldStyleOffsets
            self.timestamp = timestamp
            self.offset = offset
            self.leaderEpoch = leaderEpoch
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.partitionIndex = try buffer.readKafkaInteger(as: Int32.self)
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            if version <= 0 {
                do {
                    guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                        throw ProtocolError(.invalidLength, "null array in non-nullable ListOffsetsResponse.ListOffsetsPartitionResponse.oldStyleOffsets")
                    }
                    var array2: [Int64] = []
                    array2.reserveCapacity(count1)
                    for _ in 0..<count1 {
                        array2.append(try buffer.readKafkaInteger(as: Int64.self))
                    }
                    self.oldStyleOffsets = array2
                }
            }
            if version >= 1 {
                self.timestamp = try buffer.readKafkaInteger(as: Int64.self)
            }
            if version >= 1 {
                self.offset = try buffer.readKafkaInteger(as: Int64.self)
            }
            if version >= 4 {
                self.leaderEpoch = try buffer.readKafkaInteger(as: Int32.self)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            buffer.writeKafkaInteger(self.partitionIndex)
            buffer.writeKafkaInteger(self.errorCode)
            if version <= 0 {
                buffer.writeKafkaArrayCount(self.oldStyleOffsets.count, compact: flexible)
                for item1 in self.oldStyleOffsets {
                    buffer.writeKafkaInteger(item1)
                }
            }
            if version >= 1 {
                buffer.writeKafkaInteger(self.timestamp)
            }
            if version >= 1 {
                buffer.writeKafkaInteger(self.offset)
            }
            if version >= 4 {
                buffer.writeKafkaInteger(self.leaderEpoch)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
