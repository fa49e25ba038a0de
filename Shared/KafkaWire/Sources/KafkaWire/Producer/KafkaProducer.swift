import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A Kafka producer in pure Swift.
///
/// Run it as a `Service` (in a `ServiceGroup`, or call `run()` in a task): `run()` does the
/// sending in the background until the producer is closed or shut down gracefully, and a
/// graceful shutdown first delivers what was accepted. Records are batched per partition
/// (`batchSize`, `linger`), compressed, and sent with up to
/// `maxInFlightRequestsPerConnection` requests pipelined per broker. With idempotence (the
/// default) retries never write a record twice and keep each partition's order.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: [broker]), logger: logger)
/// // in a task or ServiceGroup: try await producer.run()
/// let metadata = try await producer.send(ProducerRecord(topic: "orders", key: "o-1", value: "created"))
/// // Many records in flight: enqueue returns once the record is buffered.
/// let handle = try await producer.enqueue(record)
/// let placed = try await handle.metadata()  // partition and offset
/// ```
public final class KafkaProducer: Service, Sendable {
    public let configuration: KafkaProducerConfiguration
    let cluster: KafkaCluster
    let state: NIOLockedValueBox<RecordAccumulator>
    let wakeup = WakeupSignal()
    let sender: ProducerSender
    let logger: Logger
    private let timerLoop: any EventLoop

    /// Throws `.invalidConfiguration` when the configuration is inconsistent.
    public init(
        configuration: KafkaProducerConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        self.cluster = KafkaCluster(configuration: configuration.client, logger: logger, eventLoopGroup: eventLoopGroup)
        self.state = NIOLockedValueBox(
            RecordAccumulator(settings: .init(configuration), bufferMemory: configuration.bufferMemory))
        self.timerLoop = eventLoopGroup.any()
        self.sender = ProducerSender(
            state: state, cluster: cluster, configuration: configuration, wakeup: wakeup,
            metrics: ProducerMetrics(clientID: configuration.client.clientID), logger: logger, timerLoop: timerLoop)
    }

