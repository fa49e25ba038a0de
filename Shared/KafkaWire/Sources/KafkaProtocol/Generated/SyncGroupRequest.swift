// GENERATED FILE - DO NOT EDIT. Generated from message/SyncGroupRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "SyncGroupRequest" (versions 0-5, flexible 4+).
public struct SyncGroupRequest: KafkaRequestMessage {
    public typealias Response = SyncGroupResponse
    public static let apiKey: APIKey = .syncGroup
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 4

    /// The unique group identifier.
    public var groupId: String = ""
    /// The generation of the group.
    public var generationId: Int32 = 0
    /// The member ID assigned by the group.
    public var memberId: String = ""
    /// The unique identifier of the consumer instance provided by end user.
    public var groupInstanceId: String? = nil
    /// The group protocol type.
    public var protocolType: String? = nil
    /// The group protocol name.
    public var protocolName: String? = nil
    /// Each assignment.
    public var assignments: [SyncGroupRequestAssignment] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(groupId: String = "", generationId: Int32 = 0, memberId: String = "", groupInstanceId: String? = nil, protocolType: String? = nil, protocolName: String? = nil, assignments: [SyncGroupRequestAssignment] = []) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SyncGroupRequest does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        self.groupId = try buffer.readKafkaString(compact: flexible)
        self.generationId = try buffer.readKafkaInteger(as: Int32.self)
        self.memberId = try buffer.readKafkaString(compact: flexible)
        if version >= 3 {
            self.groupInstanceId = try buffer.readKafkaNullableString(compact: flexible)
        }
        if version >= 5 {
            self.protocolType = try buffer.readKafkaNullableString(compact: flexible)
        }
        if version >= 5 {
            self.protocolName = try buffer.readKafkaNullableString(compact: flexible)
        }
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable SyncGroupRequest.assignments")
            }
            var array2: [SyncGroupRequestAssignment] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try SyncGroupRequestAssignment(from: &buffer, version: version))
            }
            self.assignments = array2
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "SyncGroupRequest does not support version \(version)")
        }
        let flexible = version >= 4
        buffer.writeKafkaString(self.groupId, compact: flexible)
        buffer.writeKafkaInteger(self.generationId)
        buffer.writeKafkaString(self.memberId, compact: flexible)
        if version >= 3 {
            buffer.writeKafkaString(self.groupInstanceId, compact: flexible)
        }
        if version >= 5 {
            buffer.writeKafkaString(self.protocolType, compact: flexible)
        }
        if version >= 5 {
            buffer.writeKafkaString(self.protocolName, compact: flexible)
        }
        buffer.writeKafkaArrayCount(self.assignments.count, compact: flexible)
        for item1 in self.assignments {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// Each assignment.
    public struct SyncGroupRequestAssignment: Hashable, Sendable {
        /// The ID of the member to assign.
        public var memberId: String = ""
        /// The member assignment.
        public var assignment: ByteBuffer = ByteBuffer()
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(memberId: String = "", assignment: ByteBuffer = ByteBuffer()) {
            self.memberId = memberId
            self.assignment = assignment
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            self.init()
            self.memberId = try buffer.readKafkaString(compact: flexible)
            self.assignment = try buffer.readKafkaBytes(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            buffer.writeKafkaString(self.memberId, compact: flexible)
            buffer.writeKafkaBytes(self.assignment, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
