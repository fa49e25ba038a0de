// GENERATED FILE - DO NOT EDIT. Generated from message/ListGroupsResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ListGroupsResponse" (versions 0-5, flexible 3+).
public struct ListGroupsResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .listGroups
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 3

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// Each group in the response.
    public var groups: [ListedGroup] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, groups: [ListedGroup] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.groups = groups
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ListGroupsResponse does not support version \(version)")
        }
        let flexible = version >= 3
        self.init()
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable ListGroupsResponse.groups")
            }
            var array2: [ListedGroup] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try ListedGroup(from: &buffer, version: version))
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
            throw ProtocolError(.unsupportedVersion, "ListGroupsResponse does not support version \(version)")
        }
        let flexible = version >= 3
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        buffer.writeKafkaInteger(self.errorCode)
        buffer.writeKafkaArrayCount(self.groups.count, compact: flexible)
        for item1 in self.groups {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// Each group in the response.
    public struct ListedGroup: Hashable, Sendable {
        /// The group ID.
        public var groupId: String = ""
        /// The group protocol type.
        public var protocolType: String = ""
        /// The group state name.
        public var groupState: String = ""
        /// The group type name.
        public var groupType: String = ""
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(groupId: String = "", protocolType: String = "", groupState: String = "", groupType: String = "") {
            self.groupId = groupId
            self.protocolType = protocolType
            self.groupState = groupState
            self.groupType = groupType
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 3
            self.init()
            self.groupId = try buffer.readKafkaString(compact: flexible)
            self.protocolType = try buffer.readKafkaString(compact: flexible)
            if version >= 4 {
                self.groupState = try buffer.readKafkaString(compact: flexible)
            }
            if version >= 5 {
                self.groupType = try buffer.readKafkaString(compact: flexible)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 3
            buffer.writeKafkaString(self.groupId, compact: flexible)
            buffer.writeKafkaString(self.protocolType, compact: flexible)
            if version >= 4 {
                buffer.writeKafkaString(self.groupState, compact: flexible)
            }
            if version >= 5 {
                buffer.writeKafkaString(self.groupType, compact: flexible)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
