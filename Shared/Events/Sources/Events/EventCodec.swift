import Foundation

/// Events to and from Kafka records (`EventRecord`): JSON bodies with sorted keys (so the
/// bytes are deterministic), the envelope in headers.
public enum EventCodec {
    public static func encode(_ recorded: RecordedEvent) -> EventRecord {
        let envelope = recorded.envelope
        var headers = [
            EventRecord.Header(EventHeader.eventType, envelope.eventType.rawValue),
            EventRecord.Header(EventHeader.eventId, envelope.eventId.lowercasedString),
            EventRecord.Header(EventHeader.schemaVersion, String(envelope.schemaVersion)),
            EventRecord.Header(EventHeader.aggregateVersion, String(envelope.aggregateVersion)),
            EventRecord.Header(EventHeader.commandId, envelope.commandId),
            EventRecord.Header(EventHeader.occurredAt, envelope.occurredAt.rfc3339),
            EventRecord.Header(EventHeader.contentType, EventHeader.jsonContentType),
        ]
        if let traceparent = envelope.traceparent {
            headers.append(EventRecord.Header(EventHeader.traceparent, traceparent))
        }
        if let actor = envelope.actor {
            headers.append(EventRecord.Header(EventHeader.actor, actor))
        }
        return EventRecord(key: Array(envelope.orderId.utf8), value: encodeBody(recorded.event), headers: headers)
    }

    /// The JSON body of an event at its current schema version: `JSONEncoder`'s bytes (sorted
    /// keys, slashes unescaped), written by `PlainBodyEncoder`.
    public static func encodeBody(_ event: OrderEvent) -> [UInt8] {
        PlainBodyEncoder.encode(event)
    }

    /// The same into `bytes` (emptied first, its capacity kept): for a writer of many bodies.
    public static func encodeBody(_ event: OrderEvent, into bytes: inout [UInt8]) {
        PlainBodyEncoder.encode(event, into: &bytes)
    }

    /// The aggregate version alone: all the fold rule needs to call an event void, so a void
    /// record is never decoded further.
    public static func aggregateVersion(of record: some EventRecordBytes) throws(EventDecodingError) -> Int64 {
        try aggregateVersion(of: record, EnvelopeHeaders(record))
    }

    static func aggregateVersion(of record: some EventRecordBytes, _ h: EnvelopeHeaders) throws(EventDecodingError) -> Int64 {
        try positiveInteger(record, h.aggregateVersion, EventHeader.aggregateVersion)
    }

    /// The whole event, with older schema versions upcast to the current one.
    public static func decode(_ record: some EventRecordBytes) throws(EventDecodingError) -> RecordedEvent {
        guard let orderId = record.keyString else { throw .missingHeader("key") }
        return try decode(record, orderId: orderId, EnvelopeHeaders(record))
    }

    /// `decode(_:)` for a caller that has read the key and found the headers already (the fold
    /// rule). Header values are parsed or compared in place, as bytes (only the command id and
    /// the trace context become strings): the fold of a taken-over partition reads these for
    /// every record.
    static func decode(_ record: some EventRecordBytes, orderId: String, _ h: EnvelopeHeaders) throws(EventDecodingError) -> RecordedEvent {
        guard let typeIndex = h.eventType else { throw .missingHeader(EventHeader.eventType) }
        var type: EventType?
        _ = record.withHeaderValue(at: typeIndex) { type = EventType(utf8: $0) }
        guard let type else { throw .unknownEventType(try text(record, typeIndex, EventHeader.eventType)) }
        let schemaVersion = Int(try positiveInteger(record, h.schemaVersion, EventHeader.schemaVersion))
        if schemaVersion > type.currentSchemaVersion {
            throw .newerSchemaVersion(type, found: schemaVersion, newestKnown: type.currentSchemaVersion)
        }
        if let index = h.contentType {
            var isJSON = true
            _ = record.withHeaderValue(at: index) { isJSON = jsonContentType.equals($0) }
            // A content type that is not UTF-8 is not named, and not refused.
            if !isJSON, let contentType = record.headerText(at: index) { throw .unsupportedContentType(contentType) }
        }
        guard let idIndex = h.eventId else { throw .missingHeader(EventHeader.eventId) }
        var eventId: UUID?
        _ = record.withHeaderValue(at: idIndex) { eventId = UUID(canonical: $0) }
        guard let eventId else {
            throw .malformedHeader(name: EventHeader.eventId, value: try text(record, idIndex, EventHeader.eventId))
        }
        let commandId = try text(record, h.commandId, EventHeader.commandId)
        guard let timeIndex = h.occurredAt else { throw .missingHeader(EventHeader.occurredAt) }
        var occurredAt: Timestamp?
        _ = record.withHeaderValue(at: timeIndex) { occurredAt = Timestamp(rfc3339: $0) }
        guard let occurredAt else {
            throw .malformedHeader(name: EventHeader.occurredAt, value: try text(record, timeIndex, EventHeader.occurredAt))
        }
        let aggregateVersion = try aggregateVersion(of: record, h)
        let traceparent = h.traceparent.flatMap { record.headerText(at: $0) }  // a closure: `record.headerText(at:)` would copy the record
        let actor = h.actor.flatMap { record.headerText(at: $0) }
        let envelope = EventEnvelope(
            eventId: eventId, orderId: orderId, aggregateVersion: aggregateVersion, eventType: type,
            schemaVersion: schemaVersion, commandId: commandId, occurredAt: occurredAt, traceparent: traceparent, actor: actor)
        // A null value is read as an empty body (and is malformed, as JSON).
        var event: Result<OrderEvent, EventDecodingError>!
        let read = { (bytes: UnsafeBufferPointer<UInt8>) in
            event = Result { () throws(EventDecodingError) in try decodeBody(bytes, type: type, schemaVersion: schemaVersion) }
        }
        if !record.withValue(read) { read(UnsafeBufferPointer(start: nil, count: 0)) }
        return RecordedEvent(envelope: envelope, event: try event.get())
    }