    /// Sends until `close()` (or a graceful shutdown) and everything accepted is delivered
    /// or failed. Cancelling it fails what is still held with `.closed`.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await sender.run()
        } onGracefulShutdown: {
            self.beginClose()
        }
    }

    // MARK: Sending

    /// Sends one record and waits for its acknowledgement.
    public func send(_ record: ProducerRecord) async throws -> RecordMetadata {
        try await enqueue(record).metadata()
    }

    /// Buffers one record for sending and returns at once (or when buffer memory has room,
    /// at most `maxBlock` later, else `.bufferExhausted`). Await the handle's `metadata()`
    /// later for its partition and offset.
    @inlinable
    public func enqueue(_ record: ProducerRecord) async throws -> DeliveryHandle {
        // Inlined so the common case (room and metadata at hand) allocates no task frame.
        let timestamp = record.timestamp ?? wallClockMillis()
        if let handle = try appendWithoutWaiting(record, timestamp: timestamp) { return handle }
        return try await enqueueWaiting(record, timestamp: timestamp)
    }

    /// Appends when no waiting is needed; nil when metadata or memory must be awaited.
    @usableFromInline
    func appendWithoutWaiting(_ record: ProducerRecord, timestamp: Int64) throws -> DeliveryHandle? {
        let result = state.withLockedValue { state in state.append(record, timestamp: timestamp, now: .now()) }
        switch result {
        case .appended(let handle, let wakeSender):
            if wakeSender { wakeup.signal() }
            return handle
        case .needsMetadata, .needsMemory:
            return nil
        case .failed(let error):
            throw error
        }
    }

    /// The slow path: waits for the topic's metadata or for buffer room, then appends.
    @usableFromInline
    func enqueueWaiting(_ record: ProducerRecord, timestamp: Int64) async throws -> DeliveryHandle {
        var reserved = false
        var deadline: NIODeadline?
        while true {
            let result = state.withLockedValue { state in
                state.append(record, timestamp: timestamp, now: .now(), reserved: reserved)
            }
            switch result {
            case .appended(let handle, let wakeSender):
                if wakeSender { wakeup.signal() }
                return handle
            case .needsMetadata:
                let until = deadline ?? .now() + TimeAmount(configuration.maxBlock)
                deadline = until
                try await awaitTopic(record.topic, until: until)
            case .needsMemory(let bytes):
                let until = deadline ?? .now() + TimeAmount(configuration.maxBlock)
                deadline = until
                try await awaitMemory(bytes, until: until)
                reserved = true
            case .failed(let error):
                if reserved { returnMemory(record.estimatedSize) }
                throw error
            }
        }
    }

    /// Sends every record accepted so far without waiting for linger, and returns when
    /// each is acknowledged or failed.
    public func flush() async {
        let batches = state.withLockedValue { state in
            state.flushes += 1
            return state.pendingBatches
        }
        wakeup.signal()
        for batch in batches { _ = try? await batch.result() }
        state.withLockedValue { $0.flushes -= 1 }
    }

    /// Stops accepting records (`send` and `enqueue` then fail with `.closed`), delivers
    /// what was accepted, and lets `run()` return.
    public func close() async {
        beginClose()
        await flush()
    }

    func beginClose() {
        state.withLockedValue { $0.isClosing = true }
        wakeup.signal()
    }

    // MARK: Waiting

    /// Fetches the topic's metadata (creating it if allowed) until it has partitions.
    private func awaitTopic(_ topic: String, until deadline: NIODeadline) async throws {
        var refresh = false
        while true {
            var lastError = KafkaError(.unknownTopic, "topic \(topic) not in metadata")
            do {
                let metadata = try await cluster.metadata(
                    for: [topic], autoCreate: configuration.allowAutoTopicCreation, refresh: refresh)
                if let found = metadata.topics[topic] {
                    if found.error == .none && !found.partitions.isEmpty {
                        state.withLockedValue { state in
                            state.updateTopic(topic, leaders: found.partitions.map { $0.error == .none ? $0.leader : -1 })
                        }
                        wakeup.signal()
                        return
                    }
                    if found.error != .none {
                        lastError = KafkaError(.broker(found.error), "metadata for \(topic): \(found.error.message)")
                        guard found.error.isRetriable || found.error == .unknownTopicOrPartition else { throw lastError }
                    }
                }
            } catch let error as KafkaError where error.isRetriable {
                lastError = error
            }
            if NIODeadline.now() + TimeAmount(configuration.client.retryBackoff) > deadline {
                throw KafkaError(
                    lastError.code == .broker(.unknownTopicOrPartition) ? .unknownTopic : lastError.code,
                    "no metadata for \(topic) within maxBlock: \(lastError.message)")
            }
            refresh = true
            try await Task.sleep(for: configuration.client.retryBackoff)
        }
    }

    /// Waits until buffer memory grants `bytes` (they are then reserved for the caller).
    private func awaitMemory(_ bytes: Int, until deadline: NIODeadline) async throws {
        let once = GrantOnce()
        let granted: Bool = await withCheckedContinuation { continuation in
            once.set(continuation)
            let id = state.withLockedValue { state in
                state.memory.reserveOrWait(bytes) { granted in once.resume(granted) }
            }
            guard let id else {
                once.resume(true)
                return
            }
            // Waiters make every batch ready: wake the sender to free memory sooner.
            wakeup.signal()
            let state = self.state
            once.setTimer(
                timerLoop.scheduleTask(deadline: deadline) {
                    if state.withLockedValue({ $0.memory.cancel(id) }) != nil { once.resume(false) }
                })
        }
        guard granted else {
            throw KafkaError(.bufferExhausted, "no room for \(bytes) bytes in buffer memory within maxBlock")
        }
    }

    private func returnMemory(_ bytes: Int) {
        let granted = state.withLockedValue { $0.memory.unreserve(bytes) }
        for waiter in granted { waiter.grant(true) }
    }
}

/// Resumes a memory wait exactly once, from a grant or from its timer, and cancels the timer.
private final class GrantOnce: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Bool, Never>?
        var result: Bool?
        var timer: Scheduled<Void>?
    }

    private let state = NIOLockedValueBox(State())

    func set(_ continuation: CheckedContinuation<Bool, Never>) {
        state.withLockedValue { $0.continuation = continuation }
    }

    func setTimer(_ timer: Scheduled<Void>) {
        let done = state.withLockedValue { state in
            if state.result != nil { return true }
            state.timer = timer
            return false
        }
        if done { timer.cancel() }
    }

    func resume(_ granted: Bool) {
        let (continuation, timer): (CheckedContinuation<Bool, Never>?, Scheduled<Void>?) = state.withLockedValue { state in
            guard state.result == nil else { return (nil, nil) }
            state.result = granted
            defer {
                state.continuation = nil
                state.timer = nil
            }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume(returning: granted)
    }
}
