// GENERATED FILE - DO NOT EDIT. Generated from message/LeaveGroupResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "LeaveGroupResponse" (versions 0-5, flexible 4+).
public struct LeaveGroupResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .leaveGroup
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 4

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// List of leaving member responses.
    public var members: [MemberResponse] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, members: [MemberResponse] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.members = members
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "LeaveGroupResponse does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        if version >= 3 {
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable LeaveGroupResponse.members")
                }
                var array2: [MemberResponse] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try MemberResponse(from: &buffer, version: version))
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
            throw ProtocolError(.unsupportedVersion, "LeaveGroupResponse does not support version \(version)")
        }
        let flexible = version >= 4
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        buffer.writeKafkaInteger(self.errorCode)
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

    /// List of leaving member responses.
    public struct MemberResponse: Hashable, Sendable {
        /// The member ID to remove from the group.
        public var memberId: String = ""
        /// The group instance ID to remove from the group.
        public var groupInstanceId: String? = ""
        /// The error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(memberId: String = "", groupInstanceId: String? = "", errorCode: Int16 = 0) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.errorCode = errorCode
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            self.init()
            self.memberId = try buffer.readKafkaString(compact: flexible)
            self.groupInstanceId = try buffer.readKafkaNullableString(compact: flexible)
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            buffer.writeKafkaString(self.memberId, compact: flexible)
            buffer.writeKafkaString(self.groupInstanceId, compact: flexible)
            buffer.writeKafkaInteger(self.errorCode)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
