// GENERATED FILE - DO NOT EDIT. Generated from message/FindCoordinatorRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "FindCoordinatorRequest" (versions 0-6, flexible 3+).
public struct FindCoordinatorRequest: KafkaRequestMessage {
    public typealias Response = FindCoordinatorResponse
    public static let apiKey: APIKey = .findCoordinator
    public static let validVersions: ClosedRange<Int16> = 0...6
    public static let firstFlexibleVersion: Int16? = 3

    /// The coordinator key.
    public var key: String = ""
    /// The coordinator key type. (Group, transaction, etc.)
    public var keyType: Int8 = 0
    /// The coordinator keys.
    public var coordinatorKeys: [String] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(key: String = "", keyType: Int8 = 0, coordinatorKeys: [String] = []) {
        self.key = key
        self.keyType = keyType
        self.coordinatorKeys = coordinatorKeys
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "FindCoordinatorRequest does not support version \(version)")
        }
        let flexible = version >= 3
        self.init()
        if version <= 3 {
            self.key = try buffer.readKafkaString(compact: flexible)
        }
        if version >= 1 {
            self.keyType = try buffer.readKafkaInteger(as: Int8.self)
        }
        if version >= 4 {
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable FindCoordinatorRequest.coordinatorKeys")
                }
                var array2: [String] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaString(compact: flexible))
                }
                self.coordinatorKeys = array2
            }
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "FindCoordinatorRequest does not support version \(version)")
        }
        let flexible = version >= 3
        if version <= 3 {
            buffer.writeKafkaString(self.key, compact: flexible)
        }
        if version >= 1 {
            buffer.writeKafkaInteger(self.keyType)
        }
        if version >= 4 {
            buffer.writeKafkaArrayCount(self.coordinatorKeys.count, compact: flexible)
            for item1 in self.coordinatorKeys {
                buffer.writeKafkaString(item1, compact: flexible)
            }
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
