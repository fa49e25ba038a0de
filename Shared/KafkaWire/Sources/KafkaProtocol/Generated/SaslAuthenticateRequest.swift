// GENERATED FILE - DO NOT EDIT. Generated from message/SaslAuthenticateRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "SaslAuthenticateRequest" (versions 0-2, flexible 2+).
public struct SaslAuthenticateRequest: KafkaRequestMessage {
    public typealias Response = SaslAuthenticateResponse
    public static let apiKey: APIKey = .saslAuthenticate
    public static let validVersions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 2

    /// The SASL authentication bytes from the client, as defined by the SASL mechanism.
    public var authBytes: ByteBuffer = ByteBuffer()
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(authBytes: ByteBuffer = ByteBuffer()) {
        self.authBytes = authBytes
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SaslAuthenticateRequest does not support version \(version)")
        }
        let flexible = version >= 2
        self.init()
        self.authBytes = try buffer.readKafkaBytes(compact: flexible)
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SaslAuthenticateRequest does not support version \(version)")
        }
        let flexible = version >= 2
        buffer.writeKafkaBytes(self.authBytes, compact: flexible)
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
