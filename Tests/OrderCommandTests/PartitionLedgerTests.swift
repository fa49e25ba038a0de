import Events
import Foundation
import Testing

@testable import OrderCommand

/// The command side's state machine, without I/O: submit, append (simulated as a log array),
/// read back.
@Suite struct PartitionLedgerTests {
    var ledger = PartitionLedger(partition: 0, rules: OrderRules(maxLines: 3), idempotencyWindow: .seconds(3600), partitionOf: { _ in 0 })
    var log: [EventRecord] = []
    var now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    static let place = Command.place(customerId: "c-1", currency: "EUR", items: [LineItem(sku: "A", quantity: 1, unitPrice: 100)])

    func request(_ command: Command, order: String = "o-1", key: String, ifMatch: Int64? = nil) -> CommandRequest {
        CommandRequest(commandId: key, orderId: order, command: command, expectedVersion: ifMatch)
    }

    /// Submits; when the ledger says append, appends to the log. Returns the decision.
    mutating func submit(_ request: CommandRequest) -> PartitionLedger.Decision {
        let decision = ledger.submit(request, now: now, eventId: UUID())
        if case .append(let event) = decision { log.append(EventCodec.encode(event)) }
        return decision
    }

    /// Reads back every record not yet folded; returns what they resolved.
    mutating func readBack() -> [PartitionLedger.Resolution] {
        var resolutions: [PartitionLedger.Resolution] = []
        while ledger.stopped == nil, ledger.nextOffset < log.count {
            let offset = ledger.nextOffset
            if let (_, resolution) = ledger.fold(log[Int(offset)], offset: offset, now: now).1 { resolutions.append(resolution) }
        }
        return resolutions
    }

    func appended(_ decision: PartitionLedger.Decision) -> RecordedEvent? {
        if case .append(let event) = decision { return event }
        return nil
    }

    @Test mutating func aCommandIsAnsweredOnlyWhenReadBack() throws {
        let event = try #require(appended(submit(request(Self.place, key: "k1"))))
        #expect(event.envelope.aggregateVersion == 1)
        #expect(event.envelope.commandId == "k1")
        #expect(ledger.state(of: "o-1").exists == false)  // not in effect until read back
        #expect(readBack() == [.inEffect(CommandAnswer(orderId: "o-1", version: 1, partition: 0, offset: 0, created: true))])
        #expect(ledger.state(of: "o-1").version == 1)
        #expect(ledger.inFlightCount == 0)
    }

    /// A customer's command acts on that customer's orders only: another's order is missing,
    /// before the idempotency key or the order's state says anything; the event names its actor.
    @Test mutating func aCustomersCommandOnAnothersOrderIsNotFoundAndAppendsNothing() throws {
        var place = request(Self.place, key: "k1")
        place.actor = "c-1"
        place.customerScope = "c-1"
        let event = try #require(appended(submit(place)))
        #expect(event.envelope.actor == "c-1")
        _ = readBack()
        for key in ["k1", "k2"] {
            var other = request(.confirm, key: key)
            other.customerScope = "c-2"
            guard case .refused(.rejected(.orderNotFound)) = submit(other) else {
                Issue.record("another customer's order must read as missing (key \(key))")
                return
            }
        }
        var own = request(.confirm, key: "k3")
        own.customerScope = "c-1"
        own.actor = "c-1"
        #expect(appended(submit(own))?.envelope.actor == "c-1")
        #expect(log.count == 2)
    }

    @Test mutating func aRetryGetsTheFirstAnswerAndAppendsNothing() throws {
        _ = submit(request(Self.place, key: "k1"))
        _ = readBack()
        guard case .answered(let answer) = submit(request(Self.place, key: "k1")) else {
            Issue.record("a retry must be answered from the log")
            return
        }
        #expect(answer == CommandAnswer(orderId: "o-1", version: 1, partition: 0, offset: 0, created: true))
        #expect(log.count == 1)
    }

    @Test mutating func theSameKeyForAnotherCommandIsRefused() {
        _ = submit(request(Self.place, key: "k1"))
        _ = readBack()
        guard case .refused(.idempotencyKeyReuse(let orderId)) = submit(request(.confirm, key: "k1")) else {
            Issue.record("expected idempotency-key-reuse")
            return
        }
        #expect(orderId == "o-1")
        guard case .refused(.idempotencyKeyReuse) = submit(request(Self.place, order: "o-2", key: "k1")) else {
            Issue.record("the same command on another order is another command")
            return
        }
        #expect(log.count == 1)
    }

