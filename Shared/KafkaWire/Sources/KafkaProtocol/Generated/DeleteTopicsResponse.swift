// GENERATED FILE - DO NOT EDIT. Generated from message/DeleteTopicsResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "DeleteTopicsResponse" (versions 0-6, flexible 4+).
public struct DeleteTopicsResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .deleteTopics
    public static let validVersions: ClosedRange<Int16> = 0...6
    public static let firstFlexibleVersion: Int16? = 4

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The results for each topic we tried to delete.
    public var responses: [DeletableTopicResult] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, responses: [DeletableTopicResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.responses = responses
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DeleteTopicsResponse does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable DeleteTopicsResponse.responses")
            }
            var array2: [DeletableTopicResult] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try DeletableTopicResult(from: &buffer, version: version))
            }
            self.responses = array2
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DeleteTopicsResponse does not support version \(version)")
        }
        let flexible = version >= 4
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        buffer.writeKafkaArrayCount(self.responses.count, compact: flexible)
        for item1 in self.responses {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The results for each topic we tried to delete.
    public struct DeletableTopicResult: Hashable, Sendable {
        /// The topic name
        public var name: String? = ""
        /// the unique topic ID
        public var topicId: KafkaUUID = KafkaUUID.zero
        /// The deletion error, or 0 if the deletion succeeded.
        public var errorCode: Int16 = 0
        /// The error message, or null if there was no error.
        public var errorMessage: String? = nil
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String? = "", topicId: KafkaUUID = KafkaUUID.zero, errorCode: Int16 = 0, errorMessage: String? = nil) {
            self.name = name
            self.topicId = topicId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            self.init()
            if version >= 6 {
                self.name = try buffer.readKafkaNullableString(compact: flexible)
            } else {
                self.name = try buffer.readKafkaString(compact: flexible)
            }
            if version >= 6 {
                self.topicId = try buffer.readKafkaUUID()
            }
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            if version >= 5 {
                self.errorMessage = try buffer.readKafkaNullableString(compact: flexible)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            if self.name == nil && !(version >= 6) {
                throw ProtocolError(.invalidValue, "DeleteTopicsResponse.DeletableTopicResult.name is null but not nullable in version \(version)")
            }
            buffer.writeKafkaString(self.name, compact: flexible)
            if version >= 6 {
                buffer.writeKafkaUUID(self.topicId)
            }
            buffer.writeKafkaInteger(self.errorCode)
            if version >= 5 {
                buffer.writeKafkaString(self.errorMessage, compact: flexible)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
