// GENERATED FILE - DO NOT EDIT. Generated from message/InitProducerIdRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "InitProducerIdRequest" (versions 0-5, flexible 2+).
public struct InitProducerIdRequest: KafkaRequestMessage {
    public typealias Response = InitProducerIdResponse
    public static let apiKey: APIKey = .initProducerId
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 2

    /// The transactional id, or null if the producer is not transactional.
    public var transactionalId: String? = ""
    /// The time in ms to wait before aborting idle transactions sent by this producer. This is only relevant if a TransactionalId has been defined.
    public var transactionTimeoutMs: Int32 = 0
    /// The producer id. This is used to disambiguate requests if a transactional id is reused following its expiration.
    public var producerId: Int64 = -1
    /// The producer's current epoch. This will be checked against the producer epoch on the broker, and the request will return an error if they do not match.
    public var producerEpoch: Int16 = -1
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(transactionalId: String? = "", transactionTimeoutMs: Int32 = 0, producerId: Int64 = -1, producerEpoch: Int16 = -1) {
        self.transactionalId = transactionalId
        self.transactionTimeoutMs = transactionTimeoutMs
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "InitProducerIdRequest does not support version \(version)")
        }
        let flexible = version >= 2
        self.init()
        self.transactionalId = try buffer.readKafkaNullableString(compact: flexible)
        self.transactionTimeoutMs = try buffer.readKafkaInteger(as: Int32.self)
        if version >= 3 {
            self.producerId = try buffer.readKafkaInteger(as: Int64.self)
        }
        if version >= 3 {
            self.producerEpoch = try buffer.readKafkaInteger(as: Int16.self)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "InitProducerIdRequest does not support version \(version)")
        }
        let flexible = version >= 2
        buffer.writeKafkaString(self.transactionalId, compact: flexible)
        buffer.writeKafkaInteger(self.transactionTimeoutMs)
        if version >= 3 {
            buffer.writeKafkaInteger(self.producerId)
        }
        if version >= 3 {
            buffer.writeKafkaInteger(self.producerEpoch)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
