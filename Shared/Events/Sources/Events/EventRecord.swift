/// The Kafka record of an event, without Kafka: key = order id (UTF-8), value = the JSON body,
/// headers = the envelope as UTF-8 strings. Services convert this to and from their Kafka
/// client's record type; this is the one place that knows the layout.
public struct EventRecord: Hashable, Sendable {
    public struct Header: Hashable, Sendable {
        public var name: String
        public var value: [UInt8]?

        public init(name: String, value: [UInt8]?) {
            self.name = name
            self.value = value
        }

        public init(_ name: String, _ text: String) {
            self.init(name: name, value: Array(text.utf8))
        }
    }

    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [Header]

    public init(key: [UInt8]?, value: [UInt8]?, headers: [Header]) {
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// Header names of the envelope, as in docs/architecture.md, "Kafka layout".
public enum EventHeader {
    public static let eventType = "event-type"
    public static let eventId = "event-id"
    public static let schemaVersion = "schema-version"
    public static let aggregateVersion = "aggregate-version"
    public static let commandId = "command-id"
    public static let occurredAt = "occurred-at"
    public static let contentType = "content-type"
    public static let traceparent = "traceparent"
    /// Who asked for the event (a token's subject, or `anonymous`).
    public static let actor = "actor"

    public static let jsonContentType = "application/json"

    /// In the order they are written.
    public static let all = [eventType, eventId, schemaVersion, aggregateVersion, commandId, occurredAt, contentType, traceparent, actor]
}
