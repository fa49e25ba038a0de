import Foundation

/// Events to and from Kafka records (`EventRecord`): JSON bodies with sorted keys (so the
/// bytes are deterministic), the envelope in headers.
public enum EventCodec {
    public static func encode(_ recorded: RecordedEvent) -> EventRecord {
        let envelope = recorded.envelope
        var headers = [
            EventRecord.Header(EventHeader.eventType, envelope.eventType.rawValue),
            EventRecord.Header(EventHeader.eventId, envelope.eventId.uuidString.lowercased()),
            EventRecord.Header(EventHeader.schemaVersion, String(envelope.schemaVersion)),
            EventRecord.Header(EventHeader.aggregateVersion, String(envelope.aggregateVersion)),
            EventRecord.Header(EventHeader.commandId, envelope.commandId),
            EventRecord.Header(EventHeader.occurredAt, envelope.occurredAt.rfc3339),
            EventRecord.Header(EventHeader.contentType, EventHeader.jsonContentType),
        ]
        if let traceparent = envelope.traceparent {
            headers.append(EventRecord.Header(EventHeader.traceparent, traceparent))
        }
        return EventRecord(key: Array(envelope.orderId.utf8), value: encodeBody(recorded.event), headers: headers)
    }

    /// The JSON body of an event at its current schema version: `JSONEncoder`'s bytes (sorted
    /// keys, slashes unescaped), written by `PlainBodyEncoder`.
    public static func encodeBody(_ event: OrderEvent) -> [UInt8] {
        PlainBodyEncoder.encode(event)
    }

    /// The aggregate version alone: all the fold rule needs to call an event void, so a void
    /// record is never decoded further.
    public static func aggregateVersion(of record: EventRecord) throws(EventDecodingError) -> Int64 {
        guard let text = record.header(EventHeader.aggregateVersion) else {
            throw .missingHeader(EventHeader.aggregateVersion)
        }
        guard let version = Int64(text), version >= 1 else {
            throw .malformedHeader(name: EventHeader.aggregateVersion, value: text)
        }
        return version
    }

    /// The whole event, with older schema versions upcast to the current one.
    public static func decode(_ record: EventRecord) throws(EventDecodingError) -> RecordedEvent {
        guard let orderId = record.keyString else { throw .missingHeader("key") }
        return try decode(record, orderId: orderId)
    }

    /// `decode(_:)` for a caller that has read the key already (the fold rule).
    static func decode(_ record: EventRecord, orderId: String) throws(EventDecodingError) -> RecordedEvent {
        let h = EnvelopeHeaders(record)
        let typeName = try required(h.eventType, EventHeader.eventType)
        guard let type = EventType(rawValue: typeName) else { throw .unknownEventType(typeName) }
        let versionText = try required(h.schemaVersion, EventHeader.schemaVersion)
        guard let schemaVersion = Int(versionText), schemaVersion >= 1 else {
            throw .malformedHeader(name: EventHeader.schemaVersion, value: versionText)
        }
        if schemaVersion > type.currentSchemaVersion {
            throw .newerSchemaVersion(type, found: schemaVersion, newestKnown: type.currentSchemaVersion)
        }
        // Compared and parsed as bytes (no string made on the way): the fold of a taken-over
        // partition reads these for every record.
        if let contentType = h.contentType, contentType != jsonContentType, let text = String(utf8Bytes: contentType) {
            throw .unsupportedContentType(text)
        }
        let idBytes = try required(h.eventId, EventHeader.eventId)
        guard let eventId = UUID(canonical: idBytes) else {
            throw .malformedHeader(name: EventHeader.eventId, value: try requiredText(idBytes, EventHeader.eventId))
        }
        let commandId = try required(h.commandId, EventHeader.commandId)
        let timeBytes = try required(h.occurredAt, EventHeader.occurredAt)
        guard let occurredAt = Timestamp(rfc3339: timeBytes) else {
            throw .malformedHeader(name: EventHeader.occurredAt, value: try requiredText(timeBytes, EventHeader.occurredAt))
        }
        let aggregateText = try required(h.aggregateVersion, EventHeader.aggregateVersion)
        guard let aggregateVersion = Int64(aggregateText), aggregateVersion >= 1 else {
            throw .malformedHeader(name: EventHeader.aggregateVersion, value: aggregateText)
        }
        let envelope = EventEnvelope(
            eventId: eventId, orderId: orderId, aggregateVersion: aggregateVersion, eventType: type,
            schemaVersion: schemaVersion, commandId: commandId, occurredAt: occurredAt, traceparent: h.traceparent)
        let event = try decodeBody(record.value ?? [], type: type, schemaVersion: schemaVersion)
        return RecordedEvent(envelope: envelope, event: event)
    }