    @Test mutating func oneEventInFlightPerOrderButOrdersArePipelined() throws {
        let first = try #require(appended(submit(request(Self.place, key: "k1"))))
        guard case .busy(let waiting) = submit(request(.confirm, key: "k2")) else {
            Issue.record("a second command on the order must wait for the first")
            return
        }
        #expect(waiting == first.envelope.eventId)
        // A retry of the first while it is in flight waits for it too.
        guard case .busy(first.envelope.eventId) = submit(request(Self.place, key: "k1")) else {
            Issue.record("a retry in flight must wait")
            return
        }
        // Another order of the partition is not held up.
        #expect(appended(submit(request(Self.place, order: "o-2", key: "k3"))) != nil)
        #expect(readBack().count == 2)
        // Now decided against version 1, read back.
        let confirm = try #require(appended(submit(request(.confirm, key: "k2"))))
        #expect(confirm.envelope.aggregateVersion == 2)
        #expect(confirm.event == .confirmed(OrderConfirmed(total: 100)))
    }

    @Test mutating func aForeignEventFirstMakesOursAWriteConflict() throws {
        _ = submit(request(Self.place, key: "k1"))
        _ = readBack()
        let ours = try #require(appended(submit(request(.cancel(reason: "mine"), key: "k2"))))
        // A zombie's event for version 2 lands before ours.
        let foreign = RecordedEvent(event: .confirmed(OrderConfirmed(total: 100)), orderId: "o-1", version: 2, commandId: "zombie", occurredAt: now)
        log.insert(EventCodec.encode(foreign), at: log.count - 1)
        #expect(readBack() == [.writeConflict(.versionNotNext(expected: 3, found: 2))])
        #expect(ledger.state(of: "o-1").status == .confirmed)
        #expect(ledger.inFlightCommand(of: ours.envelope.eventId) == nil)
        // The retry is decided anew, against the state read back.
        #expect(appended(submit(request(.cancel(reason: "mine"), key: "k2")))?.envelope.aggregateVersion == 3)
    }

    @Test mutating func aRetryWhileTheFirstAttemptIsUnreadIsNeverDecidedAgain() throws {
        // The first attempt's append is slow (its deadline passes; the client retries): the
        // event stays in flight, so the retry waits for it instead of appending a second one.
        let first = try #require(appended(submit(request(Self.place, key: "k1"))))
        guard case .busy(let waiting) = submit(request(Self.place, key: "k1")) else {
            Issue.record("a retry of an unread command must wait for it")
            return
        }
        #expect(waiting == first.envelope.eventId)
        #expect(ledger.inFlightCommand(of: waiting) == "k1")
        guard case .busy = submit(request(.confirm, key: "k2")) else {
            Issue.record("another command on the order waits too")
            return
        }
        #expect(readBack() == [.inEffect(CommandAnswer(orderId: "o-1", version: 1, partition: 0, offset: 0, created: true))])
        guard case .answered(let answer) = submit(request(Self.place, key: "k1")) else {
            Issue.record("the retry is answered from the log once the first attempt is read back")
            return
        }
        #expect(answer.offset == 0)
        #expect(log.count == 1)
    }

    @Test mutating func aVoidReadBackOfACommandAlreadyInEffectAnswersThatEvent() throws {
        // The first attempt was decided elsewhere (another instance, or this one before a
        // restart) and is still on its way to the log when the retry is decided here anew.
        var elsewhere = PartitionLedger(partition: 0, rules: OrderRules(maxLines: 3), idempotencyWindow: .seconds(3600), partitionOf: { _ in 0 })
        guard case .append(let firstAttempt) = elsewhere.submit(request(Self.place, key: "k1"), now: now, eventId: UUID()) else {
            Issue.record("the first attempt appends")
            return
        }
        let retry = try #require(appended(submit(request(Self.place, key: "k1"))))
        #expect(retry.envelope.aggregateVersion == 1)
        log.insert(EventCodec.encode(firstAttempt), at: 0)  // ... and lands first
        // The retry's event is void, but its command is in effect: that is its answer.
        #expect(readBack() == [.inEffect(CommandAnswer(orderId: "o-1", version: 1, partition: 0, offset: 0, created: true))])
        #expect(ledger.inFlightCount == 0)
        #expect(ledger.voidCount == 1)
    }

