// GENERATED FILE - DO NOT EDIT. Generated from message/SyncGroupResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "SyncGroupResponse" (versions 0-5, flexible 4+).
public struct SyncGroupResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .syncGroup
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 4

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// The group protocol type.
    public var protocolType: String? = nil
    /// The group protocol name.
    public var protocolName: String? = nil
    /// The member assignment.
    public var assignment: ByteBuffer = ByteBuffer()
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, protocolType: String? = nil, protocolName: String? = nil, assignment: ByteBuffer = ByteBuffer()) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignment = assignment
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SyncGroupResponse does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        if version >= 5 {
            self.protocolType = try buffer.readKafkaNullableString(compact: flexible)
        }
        if version >= 5 {
            self.protocolName = try buffer.readKafkaNullableString(compact: flexible)
        }
        self.assignment = try buffer.readKafkaBytes(compact: flexible)
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SyncGroupResponse does not support version \(version)")
        }
        let flexible = version >= 4
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        buffer.writeKafkaInteger(self.errorCode)
        if version >= 5 {
            buffer.writeKafkaString(self.protocolType, compact: flexible)
        }
        if version >= 5 {
            buffer.writeKafkaString(self.protocolName, compact: flexible)
        }
        buffer.writeKafkaBytes(self.assignment, compact: flexible)
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
