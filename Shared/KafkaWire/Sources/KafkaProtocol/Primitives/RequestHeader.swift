import NIOCore

/// The header in front of every request (RequestHeader.json).
///
/// v0: api key, version, correlation id. v1 adds the client id (always a classic nullable
/// string, even in v2). v2, used by flexible request versions, adds tagged fields.
public struct RequestHeader: Hashable, Sendable {
    public var apiKey: APIKey
    public var apiVersion: Int16
    public var correlationID: Int32
    public var clientID: String?
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init(apiKey: APIKey, apiVersion: Int16, correlationID: Int32, clientID: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationID = correlationID
        self.clientID = clientID
    }

    /// Header version for a request: v2 when the request version is flexible, else v1;
    /// v0 only for ControlledShutdown v0, which predates client ids.
    public static func headerVersion(apiKey: APIKey, apiVersion: Int16) -> Int16 {
        if apiKey == .controlledShutdown && apiVersion == 0 { return 0 }
        return apiKey.isFlexible(apiVersion) ? 2 : 1
    }

    /// Reads a header. An API key this library does not know is still read (so the broker can
    /// answer it with an error); its header is assumed non-flexible.
    public init(from buffer: inout ByteBuffer) throws {
        apiKey = APIKey(rawValue: try buffer.readKafkaInteger())
        apiVersion = try buffer.readKafkaInteger()
        correlationID = try buffer.readKafkaInteger()
        let version = Self.headerVersion(apiKey: apiKey, apiVersion: apiVersion)
        clientID = version >= 1 ? try buffer.readKafkaNullableString(compact: false) : nil
        if version >= 2 {
            unknownTaggedFields = try buffer.readTaggedFields { _, _ in false }
        }
    }

    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeKafkaInteger(apiKey.rawValue)
        buffer.writeKafkaInteger(apiVersion)
        buffer.writeKafkaInteger(correlationID)
        let version = Self.headerVersion(apiKey: apiKey, apiVersion: apiVersion)
        if version >= 1 { buffer.writeKafkaString(clientID, compact: false) }
        if version >= 2 { buffer.writeTaggedFields(known: [], unknown: unknownTaggedFields) }
    }
}
