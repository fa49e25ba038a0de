// GENERATED FILE - DO NOT EDIT. Generated from message/JoinGroupResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "JoinGroupResponse" (versions 0-9, flexible 6+).
public struct JoinGroupResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .joinGroup
    public static let validVersions: ClosedRange<Int16> = 0...9
    public static let firstFlexibleVersion: Int16? = 6

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// The generation ID of the group.
    public var generationId: Int32 = -1
    /// The group protocol name.
    public var protocolType: String? = nil
    /// The group protocol selected by the coordinator.
    public var protocolName: String? = ""
    /// The leader of the group.
    public var leader: String = ""
    /// True if the leader must skip running the assignment.
    public var skipAssignment: Bool = false
    /// The member ID assigned by the group coordinator.
    public var memberId: String = ""
    public var members: [JoinGroupResponseMember] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, generationId: Int32 = -1, protocolType: String? = nil, protocolName: String? = "", leader: String = "", skipAssignment: Bool = false, memberId: String = "", members: [JoinGroupResponseMember] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.leader = leader
        self.skipAssignment = skipAssignment
        self.memberId = memberId
        self.members = members
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "JoinGroupResponse does not support version \(version)")
        }
        let flexible = version >= 6
        self.init()
        if version >= 2 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        self.generationId = try buffer.readKafkaInteger(as: Int32.self)
        if version >= 7 {
            self.protocolType = try buffer.readKafkaNullableString(compact: flexible)
        }
        if version >= 7 {
            self.protocolName = try buffer.readKafkaNullableString(compact: flexible)
        } else {
            self.protocolName = try buffer.readKafkaString(compact: flexible)
        }
        self.leader = try buffer.readKafkaString(compact: flexible)
        if version >= 9 {
            self.skipAssignment = try buffer.readKafkaBool()
        }
        self.memberId = try buffer.readKafkaString(compact: flexible)
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable JoinGroupResponse.members")
            }
            var array2: [JoinGroupResponseMember] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try JoinGroupResponseMember(from: &buffer, version: version))
            }
            self.members = array2
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "JoinGroupResponse does not support version \(version)")
        }
        let flexible = version >= 6
        if version >= 2 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        buffer.writeKafkaInteger(self.errorCode)
        buffer.writeKafkaInteger(self.generationId)
        if version >= 7 {
            buffer.writeKafkaString(self.protocolType, compact: flexible)
        }
        if self.protocolName == nil && !(version >= 7) {
            throw ProtocolError(.invalidValue, "JoinGroupResponse.protocolName is null but not nullable in version \(version)")
        }
        buffer.writeKafkaString(self.protocolName, compact: flexible)
        buffer.writeKafkaString(self.leader, compact: flexible)
        if version >= 9 {
            buffer.writeKafkaBool(self.skipAssignment)
        }
        buffer.writeKafkaString(self.memberId, compact: flexible)
        buffer.writeKafkaArrayCount(self.members.count, compact: flexible)
        for item1 in self.members {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    public struct JoinGroupResponseMember: Hashable, Sendable {
        /// The group member ID.
        public var memberId: String = ""
        /// The unique identifier of the consumer instance provided by end user.
        public var groupInstanceId: String? = nil
        /// The group member metadata.
        public var metadata: ByteBuffer = ByteBuffer()
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(memberId: String = "", groupInstanceId: String? = nil, metadata: ByteBuffer = ByteBuffer()) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.metadata = metadata
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.memberId = try buffer.readKafkaString(compact: flexible)
            if version >= 5 {
                self.groupInstanceId = try buffer.readKafkaNullableString(compact: flexible)
            }
            self.metadata = try buffer.readKafkaBytes(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            buffer.writeKafkaString(self.memberId, compact: flexible)
            if version >= 5 {
                buffer.writeKafkaString(self.groupInstanceId, compact: flexible)
            }
            buffer.writeKafkaBytes(self.metadata, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
