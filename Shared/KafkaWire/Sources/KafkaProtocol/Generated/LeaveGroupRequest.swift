// GENERATED FILE - DO NOT EDIT. Generated from message/LeaveGroupRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "LeaveGroupRequest" (versions 0-5, flexible 4+).
public struct LeaveGroupRequest: KafkaRequestMessage {
    public typealias Response = LeaveGroupResponse
    public static let apiKey: APIKey = .leaveGroup
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 4

    /// The ID of the group to leave.
    public var groupId: String = ""
    /// The member ID to remove from the group.
    public var memberId: String = ""
    /// List of leaving member identities.
    public var members: [MemberIdentity] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(groupId: String = "", memberId: String = "", members: [MemberIdentity] = []) {
        self.groupId = groupId
        self.memberId = memberId
        self.members = members
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "LeaveGroupRequest does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        self.groupId = try buffer.readKafkaString(compact: flexible)
        if version <= 2 {
            self.memberId = try buffer.readKafkaString(compact: flexible)
        }
        if version >= 3 {
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable LeaveGroupRequest.members")
                }
                var array2: [MemberIdentity] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try MemberIdentity(from: &buffer, version: version))
                }
                self.members = array2
            }
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "LeaveGroupRequest does not support version \(version)")
        }
        let flexible = version >= 4
        buffer.writeKafkaString(self.groupId, compact: flexible)
        if version <= 2 {
            buffer.writeKafkaString(self.memberId, compact: flexible)
        }
        if version >= 3 {
            buffer.writeKafkaArrayCount(self.members.count, compact: flexible)
            for item1 in self.members {
                try item1.encode(to: &buffer, version: version)
            }
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// List of leaving member identities.
    public struct MemberIdentity: Hashable, Sendable {
        /// The member ID to remove from the group.
        public var memberId: String = ""
        /// The group instance ID to remove from the group.
        public var groupInstanceId: String? = nil
        /// The reason why the member left the group.
        public var reason: String? = nil
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(memberId: String = "", groupInstanceId: String? = nil, reason: String? = nil) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.reason = reason
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            self.init()
            self.memberId = try buffer.readKafkaString(compact: flexible)
            self.groupInstanceId = try buffer.readKafkaNullableString(compact: flexible)
            if version >= 5 {
                self.reason = try buffer.readKafkaNullableString(compact: flexible)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            buffer.writeKafkaString(self.memberId, compact: flexible)
            buffer.writeKafkaString(self.groupInstanceId, compact: flexible)
            if version >= 5 {
                buffer.writeKafkaString(self.reason, compact: flexible)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