    /// A header's value as text; absent, null or not UTF-8 counts as missing, for every header.
    private static func text(_ record: some EventRecordBytes, _ index: Int?, _ name: String) throws(EventDecodingError) -> String {
        guard let index, let text = record.headerText(at: index) else { throw .missingHeader(name) }
        return text
    }

    /// A header holding an integer ≥ 1 (`Int64(text)`'s syntax). Plain digits are read as bytes;
    /// anything else (a sign, too many digits, garbage) takes the text path, which gives the
    /// same value or names the text in its error.
    private static func positiveInteger(_ record: some EventRecordBytes, _ index: Int?, _ name: String) throws(EventDecodingError) -> Int64 {
        guard let index else { throw .missingHeader(name) }
        var value: Int64?
        _ = record.withHeaderValue(at: index) { value = plainDecimal($0) }
        if let value, value >= 1 { return value }
        let text = try text(record, index, name)
        guard let value = Int64(text), value >= 1 else { throw .malformedHeader(name: name, value: text) }
        return value
    }

    /// 1 to 18 ASCII digits (no overflow possible), or nil.
    private static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard (1...18).contains(bytes.count) else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    /// A body written at `schemaVersion` (≤ current), as the current version's event.
    public static func decodeBody(_ bytes: [UInt8], type: EventType, schemaVersion: Int) throws(EventDecodingError) -> OrderEvent {
        try bytes.withUnsafeBufferPointer { buffer throws(EventDecodingError) in
            try decodeBody(buffer, type: type, schemaVersion: schemaVersion)
        }
    }

    /// The same, from bytes lent by the record.
    public static func decodeBody(_ bytes: UnsafeBufferPointer<UInt8>, type: EventType, schemaVersion: Int) throws(EventDecodingError) -> OrderEvent {
        if let event = PlainBodyDecoder.decode(bytes, type: type, schemaVersion: schemaVersion) { return event }
        let data = Data(buffer: bytes)
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
}

/// Where the envelope's headers are, found in one pass over the record's header names: the
/// first header of each name counts (a null value: missing). Their values are read in place.
struct EnvelopeHeaders {
    var eventType, eventId, schemaVersion, aggregateVersion, commandId, occurredAt, contentType, traceparent, actor: Int?

    init(_ record: some EventRecordBytes) {
        for index in 0..<record.headerCount {
            func keep(_ slot: inout Int?, _ expected: String) {
                if slot == nil, record.headerName(at: index, is: expected) { slot = index }
            }
            // By length first: a failed comparison of two strings is not free, and each name
            // would otherwise be compared with most of the others.
            switch record.headerNameLength(at: index) {
            case 5: keep(&actor, EventHeader.actor)
            case 8: keep(&eventId, EventHeader.eventId)
            case 10: keep(&eventType, EventHeader.eventType); keep(&commandId, EventHeader.commandId)
            case 11: keep(&occurredAt, EventHeader.occurredAt); keep(&traceparent, EventHeader.traceparent)
            case 12: keep(&contentType, EventHeader.contentType)
            case 14: keep(&schemaVersion, EventHeader.schemaVersion)
            case 17: keep(&aggregateVersion, EventHeader.aggregateVersion)
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
