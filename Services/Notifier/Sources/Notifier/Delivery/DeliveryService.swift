import Logging
import NIOConcurrencyHelpers

/// Makes the deliveries of the partitions this instance owns: `concurrency` workers take
/// them from the scheduler, deliver to the sink, publish to `orders.notifications`, and
/// record the outcome in the ledger before taking the next (so a crash repeats at most
/// `concurrency` deliveries). Failures are retried with backoff; after the retry budget, or
/// at once for a final failure, the event goes to the dead-letter topic.
final class DeliveryService: Sendable {
    let scheduler = DeliveryScheduler()
    let sinks: [String: any NotificationSink]
    let sinkNames: [String]
    let ledger: DeliveryLedger
    let publisher: NotificationPublisher
    let policy: RetryPolicy
    let concurrency: Int
    let metrics: NotifierMetrics
    let logger: Logger
    private let owned = NIOLockedValueBox<Set<Int32>>([])
    private let outcomes: OutcomeRecorder

    init(
        sinks: [any NotificationSink], ledger: DeliveryLedger, publisher: NotificationPublisher, policy: RetryPolicy,
        concurrency: Int, metrics: NotifierMetrics, logger: Logger
    ) {
        self.sinks = Dictionary(uniqueKeysWithValues: sinks.map { ($0.name, $0) })
        self.sinkNames = sinks.map(\.name)
        self.ledger = ledger
        self.outcomes = OutcomeRecorder(ledger: ledger)
        self.publisher = publisher
        self.policy = policy
        self.concurrency = concurrency
        self.metrics = metrics
        self.logger = logger
        metrics.registerSinks(sinkNames)
    }

    var ownedPartitions: Set<Int32> { owned.withLockedValue { $0 } }

