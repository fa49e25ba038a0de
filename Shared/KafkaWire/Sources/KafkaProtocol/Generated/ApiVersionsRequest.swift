// GENERATED FILE - DO NOT EDIT. Generated from message/ApiVersionsRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ApiVersionsRequest" (versions 0-4, flexible 3+).
public struct ApiVersionsRequest: KafkaRequestMessage {
    public typealias Response = ApiVersionsResponse
    public static let apiKey: APIKey = .apiVersions
    public static let validVersions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 3

    /// The name of the client.
    public var clientSoftwareName: String = ""
    /// The version of the client.
    public var clientSoftwareVersion: String = ""
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(clientSoftwareName: String = "", clientSoftwareVersion: String = "") {
        self.clientSoftwareName = clientSoftwareName
        self.clientSoftwareVersion = clientSoftwareVersion
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ApiVersionsRequest does not support version \(version)")
        }
        let flexible = version >= 3
        self.init()
        if version >= 3 {
            self.clientSoftwareName = try buffer.readKafkaString(compact: flexible)
        }
        if version >= 3 {
            self.clientSoftwareVersion = try buffer.readKafkaString(compact: flexible)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ApiVersionsRequest does not support version \(version)")
        }
        let flexible = version >= 3
        if version >= 3 {
            buffer.writeKafkaString(self.clientSoftwareName, compact: flexible)
        }
        if version >= 3 {
            buffer.writeKafkaString(self.clientSoftwareVersion, compact: flexible)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
