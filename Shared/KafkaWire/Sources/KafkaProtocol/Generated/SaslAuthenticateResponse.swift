// GENERATED FILE - DO NOT EDIT. Generated from message/SaslAuthenticateResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "SaslAuthenticateResponse" (versions 0-2, flexible 2+).
public struct SaslAuthenticateResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .saslAuthenticate
    public static let validVersions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 2

    /// The error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// The error message, or null if there was no error.
    public var errorMessage: String? = ""
    /// The SASL authentication bytes from the server, as defined by the SASL mechanism.
    public var authBytes: ByteBuffer = ByteBuffer()
    /// Number of milliseconds after which only re-authentication over the existing connection to create a new session can occur.
    public var sessionLifetimeMs: Int64 = 0
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(errorCode: Int16 = 0, errorMessage: String? = "", authBytes: ByteBuffer = ByteBuffer(), sessionLifetimeMs: Int64 = 0) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.authBytes = authBytes
        self.sessionLifetimeMs = sessionLifetimeMs
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SaslAuthenticateResponse does not support version \(version)")
        }
        let flexible = version >= 2
        self.init()
        self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        self.errorMessage = try buffer.readKafkaNullableString(compact: flexible)
        self.authBytes = try buffer.readKafkaBytes(compact: flexible)
        if version >= 1 {
            self.sessionLifetimeMs = try buffer.readKafkaInteger(as: Int64.self)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SaslAuthenticateResponse does not support version \(version)")
        }
        let flexible = version >= 2
        buffer.writeKafkaInteger(self.errorCode)
        buffer.writeKafkaString(self.errorMessage, compact: flexible)
        buffer.writeKafkaBytes(self.authBytes, compact: flexible)
        if version >= 1 {
            buffer.writeKafkaInteger(self.sessionLifetimeMs)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
