// GENERATED FILE - DO NOT EDIT. Generated from message/FindCoordinatorResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "FindCoordinatorResponse" (versions 0-6, flexible 3+).
public struct FindCoordinatorResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .findCoordinator
    public static let validVersions: ClosedRange<Int16> = 0...6
    public static let firstFlexibleVersion: Int16? = 3

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The error code, or 0 if there was no error.
    public var errorCode: Int16 = 0
    /// The error message, or null if there was no error.
    public var errorMessage: String? = ""
    /// The node id.
    public var nodeId: Int32 = 0
    /// The host name.
    public var host: String = ""
    /// The port.
    public var port: Int32 = 0
    /// Each coordinator result in the response
    public var coordinators: [Coordinator] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, errorMessage: String? = "", nodeId: Int32 = 0, host: String = "", port: Int32 = 0, coordinators: [Coordinator] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.nodeId = nodeId
        self.host = host
        self.port = port
        self.coordinators = coordinators
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "FindCoordinatorResponse does not support version \(version)")
        }
        let flexible = version >= 3
        self.init()
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version <= 3 {
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        }
        if version >= 1 && version <= 3 {
            self.errorMessage = try buffer.readKafkaNullableString(compact: flexible)
        }
        if version <= 3 {
            self.nodeId = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version <= 3 {
            self.host = try buffer.readKafkaString(compact: flexible)
        }
        if version <= 3 {
            self.port = try buffer.readKafkaInteger(as: Int32.self)
        }
        if version >= 4 {
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable FindCoordinatorResponse.coordinators")
                }
                var array2: [Coordinator] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try Coordinator(from: &buffer, version: version))
                }
                self.coordinators = array2
            }
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "FindCoordinatorResponse does not support version \(version)")
        }
        let flexible = version >= 3
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        if version <= 3 {
            buffer.writeKafkaInteger(self.errorCode)
        }
        if version >= 1 && version <= 3 {
            buffer.writeKafkaString(self.errorMessage, compact: flexible)
        }
        if version <= 3 {
            buffer.writeKafkaInteger(self.nodeId)
        }
        if version <= 3 {
            buffer.writeKafkaString(self.host, compact: flexible)
        }
        if version <= 3 {
            buffer.writeKafkaInteger(self.port)
        }
        if version >= 4 {
            buffer.writeKafkaArrayCount(self.coordinators.count, compact: flexible)
            for item1 in self.coordinators {
                try item1.encode(to: &buffer, version: version)
            }
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// Each coordinator result in the response
    public struct Coordinator: Hashable, Sendable {
        /// The coordinator key.
        public var key: String = ""
        /// The node id.
        public var nodeId: Int32 = 0
        /// The host name.
        public var host: String = ""
        /// The port.
        public var port: Int32 = 0
        /// The error code, or 0 if there was no error.
        public var errorCode: Int16 = 0
        /// The error message, or null if there was no error.
        public var errorMessage: String? = ""
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(key: String = "", nodeId: Int32 = 0, host: String = "", port: Int32 = 0, errorCode: Int16 = 0, errorMessage: String? = "") {
            self.key = key
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.key = try buffer.readKafkaString(compact: true)
            self.nodeId = try buffer.readKafkaInteger(as: Int32.self)
            self.host = try buffer.readKafkaString(compact: true)
            self.port = try buffer.readKafkaInteger(as: Int32.self)
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            self.errorMessage = try buffer.readKafkaNullableString(compact: true)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.key, compact: true)
            buffer.writeKafkaInteger(self.nodeId)
            buffer.writeKafkaString(self.host, compact: true)
            buffer.writeKafkaInteger(self.port)
            buffer.writeKafkaInteger(self.errorCode)
            buffer.writeKafkaString(self.errorMessage, compact: true)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
