@testable import Events
import Foundation
import Testing

@Suite struct CodecTests {
    @Test func headersCarryTheEnvelope() throws {
        let record = EventCodec.encode(recorded(placed, orderId: "o-42", version: 1, commandId: "key-1"))
        #expect(record.keyString == "o-42")
        #expect(record.headers.map(\.name) == EventHeader.all)
        #expect(record.header("event-type") == "OrderPlaced")
        #expect(record.header("event-id") == "00000000-0000-4000-8000-000000000001")
        #expect(record.header("schema-version") == "2")
        #expect(record.header("aggregate-version") == "1")
        #expect(record.header("command-id") == "key-1")
        #expect(record.header("occurred-at") == "2025-11-30T00:00:01.001Z")
        #expect(record.header("content-type") == "application/json")
        #expect(record.header("traceparent") == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(record.header("actor") == "alice")
        #expect(try EventCodec.decode(record).envelope.actor == "alice")
    }

    /// Events written before actors were recorded have no `actor` header: they read as before.
    @Test func withoutAnActorTheHeaderIsAbsentAndReadsAsNone() throws {
        var event = recorded(confirmed, version: 2)
        event.envelope.actor = nil
        let record = EventCodec.encode(event)
        #expect(record.header("actor") == nil)
        #expect(record.headers.map(\.name) == EventHeader.all.filter { $0 != EventHeader.actor })
        #expect(try EventCodec.decode(record) == event)
    }

    @Test func bodiesAreCanonicalJSON() {
        #expect(String(decoding: EventCodec.encodeBody(placed), as: UTF8.self)
            == #"{"currency":"EUR","customerId":"c-1","items":[{"quantity":2,"sku":"SKU-1","unitPrice":1250},{"quantity":1,"sku":"SKU-2","unitPrice":999}]}"#)
        #expect(String(decoding: EventCodec.encodeBody(delivered), as: UTF8.self) == "{}")
        #expect(String(decoding: EventCodec.encodeBody(.shipped(OrderShipped(carrier: "a/b", trackingNumber: "\"x\""))), as: UTF8.self)
            == #"{"carrier":"a/b","trackingNumber":"\"x\""}"#)
    }

    @Test func bodiesWrittenIntoOneReusedArrayAreEachWhole() {
        var bytes = Array("left over".utf8)
        for event in [placed, delivered, confirmed, placed] {
            EventCodec.encodeBody(event, into: &bytes)
            #expect(bytes == EventCodec.encodeBody(event))
        }
    }

    @Test func withoutTraceparentTheHeaderIsAbsent() throws {
        var event = recorded(confirmed, version: 2)
        event.envelope.traceparent = nil
        let record = EventCodec.encode(event)
        #expect(record.header("traceparent") == nil)
        #expect(try EventCodec.decode(record) == event)
    }

    @Test func unknownTypeAndNewerVersionsAreTypedErrors() {
        var record = EventCodec.encode(recorded(placed, version: 1))
        record.headers[0] = .init(EventHeader.eventType, "OrderTeleported")
        #expect(throws: EventDecodingError.unknownEventType("OrderTeleported")) { try EventCodec.decode(record) }

        record = EventCodec.encode(recorded(confirmed, version: 1))
        record.headers[2] = .init(EventHeader.schemaVersion, "2")
        #expect(throws: EventDecodingError.newerSchemaVersion(.orderConfirmed, found: 2, newestKnown: 1)) { try EventCodec.decode(record) }
    }

    @Test func malformedHeadersAreTypedErrors() {
        let good = EventCodec.encode(recorded(placed, version: 1))
        for (name, value) in [("event-id", "nope"), ("occurred-at", "2025-11-30T00:00:01Z"), ("occurred-at", "2025-02-30T00:00:01.000Z"), ("schema-version", "x")] {
            var record = good
            record.headers = record.headers.map { $0.name == name ? .init(name, value) : $0 }
            #expect(throws: EventDecodingError.malformedHeader(name: name, value: value)) { try EventCodec.decode(record) }
        }
        var record = good
        record.headers = record.headers.map { $0.name == "content-type" ? .init("content-type", "application/avro") : $0 }
        #expect(throws: EventDecodingError.unsupportedContentType("application/avro")) { try EventCodec.decode(record) }
    }

    @Test func wrongBodyTypesAreMalformed() {
        var record = EventCodec.encode(recorded(.confirmed(OrderConfirmed(total: 5)), version: 2))
        record.value = Array(#"{"total":"5"}"#.utf8)
        #expect(throws: EventDecodingError.self) { try EventCodec.decode(record) }
        do {
            _ = try EventCodec.decode(record)
        } catch {
            #expect(error.kind == "malformed-body")
            #expect(error.description.contains("total"))
        }
    }

    @Test func timestampsRoundTrip() {
        for ms: Int64 in [0, 1, 999, 86_399_999, 951_782_400_000 /* 2000-02-29 */, 1_764_460_800_123, 253_402_300_799_999] {
            let time = Timestamp(millisecondsSinceEpoch: ms)
            #expect(Timestamp(rfc3339: time.rfc3339) == time, "\(ms) -> \(time.rfc3339)")
        }
        #expect(Timestamp(millisecondsSinceEpoch: 951_782_400_000).rfc3339 == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.000Z")?.millisecondsSinceEpoch == 0)
        #expect(Timestamp(rfc3339: "2023-02-29T00:00:00.000Z") == nil)
        #expect(Timestamp(rfc3339: "2024-13-01T00:00:00.000Z") == nil)
        #expect(Timestamp(rfc3339: "2024-01-01 00:00:00.000Z") == nil)
    }
}

@Suite struct UUIDParsingTests {
    @Test func parsesWhatFoundationParses() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(UUID(canonical: id.uuidString) == id)
            #expect(UUID(canonical: id.uuidString.lowercased()) == id)
        }
    }

    @Test func formatsWhatFoundationFormats() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(id.lowercasedString == id.uuidString.lowercased())
        }
        let edges = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                     UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for id in edges { #expect(id.lowercasedString == id.uuidString.lowercased()) }
        for id in edges + [UUID()] {
            #expect(id.withLowercasedUTF8 { String(decoding: $0, as: UTF8.self) } == id.uuidString.lowercased())
        }
    }

    @Test func parsesExactlyTheCanonicalFormOfDamagedIds() {
        let alphabet = Array("0123456789abcdefABCDEF-gz ")
        for _ in 0..<2_000 {
            var text = Array(UUID().uuidString)
            for _ in 0..<Int.random(in: 1...2) { text[Int.random(in: 0..<36)] = alphabet.randomElement()! }
            let damaged = String(text)
            // Canonical: dashes exactly at 8, 13, 18 and 23, hex digits everywhere else.
            let canonical = text.enumerated().allSatisfy { index, character in
                [8, 13, 18, 23].contains(index) ? character == "-" : character.isHexDigit
            }
            #expect(UUID(canonical: damaged) == (canonical ? UUID(uuidString: damaged) : nil), "\(damaged)")
        }
    }

    @Test func refusesWhatIsNotCanonical() {
        for text in ["", "nope", "00000000-0000-4000-8000-00000000000", "00000000-0000-4000-8000-0000000000000",
                     "00000000000040008000000000000000xxxx", "0000000g-0000-4000-8000-000000000000", "00000000-0000-4000-8000_000000000000"] {
            #expect(UUID(canonical: text) == nil, "\(text)")
        }
    }
}
