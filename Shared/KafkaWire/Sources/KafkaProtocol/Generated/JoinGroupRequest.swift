// GENERATED FILE - DO NOT EDIT. Generated from message/JoinGroupRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "JoinGroupRequest" (versions 0-9, flexible 6+).
public struct JoinGroupRequest: KafkaRequestMessage {
    public typealias Response = JoinGroupResponse
    public static let apiKey: APIKey = .joinGroup
    public static let validVersions: ClosedRange<Int16> = 0...9
    public static let firstFlexibleVersion: Int16? = 6

    /// The group identifier.
    public var groupId: String = ""
    /// The coordinator considers the consumer dead if it receives no heartbeat after this timeout in milliseconds.
    public var sessionTimeoutMs: Int32 = 0
    /// The maximum time in milliseconds that the coordinator will wait for each member to rejoin when rebalancing the group.
    public var rebalanceTimeoutMs: Int32 = -1
    /// The member id assigned by the group coordinator.
    public var memberId: String = ""
    /// The unique identifier of the consumer instance provided by end user.
    public var groupInstanceId: String? = nil
    /// The unique name the for class of protocols implemented by the group we want to join.
    public var protocolType: String = ""
    /// The list of protocols that the member supports.
    public var protocols: [JoinGroupRequestProtocol] = []
    /// The reason why the member (re-)joins the group.
    public var reason: String? = nil
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(groupId: String = "", sessionTimeoutMs: Int32 = 0, rebalanceTimeoutMs: Int32 = -1, memberId: String = "", groupInstanceId: String? = nil, protocolType: String = "", protocols: [JoinGroupRequestProtocol] = [], reason: String? = nil) {
        self.groupId = groupId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocols = protocols
        self.reason = reason
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "JoinGroupRequest does not support version \(version)")
        }
        let flexible = version >= 6
        self.init()
        self.groupId = try buffer.readKafkaString(compact: flexible)
        self.sessionTimeoutMs = try buffer.readKafkaInteger(as: Int32.self)
        if version >= 1 {
            self.rebalanceTimeoutMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        self.memberId = try buffer.readKafkaString(compact: flexible)
        if version >= 5 {
            self.groupInstanceId = try buffer.readKafkaNullableString(compact: flexible)
        }
        self.protocolType = try buffer.readKafkaString(compact: flexible)
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable JoinGroupRequest.protocols")
            }
            var array2: [JoinGroupRequestProtocol] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try JoinGroupRequestProtocol(from: &buffer, version: version))
            }
            self.protocols = array2
        }
        if version >= 8 {
            self.reason = try buffer.readKafkaNullableString(compact: flexible)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "JoinGroupRequest does not support version \(version)")
        }
        let flexible = version >= 6
        buffer.writeKafkaString(self.groupId, compact: flexible)
        buffer.writeKafkaInteger(self.sessionTimeoutMs)
        if version >= 1 {
            buffer.writeKafkaInteger(self.rebalanceTimeoutMs)
        }
        buffer.writeKafkaString(self.memberId, compact: flexible)
        if version >= 5 {
            buffer.writeKafkaString(self.groupInstanceId, compact: flexible)
        }
        buffer.writeKafkaString(self.protocolType, compact: flexible)
        buffer.writeKafkaArrayCount(self.protocols.count, compact: flexible)
        for item1 in self.protocols {
            try item1.encode(to: &buffer, version: version)
        }
        if version >= 8 {
            buffer.writeKafkaString(self.reason, compact: flexible)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The list of protocols that the member supports.
    public struct JoinGroupRequestProtocol: Hashable, Sendable {
        /// The protocol name.
        public var name: String = ""
        /// The protocol metadata.
        public var metadata: ByteBuffer = ByteBuffer()
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", metadata: ByteBuffer = ByteBuffer()) {
            self.name = name
            self.metadata = metadata
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            self.metadata = try buffer.readKafkaBytes(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaBytes(self.metadata, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
