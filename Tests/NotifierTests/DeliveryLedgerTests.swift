import Events
import Foundation
import Logging
import SQLStore
import Testing

@testable import Notifier

/// The ledger against real databases: a SQLite file always, and PostgreSQL when the test
/// command provides one (ORDERS_TEST_DATABASE_URL; scripts/test always does).
@Suite(.serialized) struct DeliveryLedgerTests {
    static var databases: [String] {
        var kinds = ["sqlite"]
        if ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"] != nil { kinds.append("postgres") }
        return kinds
    }

    static func withLedger(_ kind: String, _ body: (DeliveryLedger) async throws -> Void) async throws {
        let logger = Logger(label: "test")
        let database: any SQLDatabase
        if kind == "sqlite" {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("notifier-\(UUID().uuidString).sqlite").path
            database = try await DatabaseURL("sqlite:\(path)").open(logger: logger)
        } else {
            database = try await DatabaseURL(ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"]!).open(logger: logger)
            try await database.write { db in try await db.query("DROP SCHEMA IF EXISTS notifier CASCADE") }
        }
        let ledger = DeliveryLedger(database: database, logger: logger)
        do {
            try await ledger.migrate()
            try await body(ledger)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    static let sinks = ["log", "webhook:http://127.0.0.1:1/hook"]
    static let templates = try! NotificationTemplates()

    static func fold(_ ledger: DeliveryLedger, _ records: [LoggedRecord], from start: Int64) async throws -> DeliveryLedger.FoldResult {
        try await ledger.fold(records, startOffsets: [0: start], sinks: sinks, partitionOf: { _ in 0 }, templates: templates) { _ in }
    }

    @Test(arguments: databases) func migratingTwiceAtOnceIsSafe(_ kind: String) async throws {
        try await Self.withLedger(kind) { ledger in
            async let a: Void = ledger.migrate()
            async let b: Void = ledger.migrate()
            _ = try await (a, b)
            #expect(try await ledger.claim([0, 1]) { _ in 0 } == [0: 0, 1: 0])
        }
    }

    @Test(arguments: databases) func aBatchIsFoldedOnceAndAZombieIsRefused(_ kind: String) async throws {
        try await Self.withLedger(kind) { ledger in
            _ = try await ledger.claim([0]) { _ in 0 }
            var log = EventLog()
            let order = "o'1; DROP TABLE notifier.events; --"
            log.append(EventLog.place, order: order, version: 1)
            log.append(EventLog.addB, order: order, version: 2)
            log.append(EventLog.confirm, order: order, version: 3)
            let result = try await Self.fold(ledger, log.records, from: 0)
            #expect(result.notifying == 2)
            #expect(result.deliveries.count == 4)
            #expect(try await ledger.foldedOffsets() == [0: 3])
            await #expect(throws: FoldRefusal.offsetMoved(partition: 0, stored: 3, expected: 0)) {
                _ = try await Self.fold(ledger, log.records, from: 0)
            }
            let pending = try await ledger.pending(partitions: [0], sinks: Self.sinks)
            #expect(pending.count == 4)
            #expect(pending.map(\.version) == [1, 1, 3, 3])
            let notifications = try await ledger.notifications(of: order)
            #expect(notifications.map(\.notification.kind) == ["order-placed", "order-confirmed"])
            #expect(notifications.first?.deliveries.map(\.status) == ["pending", "pending"])
        }
    }

    @Test(arguments: databases) func theVersionsSurviveBetweenBatches(_ kind: String) async throws {
        try await Self.withLedger(kind) { ledger in
            _ = try await ledger.claim([0]) { _ in 0 }
            var log = EventLog()
            log.append(EventLog.place, order: "o-1", version: 1)
            _ = try await Self.fold(ledger, log.records, from: 0)
            log.records = []
            log.append(EventLog.confirm, order: "o-1", version: 1)  // void: a duplicate version
            log.append(EventLog.confirm, order: "o-1", version: 2)
            let second = try await Self.fold(ledger, log.records, from: 1)
            #expect(second.voidEvents == ["version-not-next": 1])
            #expect(second.deliveries.map(\.version) == [2, 2])
            #expect(second.deliveries.first?.notification.customerId == "c-1")
        }
    }

    @Test(arguments: databases) func outcomesReplaysAndRedrives(_ kind: String) async throws {
        try await Self.withLedger(kind) { ledger in
            _ = try await ledger.claim([0]) { _ in 0 }
            var log = EventLog()
            log.append(EventLog.place, order: "o-1", version: 1)
            log.append(EventLog.place, order: "o-2", version: 1)
            _ = try await Self.fold(ledger, log.records, from: 0)
            let pending = try await ledger.pending(partitions: [0], sinks: Self.sinks)
            for delivery in pending where delivery.orderId == "o-1" { try await ledger.record([(delivery, .delivered(attempts: 1))]) }
            for delivery in pending where delivery.orderId == "o-2" {
                try await ledger.record([(delivery, .retrying(attempts: 1, error: "503"))])
                try await ledger.record([(delivery, .deadLettered(attempts: 2, error: "gave up"))])
            }
            #expect(try await ledger.pending(partitions: [0], sinks: Self.sinks).isEmpty)
            #expect(try await ledger.deliveryCounts()[0] == [.delivered: 2, .deadLettered: 2])
            let signal = try await ledger.pendingSignal()

            // Nothing was left undelivered: a replay without resend queues nothing.
            #expect(try await ledger.replay(.offsets([0: 0]), resend: false, sinks: Self.sinks) == 0)
            #expect(try await ledger.pendingSignal() == signal)
            // A sink added since gets every event of the range.
            #expect(try await ledger.replay(.fromTimestamp(0), resend: false, sinks: Self.sinks + ["file:/tmp/x"]) == 2)
            #expect(try await ledger.pendingSignal() == signal + 1)
            // The redrive takes the dead-lettered deliveries, in a new round.
            #expect(try await ledger.redrive(sinks: Self.sinks) == 2)
            let redriven = try await ledger.pending(partitions: [0], sinks: Self.sinks)
            #expect(redriven.map(\.orderId) == ["o-2", "o-2"] && redriven.allSatisfy { $0.round == 1 && $0.attempts == 0 })
            // A resend makes the delivered ones again; pending ones stay as they are.
            #expect(try await ledger.replay(.offsets([0: 1]), resend: true, sinks: Self.sinks) == 0)
            #expect(try await ledger.replay(.offsets([0: 0]), resend: true, sinks: Self.sinks) == 2)
            let all = try await ledger.pending(partitions: [0], sinks: Self.sinks)
            #expect(all.count == 4 && all.allSatisfy { $0.round == 1 })
            // An outcome of an older round does not touch the new one.
            let stale = pending.first { $0.orderId == "o-1" }!
            try await ledger.record([(stale, .delivered(attempts: 1))])
            #expect(try await ledger.pending(partitions: [0], sinks: Self.sinks).count == 4)
        }
    }

    @Test(arguments: databases) func aGroupOfMixedOutcomesIsRecordedAsEachWouldBeAlone(_ kind: String) async throws {
        try await Self.withLedger(kind) { ledger in
            _ = try await ledger.claim([0]) { _ in 0 }
            var log = EventLog()
            for order in 1...5 { log.append(EventLog.place, order: "o-\(order)", version: 1) }
            _ = try await Self.fold(ledger, log.records, from: 0)
            let pending = try await ledger.pending(partitions: [0], sinks: Self.sinks)
            #expect(pending.count == 10)
            func of(_ order: String, _ sink: String) -> PendingDelivery {
                pending.first { $0.orderId == order && $0.key.sink == sink }!
            }
            var stale = of("o-5", "log")
            stale.round = 7
            try await ledger.record([
                (of("o-1", "log"), .delivered(attempts: 1)), (of("o-2", "log"), .delivered(attempts: 1)),
                (of("o-1", Self.sinks[1]), .delivered(attempts: 2)), (of("o-2", Self.sinks[1]), .retrying(attempts: 1, error: "503 'x'")),
                (of("o-3", "log"), .retrying(attempts: 1, error: "first")), (of("o-3", "log"), .deadLettered(attempts: 2, error: "gave up")),
                (of("o-4", "log"), .delivered(attempts: 1)), (stale, .delivered(attempts: 1)),
            ])
            let counts = try await ledger.deliveryCounts()[0]
            #expect(counts == [.delivered: 4, .deadLettered: 1, .pending: 5])
            let left = try await ledger.pending(partitions: [0], sinks: Self.sinks)
            #expect(Set(left.map { "\($0.orderId) \($0.key.sink)" }) == [
                "o-2 \(Self.sinks[1])", "o-3 \(Self.sinks[1])", "o-4 \(Self.sinks[1])", "o-5 log", "o-5 \(Self.sinks[1])",
            ])
            #expect(left.first { $0.orderId == "o-2" }?.attempts == 1)
        }
    }

    @Test(arguments: databases) func aDeploymentStartingAtTheEndFoldsTheHistorySilently(_ kind: String) async throws {
        try await Self.withLedger(kind) { ledger in
            #expect(try await ledger.claim([0]) { _ in 2 } == [0: 0])
            var log = EventLog()
            log.append(EventLog.place, order: "o-1", version: 1)
            log.append(EventLog.confirm, order: "o-1", version: 2)
            log.append(EventLog.ship, order: "o-1", version: 3)
            let result = try await Self.fold(ledger, log.records, from: 0)
            #expect(result.deliveries.map(\.version) == [3, 3])
            // A claim again does not move the start.
            #expect(try await ledger.claim([0]) { _ in 0 } == [0: 3])
            // A replay from the beginning delivers what was never delivered.
            #expect(try await ledger.replay(.offsets([0: 0]), resend: false, sinks: Self.sinks) == 4)
        }
    }
}
