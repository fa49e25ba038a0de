// GENERATED FILE - DO NOT EDIT. Generated from message/DeleteTopicsRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "DeleteTopicsRequest" (versions 0-6, flexible 4+).
public struct DeleteTopicsRequest: KafkaRequestMessage {
    public typealias Response = DeleteTopicsResponse
    public static let apiKey: APIKey = .deleteTopics
    public static let validVersions: ClosedRange<Int16> = 0...6
    public static let firstFlexibleVersion: Int16? = 4

    /// The name or topic ID of the topic
    public var topics: [DeleteTopicState] = []
    /// The names of the topics to delete
    public var topicNames: [String] = []
    /// The length of time in milliseconds to wait for the deletions to complete.
    public var timeoutMs: Int32 = 0
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(topics: [DeleteTopicState] = [], topicNames: [String] = [], timeoutMs: Int32 = 0) {
        self.topics = topics
        self.topicNames = topicNames
        self.timeoutMs = timeoutMs
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DeleteTopicsRequest does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        if version >= 6 {
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable DeleteTopicsRequest.topics")
                }
                var array2: [DeleteTopicState] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try DeleteTopicState(from: &buffer, version: version))
                }
                self.topics = array2
            }
        }
        if version <= 5 {
            do {
                guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable DeleteTopicsRequest.topicNames")
                }
                var array4: [String] = []
                array4.reserveCapacity(count3)
                for _ in 0..<count3 {
                    array4.append(try buffer.readKafkaString(compact: flexible))
                }
                self.topicNames = array4
            }
        }
        self.timeoutMs = try buffer.readKafkaInteger(as: Int32.self)
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DeleteTopicsRequest does not support version \(version)")
        }
        let flexible = version >= 4
        if version >= 6 {
            buffer.writeKafkaArrayCount(self.topics.count, compact: flexible)
            for item1 in self.topics {
                try item1.encode(to: &buffer, version: version)
            }
        }
        if version <= 5 {
            buffer.writeKafkaArrayCount(self.topicNames.count, compact: flexible)
            for item2 in self.topicNames {
                buffer.writeKafkaString(item2, compact: flexible)
            }
        }
        buffer.writeKafkaInteger(self.timeoutMs)
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The name or topic ID of the topic
    public struct DeleteTopicState: Hashable, Sendable {
        /// The topic name
        public var name: String? = nil
        /// The unique topic ID
        public var topicId: KafkaUUID = KafkaUUID.zero
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String? = nil, topicId: KafkaUUID = KafkaUUID.zero) {
            self.name = name
            self.topicId = topicId
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.name = try buffer.readKafkaNullableString(compact: true)
            self.topicId = try buffer.readKafkaUUID()
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.name, compact: true)
            buffer.writeKafkaUUID(self.topicId)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
