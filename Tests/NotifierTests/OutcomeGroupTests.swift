import Events
import Testing

@testable import Notifier

/// Which outcomes share one ledger statement: as if they were written one by one.
@Suite struct OutcomeGroupTests {
    func delivery(_ eventId: String, round: Int64 = 0) -> PendingDelivery {
        PendingDelivery(
            key: .init(eventId: eventId, sink: "log"), partition: 0, offset: 0, orderId: "o-\(eventId)", version: 1, round: round,
            attempts: 0,
            notification: Notifier.Notification(
                eventId: eventId, orderId: "o-\(eventId)", customerId: "c", kind: "order-placed", version: 1, position: "0:0",
                occurredAt: "", subject: "", text: ""),
            body: [], record: EventRecord(key: nil, value: nil, headers: []))
    }

    @Test func outcomesWithTheSameValuesShareAStatementAndASecondOutcomeOfADeliveryComesAfter() {
        let groups = OutcomeGroup.grouping([
            (delivery("a"), .delivered(attempts: 1)), (delivery("b"), .delivered(attempts: 1)),
            (delivery("a", round: 1), .delivered(attempts: 1)), (delivery("c"), .retrying(attempts: 1, error: "503")),
            (delivery("a"), .retrying(attempts: 2, error: "late")), (delivery("d"), .delivered(attempts: 1)),
        ])
        #expect(groups.map(\.eventIds) == [["a", "b"], ["a"], ["c"], ["a"], ["d"]])
        #expect(groups.map(\.values.status) == [.delivered, .delivered, .pending, .pending, .delivered])
        #expect(groups.map(\.values.round) == [0, 1, 0, 0, 0])
    }
}
