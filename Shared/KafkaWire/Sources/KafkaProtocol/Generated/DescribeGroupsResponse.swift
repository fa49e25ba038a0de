// GENERATED FILE - DO NOT EDIT. Generated from message/DescribeGroupsResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "DescribeGroupsResponse" (versions 0-5, flexible 5+).
public struct DescribeGroupsResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .describeGroups
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 5

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// Each described group.
    public var groups: [DescribedGroup] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, groups: [DescribedGroup] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.groups = groups
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DescribeGroupsResponse does not support version \(version)")
        }
        let flexible = version >= 5
        self.init()
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable DescribeGroupsResponse.groups")
            }
            var array2: [DescribedGroup] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try DescribedGroup(from: &buffer, version: version))
            }
            self.groups = array2
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DescribeGroupsResponse does not support version \(version)")
        }
        let flexible = version >= 5
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        buffer.writeKafkaArrayCount(self.groups.count, compact: flexible)
        for item1 in self.groups {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// Each described group.
    public struct DescribedGroup: Hashable, Sendable {
        /// The describe error, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// The group ID string.
        public var groupId: String = ""
        /// The group state string, or the empty string.
        public var groupState: String = ""
        /// The group protocol type, or the empty string.
        public var protocolType: String = ""
        /// The group protocol data, or the empty string.
        public var protocolData: String = ""
        /// The group members.
        public var members: [DescribedGroupMember] = []
        /// 32-bit bitfield to represent authorized operations for this group.
        public var authorizedOperations: Int32 = -2147483648
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(errorCode: Int16 = 0, groupId: String = "", groupState: String = "", protocolType: String = "", protocolData: String = "", members: [DescribedGroupMember] = [], authorizedOperations: Int32 = -2147483648) {
            self.errorCode = errorCode
            self.groupId = groupId
            self.groupState = groupState
            self.protocolType = protocolType
            self.protocolData = protocolData
            self.members = members
            self.authorizedOperations = authorizedOperations
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            self.init()
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            self.groupId = try buffer.readKafkaString(compact: flexible)
            self.groupState = try buffer.readKafkaString(compact: flexible)
            self.protocolType = try buffer.readKafkaString(compact: flexible)
            self.protocolData = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable DescribeGroupsResponse.DescribedGroup.members")
                }
                var array2: [DescribedGroupMember] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try DescribedGroupMember(from: &buffer, version: version))
                }
                self.members = array2
            }
            if version >= 3 {
                self.authorizedOperations = try buffer.readKafkaInteger(as: Int32.self)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            buffer.writeKafkaInteger(self.errorCode)
            buffer.writeKafkaString(self.groupId, compact: flexible)
            buffer.writeKafkaString(self.groupState, compact: flexible)
            buffer.writeKafkaString(self.protocolType, compact: flexible)
            buffer.writeKafkaString(self.protocolData, compact: flexible)
            buffer.writeKafkaArrayCount(self.members.count, compact: flexible)
            for item1 in self.members {
                try item1.encode(to: &buffer, version: version)
            }
            if version >= 3 {
                buffer.writeKafkaInteger(self.authorizedOperations)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// The group members.
    public struct DescribedGroupMember: Hashable, Sendable {
        /// The member ID assigned by the group coordinator.
        public var memberId: String = ""
        /// The unique identifier of the consumer instance provided by end user.
        public var groupInstanceId: String? = nil
        /// The client ID used in the member's latest join group request.
        public var clientId: String = ""
        /// The client host.
        public var clientHost: String = ""
        /// The metadata corresponding to the current group protocol in use.
        public var memberMetadata: ByteBuffer = ByteBuffer()
        /// The current assignment provided by the group leader.
        public var memberAssignment: ByteBuffer = ByteBuffer()
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(memberId: String = "", groupInstanceId: String? = nil, clientId: String = "", clientHost: String = "", memberMetadata: ByteBuffer = ByteBuffer(), memberAssignment: ByteBuffer = ByteBuffer()) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.clientId = clientId
            self.clientHost = clientHost
            self.memberMetadata = memberMetadata
            self.memberAssignment = memberAssignment
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            self.init()
            self.memberId = try buffer.readKafkaString(compact: flexible)
            if version >= 4 {
                self.groupInstanceId = try buffer.readKafkaNullableString(compact: flexible)
            }
            self.clientId = try buffer.readKafkaString(compact: flexible)
            self.clientHost = try buffer.readKafkaString(compact: flexible)
            self.memberMetadata = try buffer.readKafkaBytes(compact: flexible)
            self.memberAssignment = try buffer.readKafkaBytes(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 5
            buffer.writeKafkaString(self.memberId, compact: flexible)
            if version >= 4 {
                buffer.writeKafkaString(self.groupInstanceId, compact: flexible)
            }
            buffer.writeKafkaString(self.clientId, compact: flexible)
            buffer.writeKafkaString(self.clientHost, compact: flexible)
            buffer.writeKafkaBytes(self.memberMetadata, compact: flexible)
            buffer.writeKafkaBytes(self.memberAssignment, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
