// GENERATED FILE - DO NOT EDIT. Generated from message/HeartbeatRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "HeartbeatRequest" (versions 0-4, flexible 4+).
public struct HeartbeatRequest: KafkaRequestMessage {
    public typealias Response = HeartbeatResponse
    public static let apiKey: APIKey = .heartbeat
    public static let validVersions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 4

    /// The group id.
    public var groupId: String = ""
    /// The generation of the group.
    public var generationId: Int32 = 0
    /// The member ID.
    public var memberId: String = ""
    /// The unique identifier of the consumer instance provided by end user.
    public var groupInstanceId: String? = nil
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(groupId: String = "", generationId: Int32 = 0, memberId: String = "", groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "HeartbeatRequest does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        self.groupId = try buffer.readKafkaString(compact: flexible)
        self.generationId = try buffer.readKafkaInteger(as: Int32.self)
        self.memberId = try buffer.readKafkaString(compact: flexible)
        if version >= 3 {
            self.groupInstanceId = try buffer.readKafkaNullableString(compact: flexible)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "HeartbeatRequest does not support version \(version)")
        }
        let flexible = version >= 4
        buffer.writeKafkaString(self.groupId, compact: flexible)
        buffer.writeKafkaInteger(self.generationId)
        buffer.writeKafkaString(self.memberId, compact: flexible)
        if version >= 3 {
            buffer.writeKafkaString(self.groupInstanceId, compact: flexible)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
