// GENERATED FILE - DO NOT EDIT. Generated from message/DescribeGroupsRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "DescribeGroupsRequest" (versions 0-5, flexible 5+).
public struct DescribeGroupsRequest: KafkaRequestMessage {
    public typealias Response = DescribeGroupsResponse
    public static let apiKey: APIKey = .describeGroups
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 5

    /// The names of the groups to describe
    public var groups: [String] = []
    /// Whether to include authorized operations.
    public var includeAuthorizedOperations: Bool = false
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(groups: [String] = [], includeAuthorizedOperations: Bool = false) {
        self.groups = groups
        self.includeAuthorizedOperations = includeAuthorizedOperations
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DescribeGroupsRequest does not support version \(version)")
        }
        let flexible = version >= 5
        self.init()
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable DescribeGroupsRequest.groups")
            }
            var array2: [String] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try buffer.readKafkaString(compact: flexible))
            }
            self.groups = array2
        }
        if version >= 3 {
            self.includeAuthorizedOperations = try buffer.readKafkaBool()
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DescribeGroupsRequest does not support version \(version)")
        }
        let flexible = version >= 5
        buffer.writeKafkaArrayCount(self.groups.count, compact: flexible)
        for item1 in self.groups {
            buffer.writeKafkaString(item1, compact: flexible)
        }
        if version >= 3 {
            buffer.writeKafkaBool(self.includeAuthorizedOperations)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
