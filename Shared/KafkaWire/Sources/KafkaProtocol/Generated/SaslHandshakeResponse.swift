// GENERATED FILE - DO NOT EDIT. Generated from message/SaslHandshakeResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "SaslHandshakeResponse" (versions 0-1, flexible none).
public struct SaslHandshakeResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .saslHandshake
    public static let validVersions: ClosedRange<Int16> = 0...1
    public static let firstFlexibleVersion: Int16? = nil

    /// The error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// The mechanisms enabled in the server.
    public var mechanisms: [String] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(errorCode: Int16 = 0, mechanisms: [String] = []) {
        self.errorCode = errorCode
        self.mechanisms = mechanisms
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SaslHandshakeResponse does not support version \(version)")
        }
        self.init()
        self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: false) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable SaslHandshakeResponse.mechanisms")
            }
            var array2: [String] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try buffer.readKafkaString(compact: false))
            }
            self.mechanisms = array2
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SaslHandshakeResponse does not support version \(version)")
        }
        buffer.writeKafkaInteger(self.errorCode)
        buffer.writeKafkaArrayCount(self.mechanisms.count, compact: false)
        for item1 in self.mechanisms {
            buffer.writeKafkaString(item1, compact: false)
        }
    }
}
