// GENERATED FILE - DO NOT EDIT. Generated from message/InitProducerIdResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "InitProducerIdResponse" (versions 0-5, flexible 2+).
public struct InitProducerIdResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .initProducerId
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 2

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// The current producer id.
    public var producerId: Int64 = -1
    /// The current epoch associated with the producer id.
    public var producerEpoch: Int16 = 0
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, producerId: Int64 = -1, producerEpoch: Int16 = 0) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "InitProducerIdResponse does not support version \(version)")
        }
        let flexible = version >= 2
        self.init()
        self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        self.producerId = try buffer.readKafkaInteger(as: Int64.self)
        self.producerEpoch = try buffer.readKafkaInteger(as: Int16.self)
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "InitProducerIdResponse does not support version \(version)")
        }
        let flexible = version >= 2
        buffer.writeKafkaInteger(self.throttleTimeMs)
        buffer.writeKafkaInteger(self.errorCode)
        buffer.writeKafkaInteger(self.producerId)
        buffer.writeKafkaInteger(self.producerEpoch)
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