    @Test mutating func aVoidReadBackIsAConflictWhenTheKeyInEffectIsAnotherCommand() throws {
        var elsewhere = PartitionLedger(partition: 0, rules: OrderRules(maxLines: 3), idempotencyWindow: .seconds(3600), partitionOf: { _ in 0 })
        let otherPlace = Command.place(customerId: "c-2", currency: "EUR", items: [LineItem(sku: "B", quantity: 2, unitPrice: 50)])
        guard case .append(let foreign) = elsewhere.submit(request(otherPlace, key: "k1"), now: now, eventId: UUID()) else {
            Issue.record("the foreign attempt appends")
            return
        }
        _ = try #require(appended(submit(request(Self.place, key: "k1"))))
        log.insert(EventCodec.encode(foreign), at: 0)
        #expect(readBack() == [.writeConflict(.versionNotNext(expected: 2, found: 1))])
    }

    @Test mutating func ifMatchMustNameTheCurrentVersion() {
        _ = submit(request(Self.place, key: "k1"))
        _ = readBack()
        guard case .refused(.versionConflict(expected: 5, current: 1)) = submit(request(.confirm, key: "k2", ifMatch: 5)) else {
            Issue.record("expected a version conflict")
            return
        }
        #expect(appended(submit(request(.confirm, key: "k3", ifMatch: 1))) != nil)
    }

    @Test mutating func rejectionsAppendNothing() {
        guard case .refused(.rejected(.orderNotFound)) = submit(request(.confirm, key: "k1")) else {
            Issue.record("expected order-not-found")
            return
        }
        _ = submit(request(.place(customerId: "c", currency: "EUR", items: []), key: "k2"))
        _ = readBack()
        guard case .refused(.rejected(.ruleViolated(.noItems, _))) = submit(request(.confirm, key: "k3")) else {
            Issue.record("expected no-items")
            return
        }
        #expect(log.count == 1)
        #expect(ledger.inFlightCount == 0)
    }

    @Test mutating func anAbandonedEventThatLandsLaterIsRemembered() throws {
        let event = try #require(appended(submit(request(Self.place, key: "k1"))))
        ledger.abandon(event.envelope.eventId)  // its deadline passed: the client got outcome-unknown
        #expect(readBack() == [])  // nobody waits any more, but the fold still sees it
        #expect(ledger.state(of: "o-1").version == 1)
        guard case .answered(let answer) = submit(request(Self.place, key: "k1")) else {
            Issue.record("the retry finds the first attempt in effect")
            return
        }
        #expect(answer.offset == 0)
    }

    @Test mutating func idempotencySurvivesARestart() {
        _ = submit(request(Self.place, key: "k1"))
        _ = submit(request(Self.place, order: "o-2", key: "k2"))
        _ = readBack()
        // A new instance folds the same log from the beginning.
        ledger = PartitionLedger(partition: 0, rules: OrderRules(maxLines: 3), idempotencyWindow: .seconds(3600), partitionOf: { _ in 0 })
        _ = readBack()
        guard case .answered(let answer) = submit(request(Self.place, order: "o-2", key: "k2")) else {
            Issue.record("a retry after a restart must be answered from the log")
            return
        }
        #expect(answer.offset == 1)
        #expect(log.count == 2)
    }

