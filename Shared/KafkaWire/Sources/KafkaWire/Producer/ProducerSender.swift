import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The producer's background work: one loop (as the Java client's Sender) drains ready
/// batches into one ProduceRequest per leader and hands it to that broker's writer task,
/// which encodes it and writes it on the broker's connection in drain order (so sequences
/// reach the broker in order, and a broker that is slow to connect holds up only its own
/// partitions); each answer is handled in its own child task. The loop also gets the
/// producer id, bumps the epoch after sequence errors, and refreshes metadata when leaders
/// are unknown.
final class ProducerSender: Sendable {
    let state: NIOLockedValueBox<RecordAccumulator>
    let cluster: KafkaCluster
    let configuration: KafkaProducerConfiguration
    let wakeup: WakeupSignal
    let metrics: ProducerMetrics
    let logger: Logger
    let timerLoop: any EventLoop

    private struct Flags {
        var refreshingMetadata = false
        var nextMetadataRefresh = NIODeadline.uptimeNanoseconds(0)
        /// When to refresh every known topic (metadata.max.age), catching added partitions.
        var nextPeriodicRefresh = NIODeadline.now()
        var initializingIdentity = false
        var timer: (deadline: NIODeadline, task: Scheduled<Void>)?
        /// Each broker's writer queue.
        var writers: [Int32: AsyncStream<[ProducerBatch]>.Continuation] = [:]
    }

    private let flags = NIOLockedValueBox(Flags())

    init(
        state: NIOLockedValueBox<RecordAccumulator>, cluster: KafkaCluster, configuration: KafkaProducerConfiguration,
        wakeup: WakeupSignal, metrics: ProducerMetrics, logger: Logger, timerLoop: any EventLoop
    ) {
        self.state = state
        self.cluster = cluster
        self.configuration = configuration
        self.wakeup = wakeup
        self.metrics = metrics
        self.logger = logger
        self.timerLoop = timerLoop
    }

    private var retryBackoff: TimeAmount { TimeAmount(configuration.client.retryBackoff) }

