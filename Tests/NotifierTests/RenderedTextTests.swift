import Events
import Foundation
import Testing

@testable import Notifier

/// What the fold stores per event, written without Foundation's slow paths: a rendered
/// template split into subject and text, and the record's headers as JSON.
@Suite struct RenderedTextTests {
    @Test func theFirstLineWithTextIsTheSubjectAndTheRestIsTheTrimmedText() {
        let split = NotificationTemplates.subjectAndText("\n  \n\t Your order o-1 \u{00A0}\n\n Hello,\n  second line  \n\n", kind: "k")
        #expect(split.subject == "Your order o-1")
        #expect(split.text == "Hello,\n  second line")
    }

    @Test func aCRLFTemplatesSubjectAndTextHaveNoCarriageReturnAtTheirEnds() {
        let split = NotificationTemplates.subjectAndText("Subject\r\nText\r\n", kind: "k")
        #expect(split.subject == "Subject")
        #expect(split.text == "Text")
    }

    @Test func nothingButWhiteSpaceGivesTheKindAndNoText() {
        #expect(NotificationTemplates.subjectAndText("", kind: "order-placed") == ("order-placed", ""))
        #expect(NotificationTemplates.subjectAndText(" \n\t\n", kind: "order-placed") == ("order-placed", ""))
        #expect(NotificationTemplates.subjectAndText("Only a subject ", kind: "k") == ("Only a subject", ""))
    }

    @Test func itAgreesWithFoundationsTrimmingOnTheDefaultTemplates() throws {
        let templates = try NotificationTemplates()
        let draft = NotificationRules.Draft(
            kind: "order-shipped", template: "order-shipped",
            context: ["orderId": .text("o-7"), "customerId": .text("c \"quoted\""), "carrier": .text("DHL/Express"),
                      "trackingNumber": .text("T\\1")])
        let rendered = templates.library.render(draft.context.mapValues(\.mustacheValue), withTemplate: draft.template) ?? ""
        var lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        let subject = lines.first?.trimmingCharacters(in: .whitespaces) ?? draft.kind
        let text = lines.dropFirst().joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(templates.render(draft) == (subject, text))
    }

    @Test func headersAreJSONPairsThatReadBackAsTheyWere() throws {
        let record = EventRecord(
            key: Array("o-1".utf8), value: Array("{}".utf8),
            headers: [EventRecord.Header("event-type", "OrderPlaced"), EventRecord.Header("odd", "a\"b\\c\n\u{1}é/"),
                      EventRecord.Header("empty", "")])
        let json = RecordJSON.headers(record)
        #expect(json == #"[["event-type","OrderPlaced"],["odd","a\"b\\c\n\u0001é/"],["empty",""]]"#)
        let pairs = try JSONDecoder().decode([[String]].self, from: Data(json.utf8))
        #expect(pairs == [["event-type", "OrderPlaced"], ["odd", "a\"b\\c\n\u{1}é/"], ["empty", ""]])
        #expect(RecordJSON.record(key: "o-1", value: "{}", headers: json).headers == record.headers)
    }

    @Test(arguments: [
        Notifier.Notification(eventId: "e-1", orderId: "o-1", customerId: "c-1", kind: "order-placed", version: 1, position: "0:0",
                     occurredAt: "2026-12-07T10:00:00.000Z", subject: "We received your order o-1", text: "Hello c-1,\n- 2 x SKU-1"),
        Notifier.Notification(eventId: "e/2", orderId: "o \"2\"", customerId: "c\\2\u{1}\u{1F}", kind: "order-shipped", version: -9_223_372_036_854_775_808,
                     position: "5:123456789", occurredAt: "", subject: "é ü 注文 🚚 \u{2028}", text: "\t\r\n\u{8}\u{C} </script>"),
    ])
    func aNotificationsJSONIsWhatJSONEncoderWrites(_ notification: Notifier.Notification) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(NotificationJSON.encode(notification) == String(decoding: try encoder.encode(notification), as: UTF8.self))
        #expect(try NotificationJSON.decode(NotificationJSON.encode(notification)) == notification)
    }
}
