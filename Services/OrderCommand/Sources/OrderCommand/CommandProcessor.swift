import KafkaEvents
import Events
import Foundation
import KafkaWire
import Logging

/// Runs commands against the partitions this instance owns: decides them on the partition's
/// ledger, appends their events (pipelined through the idempotent producer), and answers once
/// the read-back loop has folded the event. One actor for every owned partition; the ledgers
/// are values inside it and are mutated in place.
public actor CommandProcessor {
    struct Slot {
        var ledger: PartitionLedger
        /// The high watermark at assignment: the partition serves once folded up to it.
        var target: Int64
        var serving: Bool
        /// False between assignment and the seek to the beginning: records fetched from an
        /// older position are ignored (the seek fetches them again in order).
        var folding = false
    }

    public let topic: String
    public let partitionCount: Int32
    let producer: KafkaProducer
    let rules: OrderRules
    let idempotencyWindow: Duration
    let commandDeadline: Duration
    let metrics: CommandMetrics
    let logger: Logger
    let wallClock: @Sendable () -> Timestamp
    let partitionOf: @Sendable (String) -> Int32

    private var slots: [Int32: Slot] = [:]
    private var eventIds = RandomUUIDs()
    public private(set) var ownerMap = OwnerMap()
    /// True once the group has assigned this member at least once (possibly nothing).
    public private(set) var hasJoined = false
    /// Who waits for which event, until when (see `CommandWaits`).
    private var waits = CommandWaits<CheckedContinuation<WaitEnd, Never>>()
    /// Expires waits past their deadline (one timer for all, not one per command).
    private var sweeper: Task<Void, Never>?

    public init(
        topic: String, partitionCount: Int32, producer: KafkaProducer, rules: OrderRules, idempotencyWindow: Duration,
        commandDeadline: Duration, metrics: CommandMetrics, logger: Logger,
        wallClock: @escaping @Sendable () -> Timestamp = { Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) }
    ) {
        self.topic = topic
        self.partitionCount = partitionCount
        self.producer = producer
        self.rules = rules
        self.idempotencyWindow = idempotencyWindow
        self.commandDeadline = commandDeadline
        self.metrics = metrics
        self.logger = logger
        self.wallClock = wallClock
        self.partitionOf = KafkaPartitioner.partitioner(partitionCount: Int(partitionCount))
    }

    // MARK: Commands

    public func execute(_ request: CommandRequest) async -> CommandResult {
        let partition = partitionOf(request.orderId)
        let deadline = ContinuousClock.now + commandDeadline
        while true {
            // Read scalars only: a copy of the slot alive across a mutation would copy the ledger.
            guard slots[partition] != nil else {
                return .notOwner(partition: partition, owner: ownerMap.owner(of: partition))
            }
            if let stopped = slots[partition]!.ledger.stopped {
                return .unavailable(.partitionStopped(partition: partition, offset: stopped.offset, error: stopped.error))
            }
            guard slots[partition]!.serving else {
                return .unavailable(.partitionFolding(partition: partition, offset: slots[partition]!.ledger.nextOffset, target: slots[partition]!.target))
            }
            let eventId = eventIds.next()
            let started = ContinuousClock.now
            switch slots[partition]!.ledger.submit(request, now: wallClock(), eventId: eventId) {
            case .answered(let answer):
                return .accepted(answer)
            case .refused(let refusal):
                return .refused(refusal)
            case .busy(let other):
                let ownRetry = slots[partition]?.ledger.inFlightCommand(of: other) == request.commandId
                switch await wait(for: other, until: deadline) {
                case .deadline:
                    return ownRetry ? .outcomeUnknown(.firstAttemptUnconfirmed) : .unavailable(.orderBusy(orderId: request.orderId))
                case .partitionGone:
                    return ownRetry
                        ? .outcomeUnknown(.partitionRevokedWhileRetrying(partition: partition))
                        : .unavailable(.partitionRevoked(partition: partition))
                case .resolved, .abandoned:
                    continue  // decide again against the state read back (a retry then finds its answer)
                }
            case .append(let event):
                let record = ProducerRecord(EventCodec.encode(event), topic: topic, partition: partition)
                let handle: DeliveryHandle
                waits.appending(eventId)
                do {
                    // A suspension: the actor may fold (even this event) meanwhile; `waits` keeps its end.
                    handle = try await producer.enqueue(record)
                } catch {
                    // Not accepted by the producer: nothing can be in the log.
                    waits.appendFailed(eventId)
                    slots[partition]?.ledger.abandon(eventId)
                    resume(eventId, with: .abandoned)
                    return .unavailable(.appendRefused(error: "\(error)"))
                }
                watchDelivery(handle, eventId: eventId, partition: partition, attempt: 1)
                let end = await wait(for: eventId, until: deadline, appended: true)
                metrics.appendLatency.record(ContinuousClock.now - started)
                switch end {
                case .resolved(.inEffect(let answer)):
                    return .accepted(answer)
                case .resolved(.writeConflict(let reason)):
                    return .writeConflict(reason)
                case .deadline:
                    // The event stays in flight until it is read back: a retry waits for it
                    // rather than deciding the command again (it may land any time yet).
                    return .outcomeUnknown(.noReadBack(deadline: commandDeadline))
                case .partitionGone:
                    return .outcomeUnknown(.partitionRevoked(partition: partition))
                case .abandoned:
                    return .outcomeUnknown(.abandoned)
                }
            }
        }
    }

    private func watchDelivery(_ handle: DeliveryHandle, eventId: UUID, partition: Int32, attempt: Int) {
        // The read-back answers; this only notices a failed delivery. A callback, not a task
        // per command: a success (nearly every append) costs no hop.
        handle.onDelivery { [weak self] result in
            guard case .failure(let error) = result, let self else { return }
            Task { await self.deliveryFailed(eventId, partition: partition, attempt: attempt, error: error) }
        }
    }

    /// A failed delivery leaves the event's outcome unknown: the broker may have written it
    /// (a timeout after the request was sent, a cut connection, an acks=all append stalled
    /// while a replica leaves the ISR), and it may still become readable. So the event stays
    /// in flight and the same event (same id, version and command id) is appended again until
    /// a copy is read back: the first copy in the log decides, as the fold rule says, and any
    /// later copy is void. Only the read-back (or losing the partition) ends the wait.
    private func deliveryFailed(_ eventId: UUID, partition: Int32, attempt first: Int, error firstError: any Error) async {
        var attempt = first, error = firstError
        // Until a copy is read back, or the partition is gone (revoked: its next owner folds the log).
        while slots[partition]?.ledger.inFlightEvent(eventId) != nil {
            let delay = Self.reappendDelay(attempt: attempt)
            logger.warning("Append failed; its outcome is unknown, so the event is appended again", metadata: [
                "event.id": "\(eventId)", "kafka.partition": "\(partition)", "attempt": "\(attempt)", "retry_in": "\(delay)", "error": "\(error)",
            ])
            metrics.reappended()
            try? await Task.sleep(for: delay)
            guard let event = slots[partition]?.ledger.inFlightEvent(eventId) else { return }
            do {
                let handle = try await producer.enqueue(ProducerRecord(EventCodec.encode(event), topic: topic, partition: partition))
                watchDelivery(handle, eventId: eventId, partition: partition, attempt: attempt + 1)
                return
            } catch let refused {
                // Not taken (the producer is full or closing): the earlier copies' outcome is
                // still unknown, so try again later.
                error = refused
                attempt += 1
            }
        }
    }

    /// 100 ms, doubling up to 5 s: a broker that lost a replica stalls for seconds, not minutes.
    static func reappendDelay(attempt: Int) -> Duration {
        .milliseconds(min(5_000, 100 << min(max(attempt - 1, 0), 6)))
    }

    // MARK: Waiting

    /// Waits for `eventId` to end; `appended` when this command appended it (an end that came
    /// while it was inside `enqueue` is then its answer).
    private func wait(for eventId: UUID, until deadline: ContinuousClock.Instant, appended: Bool = false) async -> WaitEnd {
        await withCheckedContinuation { continuation in
            let action = appended
                ? waits.waitForAppended(continuation, eventId: eventId, until: deadline)
                : waits.wait(continuation, for: eventId, until: deadline)
            switch action {
            case .resume(let end):
                continuation.resume(returning: end)
            case .suspend:
                startSweeperIfNeeded()
            }
        }
    }

    /// Expires waits past their deadline, checking ten times a second while any wait (a
    /// deadline is answered at most 100 ms late; commands are answered by read-back, not by it).
    private func startSweeperIfNeeded() {
        guard sweeper == nil else { return }
        sweeper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                guard let self, await self.expireWaits() else { return }
            }
        }
    }

    /// Returns false (and lets the sweeper end) when nothing waits any more.
    private func expireWaits() -> Bool {
        for continuation in waits.expire(now: .now) { continuation.resume(returning: .deadline) }
        if waits.isEmpty {
            sweeper = nil
            return false
        }
        return true
    }

    private func resume(_ eventId: UUID, with end: WaitEnd) {
        for continuation in waits.end(eventId, with: end) { continuation.resume(returning: end) }
    }

    // MARK: Reading back

    /// Folds every record the consumer reads back, until it stops. The loop runs on this
    /// actor (the iterator's `next(isolation:)` hands out buffered records without a hop), and
    /// lets queued commands in every few hundred records.
    public func readBack(_ messages: KafkaConsumerMessages) async throws {
        var sinceYield = 0
        for try await record in messages {
            fold(record)
            sinceYield += 1
            if sinceYield == 256 {
                sinceYield = 0
                updateGauges()
                await Task.yield()
            }
        }
    }

    /// Folds one record read back from an owned partition.
    private func fold(_ record: ConsumerRecord) {
        let partition = record.partition
        let now = wallClock()
        // The record's bytes are read where the consumer fetched them (`EventRecordBytes`).
        let folded = withSlot(partition) { slot -> (PartitionLedger.FoldOutcome, (UUID, PartitionLedger.Resolution)?, caughtUp: Bool)? in
            guard slot.folding, slot.ledger.stopped == nil, record.offset >= slot.ledger.nextOffset else { return nil }
            let (outcome, resolution) = slot.ledger.fold(record, offset: record.offset, now: now)
            return (outcome, resolution, !slot.serving && slot.ledger.nextOffset >= slot.target)
        }
        guard let (outcome, resolution, caughtUp) = folded else { return }
        switch outcome {
        case .inEffect:
            break
        case .void(let reason):
            metrics.voidEvent(reason: reason.kind)
            logger.debug("Void event", metadata: [
                "kafka.partition": "\(partition)", "kafka.offset": "\(record.offset)", "reason": "\(reason)",
            ])
        case .unreadable(let error):
            metrics.unreadableEvent(kind: error.kind)
            logger.error("Partition stopped: an event that would be in effect cannot be read; fix the record or upgrade this service", metadata: [
                "kafka.topic": "\(topic)", "kafka.partition": "\(partition)", "kafka.offset": "\(record.offset)", "error": "\(error)",
            ])
        }
        if let (eventId, outcome) = resolution { resume(eventId, with: .resolved(outcome)) }
        if caughtUp { markServingIfCaughtUp(partition) }
    }

    /// The slot of `partition`, changed in place (nil when the partition is not owned). Reading
    /// fields through `slots[partition]?` copies the whole slot, with its ledger's tables, each
    /// time: a cost the fold paid several times per record.
    private func withSlot<Result>(_ partition: Int32, _ body: (inout Slot) -> Result?) -> Result? {
        guard let index = slots.index(forKey: partition) else { return nil }
        return body(&slots.values[index])
    }

    private func markServingIfCaughtUp(_ partition: Int32) {
        guard withSlot(partition, { $0.serving ? nil : $0.ledger.nextOffset >= $0.target }) == true else { return }
        slots[partition]!.serving = true
        logger.info("Partition folded to its end; serving commands", metadata: [
            "kafka.partition": "\(partition)", "orders": "\(slots[partition]!.ledger.orderCount)",
            "kafka.offset": "\(slots[partition]!.ledger.nextOffset)", "void_events": "\(slots[partition]!.ledger.voidCount)",
        ])
        updateGauges()
    }

    // MARK: Ownership

    /// Takes on partitions, not serving yet (see `startFolding`).
    public func assigned(_ partitions: [Int32]) {
        for partition in partitions where slots[partition] == nil {
            let ledger = PartitionLedger(partition: partition, rules: rules, idempotencyWindow: idempotencyWindow, partitionOf: partitionOf)
            slots[partition] = Slot(ledger: ledger, target: .max, serving: false)
        }
        updateGauges()
    }

    /// Moves the consumer to the beginning of `partitions` (`seek`, synchronous, run inside
    /// this actor so no record of the new position can be folded before) and folds from
    /// there; each serves once folded up to `highWatermarks[p]`, its end as of now.
    public func startFolding(_ partitions: [Int32], highWatermarks: [Int32: Int64], seek: @Sendable (Int32) throws -> Void) {
        for partition in partitions where slots[partition] != nil {
            do {
                try seek(partition)
            } catch {
                logger.warning("Seek to the beginning failed", metadata: ["kafka.partition": "\(partition)", "error": "\(error)"])
            }
            slots[partition]!.target = highWatermarks[partition] ?? 0
            slots[partition]!.ledger.expectFold(to: slots[partition]!.target)
            slots[partition]!.folding = true
            logger.info("Partition assigned; folding it from the beginning", metadata: [
                "kafka.partition": "\(partition)", "kafka.high_watermark": "\(slots[partition]!.target)",
            ])
            markServingIfCaughtUp(partition)
        }
        updateGauges()
    }

    /// Gives up partitions (revoked or lost): commands in flight on them end `outcome-unknown`.
    public func revoked(_ partitions: [Int32]) {
        for partition in partitions {
            guard let slot = slots.removeValue(forKey: partition) else { continue }
            for eventId in slot.ledger.inFlightEventIds { resume(eventId, with: .partitionGone) }
            logger.info("Partition revoked", metadata: ["kafka.partition": "\(partition)", "in_flight": "\(slot.ledger.inFlightCount)"])
        }
        updateGauges()
    }

    /// Marks the member as in the group even when it was assigned nothing (it then forwards every command).
    public func joined() { hasJoined = true }

    public func updateOwnerMap(_ map: OwnerMap) {
        if map != ownerMap {
            logger.info("Owner map", metadata: ["generation": "\(map.generation)", "owners": "\(map.owners.sorted { $0.key < $1.key })"])
        }
        ownerMap = map
    }

    // MARK: Status

    public var partitions: [PartitionStatus] {
        slots.values.map { slot in
            PartitionStatus(
                partition: slot.ledger.partition, nextOffset: slot.ledger.nextOffset, target: slot.folding ? slot.target : -1, serving: slot.serving,
                stopped: slot.ledger.stopped.map { "offset \($0.offset): \($0.error)" }, orders: slot.ledger.orderCount,
                voidEvents: slot.ledger.voidCount, inFlight: slot.ledger.inFlightCount)
        }.sorted { $0.partition < $1.partition }
    }

    /// Ready: in the group, and every owned partition folded to its end and not stopped.
    public var isReady: Bool {
        hasJoined && slots.values.allSatisfy { $0.serving && $0.ledger.stopped == nil }
    }

    private func updateGauges() {
        var lag: Int64 = 0
        var orders = 0
        for slot in slots.values {
            // The target is known once folding starts (it is .max before).
            if slot.folding { lag += max(0, slot.target - slot.ledger.nextOffset) }
            orders += slot.ledger.orderCount
        }
        metrics.foldLagGauge.set(Double(lag))
        metrics.ordersGauge.set(Double(orders))
    }
}
