// GENERATED FILE - DO NOT EDIT. Generated from message/OffsetFetchRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "OffsetFetchRequest" (versions 0-9, flexible 6+).
public struct OffsetFetchRequest: KafkaRequestMessage {
    public typealias Response = OffsetFetchResponse
    public static let apiKey: APIKey = .offsetFetch
    public static let validVersions: ClosedRange<Int16> = 0...9
    public static let firstFlexibleVersion: Int16? = 6

    /// The group to fetch offsets for.
    public var groupId: String = ""
    /// Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.
    public var topics: [OffsetFetchRequestTopic]? = []
    /// Each group we would like to fetch offsets for
    public var groups: [OffsetFetchRequestGroup] = []
    /// Whether broker should hold on returning unstable offsets but set a retriable error code for the partitions.
    public var requireStable: Bool = false
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(groupId: String = "", topics: [OffsetFetchRequestTopic]? = [], groups: [OffsetFetchRequestGroup] = [], requireStable: Bool = false) {
        self.groupId = groupId
        self.topics = topics
        self.groups = groups
        self.requireStable = requireStable
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "OffsetFetchRequest does not support version \(version)")
        }
        let flexible = version >= 6
        self.init()
        if version <= 7 {
            self.groupId = try buffer.readKafkaString(compact: flexible)
        }
        if version <= 7 {
            if version >= 2 {
                if let count1 = try buffer.readKafkaArrayCount(compact: flexible) {
                    var array2: [OffsetFetchRequestTopic] = []
                    array2.reserveCapacity(count1)
                    for _ in 0..<count1 {
                        array2.append(try OffsetFetchRequestTopic(from: &buffer, version: version))
                    }
                    self.topics = array2
                } else {
                    self.topics = nil
                }
            } else {
                do {
                    guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                        throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchRequest.topics")
                    }
                    var array4: [OffsetFetchRequestTopic] = []
                    array4.reserveCapacity(count3)
                    for _ in 0..<count3 {
                        array4.append(try OffsetFetchRequestTopic(from: &buffer, version: version))
                    }
                    self.topics = array4
                }
            }
        }
        if version >= 8 {
            do {
                guard let count5 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchRequest.groups")
                }
                var array6: [OffsetFetchRequestGroup] = []
                array6.reserveCapacity(count5)
                for _ in 0..<count5 {
                    array6.append(try OffsetFetchRequestGroup(from: &buffer, version: version))
                }
                self.groups = array6
            }
        }
        if version >= 7 {
            self.requireStable = try buffer.readKafkaBool()
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "OffsetFetchRequest does not support version \(version)")
        }
        let flexible = version >= 6
        if version <= 7 {
            buffer.writeKafkaString(self.groupId, compact: flexible)
        }
        if version <= 7 {
            if self.topics == nil && !(version >= 2) {
                throw ProtocolError(.invalidValue, "OffsetFetchRequest.topics is null but not nullable in version \(version)")
            }
            if let value1 = self.topics {
                buffer.writeKafkaArrayCount(value1.count, compact: flexible)
                for item2 in value1 {
                    try item2.encode(to: &buffer, version: version)
                }
            } else {
                buffer.writeKafkaArrayCount(nil, compact: flexible)
            }
        }
        if version >= 8 {
            buffer.writeKafkaArrayCount(self.groups.count, compact: flexible)
            for item3 in self.groups {
                try item3.encode(to: &buffer, version: version)
            }
        }
        if version >= 7 {
            buffer.writeKafkaBool(self.requireStable)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.
    public struct OffsetFetchRequestTopic: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// The partition indexes we would like to fetch offsets for.
        public var partitionIndexes: [Int32] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitionIndexes: [Int32] = []) {
            self.name = name
            self.partitionIndexes = partitionIndexes
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchRequest.OffsetFetchRequestTopic.partitionIndexes")
                }
                var array2: [Int32] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaInteger(as: Int32.self))
                }
                self.partitionIndexes = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 6
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaArrayCount(self.partitionIndexes.count, compact: flexible)
            for item1 in self.partitionIndexes {
                buffer.writeKafkaInteger(item1)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Each group we would like to fetch offsets for
    public struct OffsetFetchRequestGroup: Hashable, Sendable {
        /// The group ID.
        public var groupId: String = ""
        /// The member ID assigned by the group coordinator if using the new consumer protocol (KIP-848).
        public var memberId: String? = nil
        /// The member epoch if using the new consumer protocol (KIP-848).
        public var memberEpoch: Int32 = -1
        /// Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.
        public var topics: [OffsetFetchRequestTopics]? = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(groupId: String = "", memberId: String? = nil, memberEpoch: Int32 = -1, topics: [OffsetFetchRequestTopics]? = []) {
            self.groupId = groupId
            self.memberId = memberId
            self.memberEpoch = memberEpoch
            self.topics = topics
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.groupId = try buffer.readKafkaString(compact: true)
            if version >= 9 {
                self.memberId = try buffer.readKafkaNullableString(compact: true)
            }
            if version >= 9 {
                self.memberEpoch = try buffer.readKafkaInteger(as: Int32.self)
            }
            if let count1 = try buffer.readKafkaArrayCount(compact: true) {
                var array2: [OffsetFetchRequestTopics] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try OffsetFetchRequestTopics(from: &buffer, version: version))
                }
                self.topics = array2
            } else {
                self.topics = nil
            }
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.groupId, compact: true)
            if version >= 9 {
                buffer.writeKafkaString(self.memberId, compact: true)
            }
            if version >= 9 {
                buffer.writeKafkaInteger(self.memberEpoch)
            }
            if let value1 = self.topics {
                buffer.writeKafkaArrayCount(value1.count, compact: true)
                for item2 in value1 {
                    try item2.encode(to: &buffer, version: version)
                }
            } else {
                buffer.writeKafkaArrayCount(nil, compact: true)
            }
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.
    public struct OffsetFetchRequestTopics: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// The partition indexes we would like to fetch offsets for.
        public var partitionIndexes: [Int32] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitionIndexes: [Int32] = []) {
            self.name = name
            self.partitionIndexes = partitionIndexes
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.name = try buffer.readKafkaString(compact: true)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: true) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable OffsetFetchRequest.OffsetFetchRequestTopics.partitionIndexes")
                }
                var array2: [Int32] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaInteger(as: Int32.self))
                }
                self.partitionIndexes = array2
            }
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.name, compact: true)
            buffer.writeKafkaArrayCount(self.partitionIndexes.count, compact: true)
            for item1 in self.partitionIndexes {
                buffer.writeKafkaInteger(item1)
            }
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
