// GENERATED FILE - DO NOT EDIT. Generated from message/ListGroupsRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ListGroupsRequest" (versions 0-5, flexible 3+).
public struct ListGroupsRequest: KafkaRequestMessage {
    public typealias Response = ListGroupsResponse
    public static let apiKey: APIKey = .listGroups
    public static let validVersions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 3

    /// The states of the groups we want to list. If empty, all groups are returned with their state.
    public var statesFilter: [String] = []
    /// The types of the groups we want to list. If empty, all groups are returned with their type.
    public var typesFilter: [String] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(statesFilter: [String] = [], typesFilter: [String] = []) {
        self.statesFilter = statesFilter
        self.typesFilter = typesFilter
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ListGroupsRequest does not support version \(version)")
        }
        let flexible = version >= 3
        self.init()
        if version >= 4 {
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable ListGroupsRequest.statesFilter")
                }
                var array2: [String] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaString(compact: flexible))
                }
                self.statesFilter = array2
            }
        }
        if version >= 5 {
            do {
                guard let count3 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable ListGroupsRequest.typesFilter")
                }
                var array4: [String] = []
                array4.reserveCapacity(count3)
                for _ in 0..<count3 {
                    array4.append(try buffer.readKafkaString(compact: flexible))
                }
                self.typesFilter = array4
            }
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ListGroupsRequest does not support version \(version)")
        }
        let flexible = version >= 3
        if version >= 4 {
            buffer.writeKafkaArrayCount(self.statesFilter.count, compact: flexible)
            for item1 in self.statesFilter {
                buffer.writeKafkaString(item1, compact: flexible)
            }
        }
        if version >= 5 {
            buffer.writeKafkaArrayCount(self.typesFilter.count, compact: flexible)
            for item2 in self.typesFilter {
                buffer.writeKafkaString(item2, compact: flexible)
            }
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