    /// Runs the workers and the sweep until `stop()`.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask { await self.work() }
            }
            group.addTask { await self.sweep() }
            await group.waitForAll()
        }
    }

    func stop() async { await scheduler.stop() }

    // MARK: Ownership

    /// Takes partitions: their pending deliveries (from before a restart or a rebalance) are queued.
    func take(_ partitions: [Int32]) async throws {
        owned.withLockedValue { $0.formUnion(partitions) }
        let pending = try await ledger.pending(partitions: partitions, sinks: sinkNames)
        if !pending.isEmpty {
            logger.info("Resuming pending deliveries", metadata: ["kafka.partitions": "\(partitions.sorted())", "deliveries": "\(pending.count)"])
        }
        await scheduler.add(pending)
    }

    func release(_ partitions: [Int32]) async {
        owned.withLockedValue { $0.subtract(partitions) }
        await scheduler.drop(partitions: Set(partitions))
    }

    /// New deliveries from the fold, for partitions still owned.
    func add(_ deliveries: [PendingDelivery]) async {
        let owned = ownedPartitions
        await scheduler.add(deliveries.filter { owned.contains($0.partition) })
    }

    // MARK: Workers

    private func work() async {
        while let delivery = await scheduler.next() {
            await attempt(delivery)
        }
    }

    private func attempt(_ delivery: PendingDelivery) async {
        guard let sink = sinks[delivery.key.sink] else {
            await scheduler.done(delivery)
            return
        }
        let attempts = delivery.attempts + 1
        let body = delivery.body
        let started = ContinuousClock.now
        do {
            try await sink.deliver(delivery.notification, body: body, idempotencyKey: Self.idempotencyKey(delivery))
            metrics.attempted(ContinuousClock.now - started)
        } catch {
            metrics.attempted(ContinuousClock.now - started)
            await failed(delivery, attempts: attempts, failure: error)
            return
        }
        do {
            try await publisher.published(delivery.notification, sink: sink.name, body: body)
        } catch {
            // Delivered all the same: the topic is a record of deliveries, not a condition for them.
            logger.error("Could not publish a delivered notification", metadata: [
                "event.id": "\(delivery.key.eventId)", "sink": "\(sink.name)", "error": "\(error)",
            ])
        }
        await recordStubbornly(delivery) { try await self.outcomes.record(delivery, .delivered(attempts: attempts)) }
        metrics.delivered(sink.name)
        await scheduler.done(delivery)
    }

    /// The event id; a later round (a resend or a redrive asked for on purpose) gets its own
    /// key, `<event id>.r<round>`, so a receiver that drops duplicates by key still takes it.
    static func idempotencyKey(_ delivery: PendingDelivery) -> String {
        delivery.round == 0 ? delivery.key.eventId : "\(delivery.key.eventId).r\(delivery.round)"
    }

    private func failed(_ attempted: PendingDelivery, attempts: Int64, failure: DeliveryFailure) async {
        var updated = attempted
        updated.attempts = attempts
        let delivery = updated
        if failure.retryable, attempts < Int64(policy.maxAttempts) {
            let delay = policy.delay(afterAttempt: Int(attempts), retryAfter: failure.retryAfter, random: Double.random(in: 0..<1))
            logger.notice("Delivery failed; retrying", metadata: [
                "event.id": "\(delivery.key.eventId)", "order.id": "\(delivery.orderId)", "sink": "\(delivery.key.sink)",
                "attempt": "\(attempts)", "retry_in_ms": "\(delay.wholeMillisecondsForTimeout)", "error": "\(failure.reason)",
            ])
            await recordStubbornly(delivery) { try await self.outcomes.record(delivery, .retrying(attempts: attempts, error: failure.reason)) }
            metrics.retried(delivery.key.sink)
            await scheduler.retry(delivery, after: delay)
            return
        }
        let reason = failure.retryable ? "gave up after \(attempts) attempts: \(failure.reason)" : failure.reason
        logger.warning("Delivery failed for good; dead-lettering the event", metadata: [
            "event.id": "\(delivery.key.eventId)", "order.id": "\(delivery.orderId)", "sink": "\(delivery.key.sink)",
            "attempts": "\(attempts)", "error": "\(reason)",
        ])
        await recordStubbornly(delivery) {
            try await self.publisher.deadLetter(
                delivery.record, partition: delivery.partition, offset: delivery.offset, error: reason, attempts: attempts,
                sink: delivery.key.sink)
            try await self.outcomes.record(delivery, .deadLettered(attempts: attempts, error: reason))
        }
        metrics.deadLettered(delivery.key.sink)
        await scheduler.done(delivery)
    }

    /// An outcome that could not be recorded (the database or Kafka unreachable) is retried
    /// until it is, rather than delivered again.
    private func recordStubbornly(_ delivery: PendingDelivery, _ record: @Sendable () async throws -> Void) async {
        var pause = Duration.milliseconds(200)
        while true {
            do {
                try await record()
                return
            } catch {
                if Task.isCancelled { return }
                logger.error("Could not record a delivery's outcome; retrying", metadata: [
                    "event.id": "\(delivery.key.eventId)", "sink": "\(delivery.key.sink)", "error": "\(error)",
                ])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    // MARK: Sweep

    /// Replays and redrives (on any instance) put pending deliveries in the ledger; this
    /// looks at the ledger's counter every second and queues what appeared for owned
    /// partitions. Every `fullSweepEvery` it reloads them all anyway (deliveries another
    /// instance folded during a rebalance); what is queued or was just done is not queued twice.
    private func sweep() async {
        var seen: Int64?
        var lastFull = ContinuousClock.now
        let fullSweepEvery = Duration.seconds(30)
        while !Task.isCancelled {
            if await scheduler.isStopped { return }
            do {
                let signal = try await ledger.pendingSignal()
                let full = ContinuousClock.now - lastFull >= fullSweepEvery
                if full { lastFull = ContinuousClock.now }
                if (seen != nil && signal != seen) || full {
                    let pending = try await ledger.pending(partitions: Array(ownedPartitions), sinks: sinkNames)
                    await scheduler.add(pending)
                }
                seen = signal
            } catch {
                logger.warning("Could not read the ledger's pending counter", metadata: ["error": "\(error)"])
            }
            metrics.pending.record(Double(await scheduler.queuedCount))
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
