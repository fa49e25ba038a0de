/// Why a record of `orders.events` could not be read as an event. A reader that keeps state
/// stops the partition on one of these (it must not fold past a fact it cannot read).
public enum EventDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingHeader(String)
    case malformedHeader(name: String, value: String)
    case unknownEventType(String)
    /// Written by a newer writer than this reader understands (upgrade readers first).
    case newerSchemaVersion(EventType, found: Int, newestKnown: Int)
    case unsupportedContentType(String)
    case malformedBody(EventType, schemaVersion: Int, reason: String)

    public var description: String {
        switch self {
        case .missingHeader(let name): "missing header \(name)"
        case .malformedHeader(let name, let value): "malformed header \(name): \(value.debugDescription)"
        case .unknownEventType(let type): "unknown event type \(type.debugDescription)"
        case .newerSchemaVersion(let type, let found, let known):
            "\(type.rawValue) schema version \(found) is newer than this reader knows (\(known)); upgrade the reader"
        case .unsupportedContentType(let type): "content type \(type.debugDescription) is not application/json"
        case .malformedBody(let type, let version, let reason): "\(type.rawValue) v\(version) body is malformed: \(reason)"
        }
    }

    /// A stable short name for metrics and logs.
    public var kind: String {
        switch self {
        case .missingHeader: "missing-header"
        case .malformedHeader: "malformed-header"
        case .unknownEventType: "unknown-event-type"
        case .newerSchemaVersion: "newer-schema-version"
        case .unsupportedContentType: "unsupported-content-type"
        case .malformedBody: "malformed-body"
        }
    }
}
