import KafkaProtocol
import NIOCore

/// Everything the producer holds between `enqueue` and the broker's answer: per-partition
/// batches, buffer memory, in-flight counts and the producer id. A value type guarded by
/// one lock (`KafkaProducer` owns it in a `NIOLockedValueBox`); every method is
/// synchronous and does per-record or per-batch work only, so there is no actor hop or
/// allocation per record (a record is encoded straight into its batch's buffer).
struct RecordAccumulator: Sendable {
    struct Settings: Sendable {
        var batchSize: Int
        var maxRequestSize: Int
        var linger: TimeAmount
        var deliveryTimeout: TimeAmount
        var maxInFlight: Int
        var compression: CompressionCodec
        var compressionLevel: Int32?
        var partitioner: KafkaPartitioner
        var idempotence: Bool

        init(_ configuration: KafkaProducerConfiguration) {
            batchSize = configuration.batchSize
            maxRequestSize = configuration.maxRequestSize
            linger = TimeAmount(configuration.linger)
            deliveryTimeout = TimeAmount(configuration.deliveryTimeout)
            maxInFlight = configuration.maxInFlightRequestsPerConnection
            compression = configuration.compression
            compressionLevel = configuration.compressionLevel
            partitioner = configuration.partitioner
            idempotence = configuration.idempotence
        }
    }

    /// The producer id and epoch (idempotence); id -1 until InitProducerId answered.
    struct Identity: Sendable, Hashable {
        var producerID: Int64 = RecordBatchHeader.noProducerID
        var epoch: Int16 = RecordBatchHeader.noProducerEpoch
        var isKnown: Bool { producerID >= 0 }
    }

    let settings: Settings
    private(set) var topics: [String: TopicQueues] = [:]
    var memory: MemoryBudget
    /// Batches created and not completed, by id: what `flush` waits for.
    private(set) var incomplete: [UInt64: ProducerBatch] = [:]
    private var nextBatchID: UInt64 = 0
    /// Flushes in progress: batches go out without waiting for linger.
    var flushes = 0
    /// No new records; everything held goes out.
    var isClosing = false
    /// Requests in flight per broker.
    private(set) var inFlightRequests: [Int32: Int] = [:]
    var identity = Identity()
    /// A sequence error asked for a new epoch: nothing is sent until it is done.
    var epochBumpRequested = false

    init(settings: Settings, bufferMemory: Int) {
        self.settings = settings
        self.memory = MemoryBudget(limit: bufferMemory)
    }

    // MARK: Appending

    enum AppendResult {
        /// `wakeSender` when a batch became ready or a partition got its first batch.
        case appended(DeliveryHandle, wakeSender: Bool)
        /// The topic's partitions are not known yet.
        case needsMetadata
        /// No buffer room: wait for this many bytes.
        case needsMemory(Int)
        case failed(KafkaError)
    }

    /// Appends one record to its partition's open batch. `reserved` is true when the record's
    /// bytes were already granted by `memory` (a waiter's retry).
    mutating func append(
        _ record: ProducerRecord, timestamp: Int64, now: @autoclosure () -> NIODeadline, reserved: Bool = false,
        random: () -> Int = { Int.random(in: 0..<Int.max) }
    ) -> AppendResult {
        if isClosing { return .failed(KafkaError(.closed, "the producer is closed")) }
        guard let topic = lookUp(record.topic), !topic.partitions.isEmpty else { return .needsMetadata }
        let size = record.estimatedSize
        guard size + RecordBatchHeader.size <= settings.maxRequestSize else {
            return .failed(
                KafkaError(
                    .broker(.messageTooLarge),
                    "record of \(size) bytes is larger than maxRequestSize \(settings.maxRequestSize)",
                    retriable: false))
        }
        let count = topic.partitions.count
        let partition: Int32
        if let explicit = record.partition {
            guard explicit >= 0 && Int(explicit) < count else {
                return .failed(
                    KafkaError(
                        .broker(.unknownTopicOrPartition),
                        "partition \(explicit) of \(record.topic), which has \(count)", retriable: false))
            }
            partition = explicit
        } else if let key = record.key {
            partition = KafkaPartitioner.partition(forKey: key, partitionCount: count)
        } else {
            partition = topic.keyless.next(
                settings.partitioner.kind, partitionCount: count, size: size, switchAfter: settings.batchSize,
                random: random)
        }
        if !reserved && !memory.tryReserve(size) { return .needsMemory(size) }

        let queue = topic.partitions[Int(partition)]
        var wake = false
        if let open = queue.open, open.recordCount > 0,
            open.builder.uncompressedSize + size > settings.batchSize
        {
            queue.seal()
            wake = true
        }
        let batch: ProducerBatch
        if let open = queue.open {
            batch = open
        } else {
            nextBatchID += 1
            let builder = RecordBatchBuilder(
                compression: settings.compression, compressionLevel: settings.compressionLevel,
                initialCapacity: Swift.min(settings.batchSize, Swift.max(size, 1024) * 16) + RecordBatchHeader.size)
            batch = ProducerBatch(id: nextBatchID, topic: topic.name, partition: partition, builder: builder, now: now())
            queue.open = batch
            incomplete[batch.id] = batch
            // The sender must learn of the linger deadline of a partition's first batch.
            if queue.ready.isEmpty { wake = true }
        }
        let index = Int32(batch.recordCount)
        batch.builder.append(key: record.key, value: record.value, headers: record.headers, timestamp: timestamp)
        batch.timestamps.append(timestamp)
        batch.reservedBytes += size
        if batch.builder.uncompressedSize >= settings.batchSize {
            queue.seal()
            wake = true
        }
        return .appended(DeliveryHandle(batch: batch, index: index), wakeSender: wake)
    }

