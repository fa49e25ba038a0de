// GENERATED FILE - DO NOT EDIT. Generated from message/SaslHandshakeRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "SaslHandshakeRequest" (versions 0-1, flexible none).
public struct SaslHandshakeRequest: KafkaRequestMessage {
    public typealias Response = SaslHandshakeResponse
    public static let apiKey: APIKey = .saslHandshake
    public static let validVersions: ClosedRange<Int16> = 0...1
    public static let firstFlexibleVersion: Int16? = nil

    /// The SASL mechanism chosen by the client.
    public var mechanism: String = ""
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(mechanism: String = "") {
        self.mechanism = mechanism
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SaslHandshakeRequest does not support version \(version)")
        }
        self.init()
        self.mechanism = try buffer.readKafkaString(compact: false)
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SaslHandshakeRequest does not support version \(version)")
        }
        buffer.writeKafkaString(self.mechanism, compact: false)
    }
}
