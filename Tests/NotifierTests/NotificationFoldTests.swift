import Foundation
import Events
import Testing

@testable import Notifier

@Suite struct NotificationFoldTests {
    let templates = try! NotificationTemplates()

    func fold(_ log: EventLog, facts: [String: NotificationRules.OrderFacts] = [:], deliverFrom: [Int32: Int64] = [:]) -> NotificationFold {
        var fold = NotificationFold(facts: facts)
        fold.fold(log.records, deliverFrom: deliverFrom, partitionOf: log.partitionOf, render: templates.render)
        return fold
    }

    @Test func aLifecycleNotifiesOnItsMilestonesOnly() {
        var log = EventLog()
        log.append(EventLog.place, order: "o-1", version: 1)
        log.append(EventLog.addB, order: "o-1", version: 2)
        log.append(EventLog.confirm, order: "o-1", version: 3)
        log.append(EventLog.ship, order: "o-1", version: 4)
        log.append(EventLog.deliver, order: "o-1", version: 5)
        let result = fold(log)
        #expect(result.events.map(\.notification.kind) == ["order-placed", "order-confirmed", "order-shipped", "order-delivered"])
        #expect(result.inEffectCount == 5)
        #expect(result.facts["o-1"] == .init(version: 5, customerId: "c-1", currency: "EUR"))
        #expect(result.nextOffsets == [0: 5])
        let shipped = result.events[2].notification
        #expect(shipped.subject == "Your order o-1 is on its way")
        #expect(shipped.text == "Hello c-1, your order o-1 left with DHL; the tracking number is JD0001.")
        #expect(shipped.position == "0:3")
        #expect(result.events[1].notification.text == "Hello c-1, your order o-1 is confirmed; its total is 13.00 EUR.")
    }

    @Test func voidEventsNotifyNobody() {
        var log = EventLog()
        log.append(EventLog.place, order: "o-1", version: 1)
        log.append(EventLog.cancel, order: "o-1", version: 1)  // a second writer's duplicate version
        log.append(EventLog.confirm, order: "o-1", version: 5)  // not the next version
        log.append(EventLog.cancel, order: "o-1", version: 2)
        let result = fold(log)
        #expect(result.events.map(\.version) == [1, 2])
        #expect(result.events.last?.notification.text == "Hello c-1, your order o-1 was cancelled: changed my mind.")
        #expect(result.voidEvents == ["version-not-next": 2])
    }

    @Test func theLedgersVersionsCarryTheFoldAcrossARestart() {
        var log = EventLog()
        log.nextOffset[0] = 40
        log.append(EventLog.confirm, order: "o-1", version: 3)
        log.append(EventLog.confirm, order: "o-2", version: 3)
        let result = fold(log, facts: ["o-1": .init(version: 2, customerId: "c-9", currency: "JPY")])
        #expect(result.events.map(\.orderId) == ["o-1"])
        #expect(result.events.first?.notification.customerId == "c-9")
        #expect(result.events.first?.notification.text == "Hello c-9, your order o-1 is confirmed; its total is 1300 JPY.")
        #expect(result.voidEvents == ["version-not-next": 1])
    }

    @Test func anUnreadableEventIsSetAsideAndItsVersionCounts() {
        var log = EventLog()
        log.append(EventLog.place, order: "o-1", version: 1)
        log.append(EventLog.confirm, order: "o-1", version: 2, body: Array("{not json".utf8))
        log.append(EventLog.ship, order: "o-1", version: 3)
        let result = fold(log)
        #expect(result.unreadable.map(\.record.offset) == [1])
        #expect(result.events.map(\.version) == [1, 3])
        #expect(result.facts["o-1"]?.version == 3)
    }

    @Test func eventsBeforeTheDeliveryStartAreFoldedButNotDelivered() {
        var log = EventLog()
        log.append(EventLog.place, order: "o-1", version: 1)
        log.append(EventLog.confirm, order: "o-1", version: 2)
        let result = fold(log, deliverFrom: [0: 1])
        #expect(result.events.map(\.deliver) == [false, true])
    }

    @Test func aKeyOnTheWrongPartitionIsVoid() {
        var log = EventLog(partitionOf: { _ in 1 })
        log.append(EventLog.place, order: "o-1", version: 1, partition: 0)
        let result = fold(log)
        #expect(result.events.isEmpty)
        #expect(result.voidEvents == ["wrong-partition": 1])
    }
}

@Suite struct NotificationTemplatesTests {
    @Test func thePlacedTemplateListsTheItems() throws {
        var log = EventLog()
        log.append(.placed(OrderPlaced(customerId: "c-2", currency: "USD", items: [
            LineItem(sku: "A", quantity: 2, unitPrice: 150), LineItem(sku: "B<&>", quantity: 1, unitPrice: 1005),
        ])), order: "o-7", version: 1)
        var fold = NotificationFold(facts: [:])
        fold.fold(log.records, deliverFrom: [:], partitionOf: log.partitionOf, render: try NotificationTemplates().render)
        let placed = try #require(fold.events.first?.notification)
        #expect(placed.subject == "We received your order o-7")
        // Plain text: nothing is HTML-escaped.
        #expect(placed.text == """
            Hello c-2, thank you for your order o-7: 3 item(s), 13.05 USD in all.
            - 2 x A at 1.50 USD
            - 1 x B<&> at 10.05 USD
            """)
    }

    @Test func aDirectoryOverridesSomeTemplates() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "Shipped!\n{{carrier}}/{{trackingNumber}} for {{customerId}}\n".write(
            to: directory.appendingPathComponent("order-shipped.mustache"), atomically: true, encoding: .utf8)
        let templates = try NotificationTemplates(directory: directory.path)
        #expect(templates.overridden == ["order-shipped"])
        let draft = NotificationRules.Draft(kind: "order-shipped", template: "order-shipped", context: [
            "carrier": .text("UPS"), "trackingNumber": .text("1Z"), "customerId": .text("c&1"),
        ])
        let rendered = templates.render(draft)
        #expect(rendered.subject == "Shipped!")
        #expect(rendered.text == "UPS/1Z for c&1")
    }

    @Test func aTemplateThatDoesNotParseIsRefusedAtStart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "{{#items}} unclosed".write(to: directory.appendingPathComponent("order-placed.mustache"), atomically: true, encoding: .utf8)
        #expect(throws: NotificationTemplates.LoadError.self) { try NotificationTemplates(directory: directory.path) }
    }

    @Test func moneyFollowsTheCurrencysExponent() {
        #expect(MoneyFormat.format(1305, currency: "EUR") == "13.05")
        #expect(MoneyFormat.format(5, currency: "USD") == "0.05")
        #expect(MoneyFormat.format(1305, currency: "JPY") == "1305")
        #expect(MoneyFormat.format(1305, currency: "KWD") == "1.305")
        #expect(MoneyFormat.format(-250, currency: "EUR") == "-2.50")
    }
}