    /// The last topic appended to: most producers write one topic at a time, and comparing
    /// its name is cheaper than hashing it for every record.
    private var lastTopic: TopicQueues?

    private mutating func lookUp(_ name: String) -> TopicQueues? {
        if let lastTopic, lastTopic.name == name { return lastTopic }
        lastTopic = topics[name]
        return lastTopic
    }

    // MARK: Metadata

    /// Topics whose partitions or leaders are needed.
    var topicNames: [String] { Array(topics.keys) }

    mutating func knowTopic(_ name: String) -> TopicQueues {
        if let topic = topics[name] { return topic }
        let topic = TopicQueues(name: name)
        topics[name] = topic
        return topic
    }

    /// Records a topic's partition count and leaders from metadata.
    mutating func updateTopic(_ name: String, leaders: [Int32]) {
        let topic = knowTopic(name)
        topic.metadataError = nil
        topic.resize(to: leaders.count)
        for (index, leader) in leaders.enumerated() { topic.partitions[index].leader = leader }
    }

    mutating func forgetLeaders(of name: String) {
        for queue in topics[name]?.partitions ?? [] { queue.leader = -1 }
    }

    // MARK: Draining

    struct Drain {
        /// Batches to send, grouped by leader; each group is one ProduceRequest.
        var requests: [Int32: [ProducerBatch]] = [:]
        /// Batches past their delivery timeout, removed; fail them.
        var expired: [ProducerBatch] = []
        /// Topics with partitions of unknown leader.
        var topicsWithoutLeader: Set<String> = []
        /// When the next open batch reaches its linger time or a retry its backoff.
        var nextWakeup: NIODeadline?

        mutating func wake(at deadline: NIODeadline) {
            if nextWakeup.map({ deadline < $0 }) ?? true { nextWakeup = deadline }
        }
    }

    /// Takes the batches that can go now: at most one per partition per request, up to
    /// `maxInFlight` requests per broker and `maxRequestSize` bytes per request.
    mutating func drain(now: NIODeadline) -> Drain {
        var drain = Drain()
        let urgent = flushes > 0 || isClosing || memory.hasWaiters
        let canSend = !settings.idempotence || (identity.isKnown && !epochBumpRequested)
        var requestBytes: [Int32: Int] = [:]
        for topic in topics.values {
            for queue in topic.partitions {
                expire(queue, now: now, into: &drain)
                if let open = queue.open, queue.ready.isEmpty {
                    if urgent || open.createdAt + settings.linger <= now {
                        queue.seal()
                    } else {
                        drain.wake(at: open.createdAt + settings.linger)
                    }
                }
                guard let first = queue.ready.first else { continue }
                guard queue.leader >= 0 else {
                    drain.topicsWithoutLeader.insert(topic.name)
                    continue
                }
                guard canSend else { continue }
                if queue.holdUntilInFlightDrains {
                    guard queue.inFlight == 0 else { continue }
                    queue.holdUntilInFlightDrains = false
                }
                let leader = queue.leader
                let started = drain.requests[leader] != nil
                guard started || inFlightRequests[leader, default: 0] < settings.maxInFlight else { continue }
                if let notBefore = first.retryNotBefore, notBefore > now {
                    drain.wake(at: notBefore)
                    continue
                }
                let bytes = requestBytes[leader, default: 0]
                guard bytes == 0 || bytes + first.size <= settings.maxRequestSize else { continue }
                queue.ready.removeFirst()
                assignSequence(first, in: queue)
                first.retryNotBefore = nil
                first.attempts += 1
                queue.inFlight += 1
                requestBytes[leader] = bytes + first.size
                drain.requests[leader, default: []].append(first)
            }
        }
        for leader in drain.requests.keys { inFlightRequests[leader, default: 0] += 1 }
        return drain
    }