    @Test mutating func keysAreForgottenAfterTheWindow() {
        _ = submit(request(Self.place, key: "k1"))
        _ = readBack()
        now = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + 3_600_001)
        _ = submit(request(Self.place, order: "o-2", key: "k2"))
        _ = readBack()  // folding prunes by the event's clock
        #expect(ledger.rememberedCommands == 1)
        guard case .refused(.rejected(.ruleViolated(.orderAlreadyExists, _))) = submit(request(Self.place, key: "k1")) else {
            Issue.record("a key past the window is decided anew")
            return
        }
    }

    @Test mutating func aFoldOfAnOldLogRemembersNothingAndLaterCommandsAreRemembered() {
        // Two commands, then an instance takes the partition over a window later.
        _ = submit(request(Self.place, key: "k1"))
        _ = submit(request(Self.place, order: "o-2", key: "k2"))
        now = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + 3_600_001)
        ledger = PartitionLedger(partition: 0, rules: OrderRules(maxLines: 3), idempotencyWindow: .seconds(3600), partitionOf: { _ in 0 })
        // The high watermark read at assignment can be behind records appended meanwhile.
        ledger.expectFold(to: 1)
        _ = readBack()
        #expect(ledger.orderCount == 2)
        #expect(ledger.rememberedCommands == 0)  // both outside the window: not recorded at all
        // A command after the fold's end (its offset is past the target) is remembered.
        _ = submit(request(.confirm, key: "k3"))
        _ = readBack()
        #expect(ledger.rememberedCommands == 1)
        guard case .answered(let answer) = submit(request(.confirm, key: "k3")) else {
            Issue.record("a retry of a command after the fold must be answered from the log")
            return
        }
        #expect(answer.offset == 2)
    }

    @Test mutating func aFoldWithinTheWindowAnswersRetries() {
        for n in 1...50 { _ = submit(request(Self.place, order: "o-\(n)", key: "k\(n)")) }
        ledger = PartitionLedger(partition: 0, rules: OrderRules(maxLines: 3), idempotencyWindow: .seconds(3600), partitionOf: { _ in 0 })
        ledger.expectFold(to: Int64(log.count))
        _ = readBack()
        #expect(ledger.rememberedCommands == 50)
        for n in [1, 25, 50] {
            guard case .answered(let answer) = submit(request(Self.place, order: "o-\(n)", key: "k\(n)")) else {
                Issue.record("k\(n): a retry must be answered from the log")
                continue
            }
            #expect(answer.offset == Int64(n - 1))
        }
        #expect(log.count == 50)
    }

    @Test mutating func aCommandIdInEffectTwiceKeepsItsFirstAnswerAfterAFold() {
        _ = submit(request(Self.place, key: "k1"))
        // A foreign writer's event, in effect, under the same command id (another order).
        log.append(EventCodec.encode(RecordedEvent(
            event: .placed(OrderPlaced(customerId: "c-9", currency: "EUR", items: [LineItem(sku: "B", quantity: 1, unitPrice: 5)])),
            orderId: "o-9", version: 1, commandId: "k1", occurredAt: now)))
        for n in 2...20 { log.append(EventCodec.encode(RecordedEvent(event: .confirmed(OrderConfirmed(total: 1)), orderId: "o-x\(n)", version: 1, commandId: "k\(n)", occurredAt: now))) }
        ledger = PartitionLedger(partition: 0, rules: OrderRules(maxLines: 3), idempotencyWindow: .seconds(3600), partitionOf: { _ in 0 })
        ledger.expectFold(to: Int64(log.count))
        _ = readBack()
        guard case .answered(let answer) = submit(request(Self.place, key: "k1")) else {
            Issue.record("the retry must get the first answer")
            return
        }
        #expect(answer.offset == 0 && answer.orderId == "o-1")
        #expect(ledger.rememberedCommands == 20)
    }

    @Test mutating func aCommandDuringAnUnfinishedFoldSeesTheCommandsFoldedSoFar() {
        for n in 1...10 { _ = submit(request(Self.place, order: "o-\(n)", key: "k\(n)")) }
        ledger = PartitionLedger(partition: 0, rules: OrderRules(maxLines: 3), idempotencyWindow: .seconds(3600), partitionOf: { _ in 0 })
        ledger.expectFold(to: 1_000)  // more than the log holds: the fold never reaches its end here
        _ = readBack()
        guard case .answered(let answer) = submit(request(Self.place, order: "o-7", key: "k7")) else {
            Issue.record("k7 must be answered from the log")
            return
        }
        #expect(answer.offset == 6)
    }

    @Test mutating func anUnreadableEventStopsThePartition() {
        var record = EventCodec.encode(RecordedEvent(event: .confirmed(OrderConfirmed(total: 1)), orderId: "o-1", version: 1, commandId: "x", occurredAt: now))
        record.headers = record.headers.map { $0.name == EventHeader.schemaVersion ? .init(EventHeader.schemaVersion, "9") : $0 }
        log.append(record)
        _ = readBack()
        #expect(ledger.stopped?.offset == 0)
        #expect(ledger.nextOffset == 0)
    }
}
