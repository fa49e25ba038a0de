// GENERATED FILE - DO NOT EDIT. Generated from message/CreateTopicsResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "CreateTopicsResponse" (versions 0-7, flexible 5+).
public struct CreateTopicsResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .createTopics
    public static let validVersions: ClosedRange<Int16> = 0...7
    public static let firstFlexibleVersion: Int16? = 5

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// Results for each topic we tried to create.
    public var topics: [CreatableTopicResult] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, topics: [CreatableTopicResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "CreateTopicsResponse does not support version \(version)")
        }
        let flexible = version >= 5
        self.init()
        if version >= 2 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable CreateTopicsResponse.topics")
            }
            var array2: [CreatableTopicResult] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try CreatableTopicResult(from: &buffer, version: version))
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
            throw ProtocolError(.unsupportedVersion, "CreateTopicsResponse does not support version \(version)")
        }
        let flexible = version >= 5
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

    /// Results for each topic we tried to create.
    public struct CreatableTopicResult: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// The unique topic ID
        public var topicId: KafkaUUID = KafkaUUID.zero
        /// The error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// The error message, or null if there was no error.
        public var errorMessage: String? = ""
        /// Optional topic config error returned if configs are not returned in the response.
        public var topicConfigErrorCode: Int16 = 0
        /// Number of partitions of the topic.
        public var numPartitions: Int32 = -1
        /// Replication factor of the topic.
        public var replicationFactor: Int16 = -1
        /// Configuration of the topic.
        public var configs: [CreatableTopicConfigs]? = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", topicId: KafkaUUID = KafkaUUID.zero, errorCode: Int16 = 0, errorMessage: String? = "", topicConfigErrorCode: Int16 = 0, numPartitions: Int32 = -1, replicationFactor: Int16 = -1, configs: [CreatableTopicConfigs]? = []) {
            self.name = name
            self.topicId = topicId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.topicConfigErrorCode = topicConfigErrorCode
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.configs = configs
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            if version >= 7 {
                self.topicId = try buffer.readKafkaUUID()
            }
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            if version >= 1 {
                self.errorMessage = try buffer.readKafkaNullableString(compact: flexible)
            }
            if version >= 5 {
                self.numPartitions = try buffer.readKafkaInteger(as: Int32.self)
            }
            if version >= 5 {
                self.replicationFactor = try buffer.readKafkaInteger(as: Int16.self)
            }
            if version >= 5 {
                if let count1 = try buffer.readKafkaArrayCount(compact: flexible) {
                    var array2: [CreatableTopicConfigs] = []
                    array2.reserveCapacity(count1)
                    for _ in 0..<count1 {
                        array2.append(try CreatableTopicConfigs(from: &buffer, version: version))
                    }
                    self.configs = array2
                } else {
                    self.configs = nil
                }
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { tag, field in
                    switch tag {
                    case 0:
                        self.topicConfigErrorCode = try field.readKafkaInteger(as: Int16.self)
                        return true
                    default:
                        return false
                    }
                }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            buffer.writeKafkaString(self.name, compact: flexible)
            if version >= 7 {
                buffer.writeKafkaUUID(self.topicId)
            }
            buffer.writeKafkaInteger(self.errorCode)
            if version >= 1 {
                buffer.writeKafkaString(self.errorMessage, compact: flexible)
            }
            if version >= 5 {
                buffer.writeKafkaInteger(self.numPartitions)
            }
            if version >= 5 {
                buffer.writeKafkaInteger(self.replicationFactor)
            }
            if version >= 5 {
                if let value1 = self.configs {
                    buffer.writeKafkaArrayCount(value1.count, compact: flexible)
                    for item2 in value1 {
                        try item2.encode(to: &buffer, version: version)
                    }
                } else {
                    buffer.writeKafkaArrayCount(nil, compact: flexible)
                }
            }
            if flexible {
                var taggedFields: [UnknownTaggedField] = []
                if self.topicConfigErrorCode != 0 {
                    var tagBuffer = ByteBuffer()
                    tagBuffer.writeKafkaInteger(self.topicConfigErrorCode)
                    taggedFields.append(UnknownTaggedField(tag: 0, data: tagBuffer))
                }
                buffer.writeTaggedFields(known: taggedFields, unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Configuration of the topic.
    public struct CreatableTopicConfigs: Hashable, Sendable {
        /// The configuration name.
        public var name: String = ""
        /// The configuration value.
        public var value: String? = ""
        /// True if the configuration is read-only.
        public var readOnly: Bool = false
        /// The configuration source.
        public var configSource: Int8 = -1
        /// True if this configuration is sensitive.
        public var isSensitive: Bool = false
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", value: String? = "", readOnly: Bool = false, configSource: Int8 = -1, isSensitive: Bool = false) {
            self.name = name
            self.value = value
            self.readOnly = readOnly
            self.configSource = configSource
            self.isSensitive = isSensitive
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.name = try buffer.readKafkaString(compact: true)
            self.value = try buffer.readKafkaNullableString(compact: true)
            self.readOnly = try buffer.readKafkaBool()
            self.configSource = try buffer.readKafkaInteger(as: Int8.self)
            self.isSensitive = try buffer.readKafkaBool()
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.name, compact: true)
            buffer.writeKafkaString(self.value, compact: true)
            buffer.writeKafkaBool(self.readOnly)
            buffer.writeKafkaInteger(self.configSource)
            buffer.writeKafkaBool(self.isSensitive)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