    private func assignSequence(_ batch: ProducerBatch, in queue: PartitionQueue) {
        guard settings.idempotence, !batch.hasSequence else { return }
        batch.producerID = identity.producerID
        batch.producerEpoch = identity.epoch
        batch.baseSequence = queue.nextSequence
        queue.nextSequence = PartitionQueue.sequence(queue.nextSequence, plus: batch.recordCount)
    }

    /// Removes waiting batches past the delivery timeout. A batch that was sent before and
    /// may be on the broker leaves a sequence gap, so the epoch is bumped after it.
    private mutating func expire(_ queue: PartitionQueue, now: NIODeadline, into drain: inout Drain) {
        while let first = queue.ready.first, first.createdAt + settings.deliveryTimeout <= now {
            queue.ready.removeFirst()
            if first.hasSequence { epochBumpRequested = true }
            drain.expired.append(first)
        }
        if queue.ready.isEmpty, let open = queue.open, open.createdAt + settings.deliveryTimeout <= now {
            queue.open = nil
            drain.expired.append(open)
        }
    }

    /// Removes every batch not yet sent (open or ready), to fail them all at once.
    mutating func takeAllWaiting() -> [ProducerBatch] {
        var batches: [ProducerBatch] = []
        for topic in topics.values {
            for queue in topic.partitions {
                while let batch = queue.ready.popFirst() { batches.append(batch) }
                if let open = queue.open {
                    queue.open = nil
                    batches.append(open)
                }
            }
        }
        return batches
    }

    // MARK: Outcomes

    /// A request to `node` got its answer (or failed).
    mutating func requestFinished(node: Int32) {
        inFlightRequests[node, default: 1] -= 1
        if inFlightRequests[node] == 0 { inFlightRequests[node] = nil }
    }

    var requestsInFlight: Int { inFlightRequests.values.reduce(0, +) }

    private func queue(of batch: ProducerBatch) -> PartitionQueue? {
        guard let topic = topics[batch.topic], Int(batch.partition) < topic.partitions.count else { return nil }
        return topic.partitions[Int(batch.partition)]
    }

    /// The batch left the in-flight set with a final outcome; its memory is released.
    /// Returns memory waiters to grant.
    mutating func finish(_ batch: ProducerBatch, acknowledged: Bool, wasInFlight: Bool = true) -> [MemoryBudget.Waiter] {
        if let queue = queue(of: batch) {
            if wasInFlight { queue.inFlight -= 1 }
            if acknowledged && batch.hasSequence {
                queue.lastAckedSequence = PartitionQueue.sequence(batch.baseSequence, plus: batch.recordCount - 1)
            }
        }
        incomplete[batch.id] = nil
        let bytes = batch.reservedBytes
        batch.reservedBytes = 0
        return memory.release(bytes)
    }

    /// Puts an in-flight batch back for another attempt after `notBefore`.
    mutating func retry(_ batch: ProducerBatch, notBefore: NIODeadline) {
        guard let queue = queue(of: batch) else { return }
        queue.inFlight -= 1
        batch.retryNotBefore = notBefore
        queue.requeue(batch)
        if settings.idempotence { queue.holdUntilInFlightDrains = true }
    }

    /// Whether `batch` is the one its partition's broker expects next (sequence errors on
    /// any other batch only mean an earlier one failed).
    func isNextExpected(_ batch: ProducerBatch) -> Bool {
        queue(of: batch)?.isNextExpected(batch) ?? false
    }

    /// After InitProducerId gave a new id or epoch: every partition starts again at
    /// sequence 0 and waiting batches get new sequences when drained. Batches that may
    /// already be on the broker (sent without an answer) are returned to be failed rather
    /// than written a second time under the new epoch.
    mutating func adoptIdentity(_ new: Identity) -> [ProducerBatch] {
        identity = new
        epochBumpRequested = false
        var uncertain: [ProducerBatch] = []
        for topic in topics.values {
            for queue in topic.partitions {
                queue.resetSequences()
                queue.holdUntilInFlightDrains = false
                var kept = CircularBuffer<ProducerBatch>()
                for batch in queue.ready {
                    if batch.outcomeUnknown {
                        uncertain.append(batch)
                    } else {
                        batch.baseSequence = RecordBatchHeader.noSequence
                        kept.append(batch)
                    }
                }
                queue.ready = kept
            }
        }
        return uncertain
    }

    // MARK: Flush and close

    /// Every batch not yet completed.
    var pendingBatches: [ProducerBatch] { Array(incomplete.values) }

    var isEmpty: Bool { incomplete.isEmpty }
}