    /// A body written at `schemaVersion` (≤ current), as the current version's event.
    public static func decodeBody(_ bytes: [UInt8], type: EventType, schemaVersion: Int) throws(EventDecodingError) -> OrderEvent {
        if let event = PlainBodyDecoder.decode(bytes, type: type, schemaVersion: schemaVersion) { return event }
        let data = Data(bytes)
        do {
            switch (type, schemaVersion) {
            case (.orderPlaced, 1): return .placed(Upcasters.orderPlaced(fromV1: try decoder.decode(OrderPlacedV1.self, from: data)))
            case (.orderPlaced, _): return .placed(try decoder.decode(OrderPlaced.self, from: data))
            case (.itemAdded, _): return .itemAdded(try decoder.decode(ItemAdded.self, from: data))
            case (.itemRemoved, _): return .itemRemoved(try decoder.decode(ItemRemoved.self, from: data))
            case (.orderConfirmed, _): return .confirmed(try decoder.decode(OrderConfirmed.self, from: data))
            case (.orderShipped, _): return .shipped(try decoder.decode(OrderShipped.self, from: data))
            case (.orderDelivered, _): return .delivered(try decoder.decode(OrderDelivered.self, from: data))
            case (.orderCancelled, _): return .cancelled(try decoder.decode(OrderCancelled.self, from: data))
            }
        } catch {
            throw .malformedBody(type, schemaVersion: schemaVersion, reason: describe(error))
        }
    }

    /// One decoder for every body (it holds no per-call state; made once, not per event).
    private static let decoder = JSONDecoder()

    private static let jsonContentType = Array(EventHeader.jsonContentType.utf8)

    private static func required<Value>(_ value: Value?, _ name: String) throws(EventDecodingError) -> Value {
        guard let value else { throw .missingHeader(name) }
        return value
    }

    /// A header value as text for an error message; not UTF-8 counts as missing, as for every header.
    private static func requiredText(_ bytes: [UInt8], _ name: String) throws(EventDecodingError) -> String {
        guard let text = String(utf8Bytes: bytes) else { throw .missingHeader(name) }
        return text
    }
}

/// The envelope's headers in one pass over the record's headers (the first of each name wins).
private struct EnvelopeHeaders {
    var eventType, schemaVersion, aggregateVersion, commandId, traceparent: String?
    /// Parsed or compared as bytes.
    var eventId, occurredAt, contentType: [UInt8]?

    init(_ record: EventRecord) {
        for header in record.headers {
            guard let bytes = header.value else { continue }
            func text() -> String? { String(utf8Bytes: bytes) }
            switch header.name {
            case EventHeader.eventType where eventType == nil: eventType = text()
            case EventHeader.eventId where eventId == nil: eventId = bytes
            case EventHeader.schemaVersion where schemaVersion == nil: schemaVersion = text()
            case EventHeader.aggregateVersion where aggregateVersion == nil: aggregateVersion = text()
            case EventHeader.commandId where commandId == nil: commandId = text()
            case EventHeader.occurredAt where occurredAt == nil: occurredAt = bytes
            case EventHeader.contentType where contentType == nil: contentType = bytes
            case EventHeader.traceparent where traceparent == nil: traceparent = text()
            default: break
            }
        }
    }
}

/// A short, stable description of a JSON decoding failure (the field path and what was wrong).
func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return String(describing: error) }
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? "body" : keys.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "\(path(context) == "body" ? "" : path(context) + ".")\(key.stringValue) is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
        return "\(path(context)): \(context.debugDescription)"
    case .dataCorrupted(let context):
        return "\(path(context)): \(context.debugDescription)"
    @unknown default:
        return String(describing: error)
    }
}
