import NIOCore

/// The header in front of every response (ResponseHeader.json): the correlation id, plus
/// tagged fields (v1) when the response version is flexible.
///
/// Exception: ApiVersions responses always use header v0, because a client that sent a
/// version the broker does not know must still be able to read the answer (KIP-511).
public struct ResponseHeader: Hashable, Sendable {
    public var correlationID: Int32
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init(correlationID: Int32) {
        self.correlationID = correlationID
    }

    public static func headerVersion(apiKey: APIKey, apiVersion: Int16) -> Int16 {
        if apiKey == .apiVersions { return 0 }
        return apiKey.isFlexible(apiVersion) ? 1 : 0
    }

    public init(from buffer: inout ByteBuffer, apiKey: APIKey, apiVersion: Int16) throws {
        correlationID = try buffer.readKafkaInteger()
        if Self.headerVersion(apiKey: apiKey, apiVersion: apiVersion) >= 1 {
            unknownTaggedFields = try buffer.readTaggedFields { _, _ in false }
        }
    }

    public func encode(to buffer: inout ByteBuffer, apiKey: APIKey, apiVersion: Int16) {
        buffer.writeKafkaInteger(correlationID)
        if Self.headerVersion(apiKey: apiKey, apiVersion: apiVersion) >= 1 {
            buffer.writeTaggedFields(known: [], unknown: unknownTaggedFields)
        }
    }
}