    /// Runs until the producer is closed and holds nothing, or until cancelled (then
    /// everything held fails with `.closed`).
    func run() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = NIODeadline.now()
                let (drain, finished, needsIdentity) = state.withLockedValue { state in
                    let needsIdentity =
                        state.settings.idempotence
                        && (!state.identity.isKnown || (state.epochBumpRequested && state.requestsInFlight == 0))
                    return (state.drain(now: now), state.isClosing && state.isEmpty, needsIdentity)
                }
                if finished { break }
                if !drain.expired.isEmpty {
                    fail(drain.expired, KafkaError(.timedOut, "delivery timeout expired before the batch was acknowledged"), wasInFlight: false)
                }
                if needsIdentity { startIdentityRequest(in: &group) }
                var wakeAt = drain.nextWakeup
                var refresh = drain.topicsWithoutLeader
                if periodicRefreshDue(now: now) { refresh.formUnion(state.withLockedValue { $0.topicNames }) }
                if !refresh.isEmpty, let retryAt = startMetadataRefresh(Array(refresh), now: now, in: &group) {
                    wakeAt = min(wakeAt ?? retryAt, retryAt)
                }
                for (leader, batches) in drain.requests {
                    dispatch(batches, to: leader, in: &group)
                }
                if drain.requests.isEmpty {
                    if let wakeAt { scheduleWakeup(at: wakeAt) }
                    await wakeup.wait()
                }
            }
            if Task.isCancelled {
                let pending = state.withLockedValue { state in
                    state.isClosing = true
                    return state.pendingBatches
                }
                fail(pending, KafkaError(.closed, "the producer stopped before the batch was acknowledged"), wasInFlight: false)
            }
            let writers = flags.withLockedValue { flags in
                defer { flags.writers = [:] }
                return Array(flags.writers.values)
            }
            for writer in writers { writer.finish() }
            await cluster.shutdown()
        }
        flags.withLockedValue { $0.timer?.task.cancel() }
    }

    /// Queues a request's batches for the leader's writer, starting the writer on first use.
    private func dispatch(_ batches: [ProducerBatch], to leader: Int32, in group: inout DiscardingTaskGroup) {
        if let writer = flags.withLockedValue({ $0.writers[leader] }) {
            writer.yield(batches)
            return
        }
        // Unbounded is bounded in fact: at most maxInFlight requests per broker are drained.
        let (stream, writer) = AsyncStream.makeStream(of: [ProducerBatch].self)
        flags.withLockedValue { $0.writers[leader] = writer }
        group.addTask {
            await withDiscardingTaskGroup { answers in
                for await batches in stream {
                    await self.send(batches, to: leader, in: &answers)
                }
            }
        }
        writer.yield(batches)
    }

    // MARK: Sending

    /// Encodes the batches into one ProduceRequest and writes it on the leader's connection.
    private func send(_ batches: [ProducerBatch], to leader: Int32, in group: inout DiscardingTaskGroup) async {
        var request = ProduceRequest(acks: configuration.acks.rawValue, timeoutMs: timeoutMillis, topicData: [])
        var topicIndex: [String: Int] = [:]
        var sent: [ProducerBatch] = []
        sent.reserveCapacity(batches.count)
        var bytes = 0
        for batch in batches {
            let records: ByteBuffer
            do {
                records = try batch.encode()
            } catch {
                // Only compression can fail here; the batch cannot be sent at all.
                fail([batch], KafkaError(.protocolViolation, "encoding the batch failed: \(error)"), wasInFlight: true)
                continue
            }
            bytes += records.readableBytes
            let index: Int
            if let existing = topicIndex[batch.topic] {
                index = existing
            } else {
                index = request.topicData.count
                topicIndex[batch.topic] = index
                request.topicData.append(.init(name: batch.topic, partitionData: []))
            }
            request.topicData[index].partitionData.append(.init(index: batch.partition, records: records))
            sent.append(batch)
        }
        guard !sent.isEmpty else {
            state.withLockedValue { $0.requestFinished(node: leader) }
            return
        }
        metrics.requests.increment()
        let connection: BrokerConnection
        let version: Int16
        do {
            connection = try await cluster.connection(to: leader)
            version = try connection.versions.version(for: .produce)
            guard version >= 3 else {
                throw KafkaError(.unsupportedVersion, "broker \(leader) offers Produce only below v3 (no record batches)")
            }
        } catch {
            requestFailed(sent, node: leader, error: Self.kafkaError(error))
            return
        }
        if configuration.acks == .none {
            do {
                try await connection.sendWithoutResponse(request, version: version)
                completeWithoutAnswer(sent, node: leader, bytes: bytes)
            } catch {
                requestFailed(sent, node: leader, error: Self.kafkaError(error))
            }
            return
        }
        let pending = connection.enqueue(request, version: version)
        group.addTask {
            do {
                let response = try await pending.get()
                self.handle(response, for: sent, node: leader, bytes: bytes)
            } catch {
                self.requestFailed(sent, node: leader, error: Self.kafkaError(error))
            }
        }
    }

    private var timeoutMillis: Int32 {
        let ms = configuration.client.requestTimeout.components.seconds * 1000
            + configuration.client.requestTimeout.components.attoseconds / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    static func kafkaError(_ error: any Error) -> KafkaError {
        if let error = error as? KafkaError { return error }
        return KafkaError(.connectionFailed, "\(error)")
    }

    // MARK: Answers

    /// Applies a ProduceResponse to the batches of its request.
    private func handle(_ response: ProduceResponse, for batches: [ProducerBatch], node: Int32, bytes: Int) {
        var outcomes: [(ProducerBatch, BatchOutcome, ProducerBatch.BatchResult)] = []
        outcomes.reserveCapacity(batches.count)
        let now = NIODeadline.now()
        let idempotent = configuration.idempotence
        state.withLockedValue { state in
            for batch in batches {
                let answer = response.responses.first { $0.name == batch.topic }?
                    .partitionResponses.first { $0.index == batch.partition }
                guard let answer else {
                    outcomes.append((batch, .retry(refreshMetadata: true), .init(baseOffset: -1, logAppendTime: -1)))
                    continue
                }
                let outcome = ProduceErrorPolicy.outcome(
                    for: KafkaErrorCode(rawValue: answer.errorCode), message: answer.errorMessage,
                    idempotent: idempotent, isNextExpected: state.isNextExpected(batch),
                    canRetry: canRetry(batch, now: now))
                outcomes.append((batch, outcome, .init(baseOffset: answer.baseOffset, logAppendTime: answer.logAppendTimeMs)))
            }
        }
        metrics.bytesSent.increment(by: bytes)
        apply(outcomes, node: node, now: now)
    }

    /// The request got no answer: the broker may have written it (idempotence makes the
    /// retry safe), or never got it.
    private func requestFailed(_ batches: [ProducerBatch], node: Int32, error: KafkaError) {
        let now = NIODeadline.now()
        logger.debug("produce request failed", metadata: ["kafka.node": "\(node)", "error": "\(error)"])
        var outcomes: [(ProducerBatch, BatchOutcome, ProducerBatch.BatchResult)] = []
        for batch in batches {
            batch.outcomeUnknown = true
            outcomes.append((batch, ProduceErrorPolicy.outcome(forRequestError: error, canRetry: canRetry(batch, now: now)), .init(baseOffset: -1, logAppendTime: -1)))
        }
        apply(outcomes, node: node, now: now)
    }

    private func canRetry(_ batch: ProducerBatch, now: NIODeadline) -> Bool {
        batch.attempts <= configuration.retries && now < batch.createdAt + TimeAmount(configuration.deliveryTimeout)
    }

    /// Records every outcome under the lock, then completes batches and grants memory
    /// outside it.
    private func apply(_ outcomes: [(ProducerBatch, BatchOutcome, ProducerBatch.BatchResult)], node: Int32, now: NIODeadline) {
        var completions: [(ProducerBatch, Result<ProducerBatch.BatchResult, KafkaError>)] = []
        var granted: [MemoryBudget.Waiter] = []
        var refresh = Set<String>()
        var acknowledgedRecords = 0
        var failedRecords = 0
        var retries = 0
        state.withLockedValue { state in
            state.requestFinished(node: node)
            for (batch, outcome, result) in outcomes {
                switch outcome {
                case .acknowledged:
                    batch.outcomeUnknown = false
                    granted += state.finish(batch, acknowledged: true)
                    completions.append((batch, .success(result)))
                    acknowledgedRecords += batch.recordCount
                case .retry(let refreshMetadata):
                    state.retry(batch, notBefore: now + retryBackoff)
                    if refreshMetadata { refresh.insert(batch.topic) }
                    retries += 1
                case .fail(let error):
                    // A batch that may be on the broker leaves a sequence gap if it is not:
                    // the next batch would be out of order for good. A new epoch starts the
                    // partition's sequences again, and fences the old attempt should it still
                    // arrive (as the Java client does since KIP-360).
                    if configuration.idempotence && batch.outcomeUnknown && batch.hasSequence { state.epochBumpRequested = true }
                    granted += state.finish(batch, acknowledged: false)
                    completions.append((batch, .failure(error)))
                    failedRecords += batch.recordCount
                case .bumpEpoch(let retryAfterBump, let error):
                    logger.warning("sequence error; bumping the producer epoch", metadata: ["kafka.topic": "\(batch.topic)", "kafka.partition": "\(batch.partition)", "error": "\(error)"])
                    state.epochBumpRequested = true
                    if retryAfterBump {
                        batch.outcomeUnknown = false
                        state.retry(batch, notBefore: now)
                        retries += 1
                    } else {
                        granted += state.finish(batch, acknowledged: false)
                        completions.append((batch, .failure(error)))
                        failedRecords += batch.recordCount
                    }
                }
            }
            for topic in refresh { state.forgetLeaders(of: topic) }
        }
        if !refresh.isEmpty { cluster.invalidateMetadata() }
        for (batch, result) in completions {
            batch.encoded = nil
            batch.complete(result)
        }
        for waiter in granted { waiter.grant(true) }
        if acknowledgedRecords > 0 { metrics.recordsSent.increment(by: acknowledgedRecords) }
        if failedRecords > 0 { metrics.recordErrors.increment(by: failedRecords) }
        if retries > 0 {
            metrics.batchRetries.increment(by: retries)
            logger.debug("produce batches retried", metadata: ["kafka.node": "\(node)", "count": "\(retries)"])
        }
        wakeup.signal()
    }

    /// acks=0: written is delivered, without an offset.
    private func completeWithoutAnswer(_ batches: [ProducerBatch], node: Int32, bytes: Int) {
        apply(batches.map { ($0, .acknowledged, .init(baseOffset: -1, logAppendTime: -1)) }, node: node, now: .now())
        metrics.bytesSent.increment(by: bytes)
    }

    /// Fails batches that are not part of an answered request.
    func fail(_ batches: [ProducerBatch], _ error: KafkaError, wasInFlight: Bool) {
        var granted: [MemoryBudget.Waiter] = []
        state.withLockedValue { state in
            for batch in batches { granted += state.finish(batch, acknowledged: false, wasInFlight: wasInFlight) }
        }
        for batch in batches {
            batch.encoded = nil
            batch.complete(.failure(error))
        }
        for waiter in granted { waiter.grant(true) }
        let records = batches.reduce(0) { $0 + $1.recordCount }
        if records > 0 { metrics.recordErrors.increment(by: records) }
    }

    // MARK: Producer id

    /// Gets a producer id, or a new epoch for the current one (KIP-360) once every request
    /// in flight is back; retries with backoff until it succeeds or the producer stops.
    private func startIdentityRequest(in group: inout DiscardingTaskGroup) {
        let start = flags.withLockedValue { flags in
            if flags.initializingIdentity { return false }
            flags.initializingIdentity = true
            return true
        }
        guard start else { return }
        let current = state.withLockedValue { $0.identity }
        group.addTask {
            var request = InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: Int32.max)
            if current.isKnown {
                request.producerId = current.producerID
                request.producerEpoch = current.epoch
            }
            while !Task.isCancelled {
                do {
                    let response = try await self.cluster.sendToAnyBroker(request)
                    if let error = KafkaError(brokerCode: response.errorCode, "InitProducerId") { throw error }
                    let new = RecordAccumulator.Identity(producerID: response.producerId, epoch: response.producerEpoch)
                    let uncertain = self.state.withLockedValue { $0.adoptIdentity(new) }
                    self.logger.debug(
                        "producer id", metadata: ["kafka.producer.id": "\(new.producerID)", "kafka.producer.epoch": "\(new.epoch)"])
                    self.fail(
                        uncertain,
                        KafkaError(.fenced, "the batch may have been written before the producer epoch was bumped; not resent to avoid a duplicate"),
                        wasInFlight: false)
                    break
                } catch {
                    let error = Self.kafkaError(error)
                    if error.code == .closed { break }
                    // Who we are was refused: retrying cannot help, and the records waiting
                    // for an id get the reason now rather than a delivery timeout later.
                    if error.code == .authenticationFailed || error.code == .tlsFailed {
                        self.logger.error("InitProducerId failed", metadata: ["error": "\(error)"])
                        let waiting = self.state.withLockedValue { $0.takeAllWaiting() }
                        self.fail(waiting, error, wasInFlight: false)
                        break
                    }
                    // A broker without KIP-360 refuses the bump: start over with a new id.
                    if current.isKnown && (error.code == .broker(.invalidProducerEpoch) || error.code == .broker(.unsupportedVersion)) {
                        request.producerId = -1
                        request.producerEpoch = -1
                    }
                    self.logger.warning("InitProducerId failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: self.configuration.client.retryBackoff)
                }
            }
            self.flags.withLockedValue { $0.initializingIdentity = false }
            self.wakeup.signal()
        }
    }

    // MARK: Metadata

    /// Refreshes leaders of `topics` in a child task unless one is running or the last
    /// ended less than the retry backoff ago; returns when to try again in that case.
    private func startMetadataRefresh(_ topics: [String], now: NIODeadline, in group: inout DiscardingTaskGroup) -> NIODeadline? {
        let decision: NIODeadline? = flags.withLockedValue { flags in
            if flags.refreshingMetadata { return .distantFuture }
            if flags.nextMetadataRefresh > now { return flags.nextMetadataRefresh }
            flags.refreshingMetadata = true
            return nil
        }
        if let decision { return decision == .distantFuture ? nil : decision }
        group.addTask {
            await self.refreshMetadata(topics)
            self.flags.withLockedValue {
                $0.refreshingMetadata = false
                $0.nextMetadataRefresh = .now() + self.retryBackoff
            }
            self.wakeup.signal()
        }
        return nil
    }

    /// True once per metadata max age.
    private func periodicRefreshDue(now: NIODeadline) -> Bool {
        flags.withLockedValue { flags in
            guard now >= flags.nextPeriodicRefresh else { return false }
            flags.nextPeriodicRefresh = now + TimeAmount(configuration.client.metadataMaxAge)
            return true
        }
    }

    func refreshMetadata(_ topics: [String]) async {
        do {
            let metadata = try await cluster.metadata(
                for: topics, autoCreate: configuration.allowAutoTopicCreation, refresh: true)
            state.withLockedValue { state in
                for name in topics {
                    guard let topic = metadata.topics[name], topic.error == .none, !topic.partitions.isEmpty else { continue }
                    state.updateTopic(name, leaders: topic.partitions.map { $0.error == .none ? $0.leader : -1 })
                }
            }
        } catch {
            logger.debug("metadata refresh failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Timers

    /// Wakes the loop at `deadline` (linger or backoff), keeping one timer: the earliest.
    private func scheduleWakeup(at deadline: NIODeadline) {
        flags.withLockedValue { flags in
            if let timer = flags.timer, timer.deadline <= deadline, timer.deadline > .now() { return }
            flags.timer?.task.cancel()
            let wakeup = self.wakeup
            flags.timer = (deadline, timerLoop.scheduleTask(deadline: deadline) { wakeup.signal() })
        }
    }
}
