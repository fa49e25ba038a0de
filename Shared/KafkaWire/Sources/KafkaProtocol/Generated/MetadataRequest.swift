// GENERATED FILE - DO NOT EDIT. Generated from message/MetadataRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "MetadataRequest" (versions 0-12, flexible 9+).
public struct MetadataRequest: KafkaRequestMessage {
    public typealias Response = MetadataResponse
    public static let apiKey: APIKey = .metadata
    public static let validVersions: ClosedRange<Int16> = 0...12
    public static let firstFlexibleVersion: Int16? = 9

    /// The topics to fetch metadata for.
    public var topics: [MetadataRequestTopic]? = []
    /// If this is true, the broker may auto-create topics that we requested which do not already exist, if it is configured to do so.
    public var allowAutoTopicCreation: Bool = true
    /// Whether to include cluster authorized operations.
    public var includeClusterAuthorizedOperations: Bool = false
    /// Whether to include topic authorized operations.
    public var includeTopicAuthorizedOperations: Bool = false
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(topics: [MetadataRequestTopic]? = [], allowAutoTopicCreation: Bool = true, includeClusterAuthorizedOperations: Bool = false, includeTopicAuthorizedOperations: Bool = false) {
        self.topics = topics
        self.allowAutoTopicCreation = allowAutoTopicCreation
        self.includeClusterAuthorizedOperations = includeClusterAuthorizedOperations
        self.includeTopicAuthorizedOperations = includeTopicAuthorizedOperations
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "MetadataRequest does not support version \(version)")
        }
        let flexible = version >= 9
        self.init()
        if version >= 1 {
            if let count1 = try buffer.readKafkaArrayCount(compact: flexible) {
                var array2: [MetadataRequestTopic] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try MetadataRequestTopic(from: &buffer, version: version))
                }
                self.topics = array2
            } else {
                self.topics = nil
            }
        } else {
            do {
                guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable MetadataRequest.topics")
                }
                var array4: [MetadataRequestTopic] = []
                array4.reserveCapacity(count3)
                for _ in 0..<count3 {
                    array4.append(try MetadataRequestTopic(from: &buffer, version: version))
                }
                self.topics = array4
            }
        }
        if version >= 4 {
            self.allowAutoTopicCreation = try buffer.readKafkaBool()
        }
        if version >= 8 && version <= 10 {
            self.includeClusterAuthorizedOperations = try buffer.readKafkaBool()
        }
        if version >= 8 {
            self.includeTopicAuthorizedOperations = try buffer.readKafkaBool()
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "MetadataRequest does not support version \(version)")
        }
        let flexible = version >= 9
        if self.topics == nil && !(version >= 1) {
            throw ProtocolError(.invalidValue, "MetadataRequest.topics is null but not nullable in version \(version)")
        }
        if let value1 = self.topics {
            buffer.writeKafkaArrayCount(value1.count, compact: flexible)
            for item2 in value1 {
                try item2.encode(to: &buffer, version: version)
            }
        } else {
            buffer.writeKafkaArrayCount(nil, compact: flexible)
        }
        if version >= 4 {
            buffer.writeKafkaBool(self.allowAutoTopicCreation)
        }
        if version >= 8 && version <= 10 {
            buffer.writeKafkaBool(self.includeClusterAuthorizedOperations)
        }
        if version >= 8 {
            buffer.writeKafkaBool(self.includeTopicAuthorizedOperations)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The topics to fetch metadata for.
    public struct MetadataRequestTopic: Hashable, Sendable {
        /// The topic id.
        public var topicId: KafkaUUID = KafkaUUID.zero
        /// The topic name.
        public var name: String? = ""
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(topicId: KafkaUUID = KafkaUUID.zero, name: String? = "") {
            self.topicId = topicId
            self.name = name
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            if version >= 10 {
                self.topicId = try buffer.readKafkaUUID()
            }
            if version >= 10 {
                self.name = try buffer.readKafkaNullableString(compact: flexible)
            } else {
                self.name = try buffer.readKafkaString(compact: flexible)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            if version >= 10 {
                buffer.writeKafkaUUID(self.topicId)
            }
            if self.name == nil && !(version >= 10) {
                throw ProtocolError(.invalidValue, "MetadataRequest.MetadataRequestTopic.name is null but not nullable in version \(version)")
            }
            buffer.writeKafkaString(self.name, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
