import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A Kafka consumer: reads assigned partitions, or joins a consumer group, and delivers
/// the records through `messages`. A `ServiceLifecycle.Service`: `run()` does the work and
/// returns once the consumer has stopped (graceful shutdown or `triggerGracefulShutdown()`),
/// after committing and leaving the group.
///
/// ```swift
/// var configuration = KafkaConsumerConfiguration(
///     client: .init(bootstrapServers: [BrokerAddress("localhost:9092")!]),
///     consumption: .group(id: "orders-projection", topics: ["orders.events"]))
/// let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
/// // run() in a ServiceGroup, then:
/// for try await record in consumer.messages { ... }
/// ```
public final class KafkaConsumer: Service, Sendable {
    public let configuration: KafkaConsumerConfiguration
    let cluster: KafkaCluster
    let core: ConsumerCore
    private let topicIDs = TopicIDs()
    private let session: GroupSession
    private let metrics = ConsumerMetrics()
    private let logger: Logger
    private let onRebalance: RebalanceHandler?
    private let groupEvents: AsyncStream<GroupEvent>
    private let groupEventsContinuation: AsyncStream<GroupEvent>.Continuation
    private let started = NIOLockedValueBox(false)

    /// - Parameter onRebalance: told about assigned, revoked and lost partitions (group
    ///   consumption); each rebalance step waits for it, so revoked partitions can be
    ///   finished and committed before another member gets them.
    public init(
        configuration: KafkaConsumerConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onRebalance: RebalanceHandler? = nil
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        self.onRebalance = onRebalance
        self.session = GroupSession(subscriptionUserData: configuration.subscriptionUserData)
        var client = configuration.client
        if configuration.consumption.groupID != nil {
            // A JoinGroup waits for the slowest member, up to its session timeout: the
            // request must not time out before (Java lets JoinGroup wait longer too).
            client.requestTimeout = max(client.requestTimeout, configuration.sessionTimeout + .seconds(5))
        }
        client.requestTimeout = max(client.requestTimeout, configuration.fetchMaxWait + .seconds(5))
        self.cluster = KafkaCluster(configuration: client, logger: logger, eventLoopGroup: eventLoopGroup)
        self.core = ConsumerCore(maxBufferedBytes: configuration.maxBufferedBytes)
        (groupEvents, groupEventsContinuation) = AsyncStream.makeStream(of: GroupEvent.self, bufferingPolicy: .bufferingNewest(4))
        if case .partitions(let partitions) = configuration.consumption.base {
            let start = configuration.autoOffsetReset.seekPosition ?? .end
            core.withPositions { $0.assign(partitions, from: .resolve(start)) }
        }
    }

    /// The consumed records. See `KafkaConsumerMessages`.
    public var messages: KafkaConsumerMessages { KafkaConsumerMessages(core: core) }

    /// Partitions currently assigned (manual ones, or the group's share).
    public var assignment: [TopicPartition] { core.readPositions { $0.assigned } }

    /// What this group member received in the last completed rebalance, with the leader's
    /// user data (also in the `.assigned` `RebalanceEvent`). Nil before the first rebalance,
    /// after the member lost its partitions or left, and without group consumption.
    public var memberAssignment: MemberAssignment? { session.assignment }

    /// Replaces the subscription user data and rejoins the group, so the leader assigns with
    /// the new data (as Java's enforceRebalance after a change of subscriptionUserData).
    /// The rejoin waits until the member is between rebalances. Group consumption only.
    public func updateSubscriptionUserData(_ userData: ByteBuffer?) {
        session.updateSubscriptionUserData(userData)
        groupEventsContinuation.yield(.rejoin)
    }

    // MARK: Running

    public func run() async throws {
        let first = started.withLockedValue { started in
            defer { started = true }
            return !started
        }
        guard first else { throw KafkaError(.invalidConfiguration, "KafkaConsumer.run() called twice") }
        do {
            try await withGracefulShutdownHandler {
                try await runTasks()
            } onGracefulShutdown: {
                self.triggerGracefulShutdown()
            }
            core.finish()
        } catch where Task.isCancelled {
            // Cancelled rather than shut down: stop without an error, as a Service should.
            core.finish()
        } catch {
            core.finish(error)
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    /// Stops consuming: revokes (committing consumed offsets), leaves the group, ends
    /// `messages`, and lets `run()` return. The record the application holds counts as done.
    public func triggerGracefulShutdown() {
        core.requestStop()
        groupEventsContinuation.yield(.leave)
    }

    private enum Child: Sendable { case main, timer }

    private func runTasks() async throws {
        let fetchLoop = ConsumerFetchLoop(
            cluster: cluster, core: core, topicIDs: topicIDs, configuration: configuration, metrics: metrics,
            logger: logger)
        try await withThrowingTaskGroup(of: Child.self) { group in
            switch configuration.consumption.base {
            case .partitions:
                group.addTask {
                    try await fetchLoop.run()
                    return .main
                }
            case .group(let id, let topics):
                let member = ConsumerGroupMember(
                    cluster: cluster, core: core, session: session, groupID: id, topics: topics,
                    configuration: configuration, onRebalance: onRebalance, metrics: metrics, logger: logger)
                let events = groupEvents
                group.addTask {
                    try await fetchLoop.run()
                    return .timer
                }
                group.addTask {
                    try await member.run(events: events)
                    return .main
                }
                let heartbeat = configuration.heartbeatInterval
                let continuation = groupEventsContinuation
                group.addTask {
                    while true {
                        try await Task.sleep(for: heartbeat)
                        continuation.yield(.heartbeatDue)
                    }
                }
                if configuration.enableAutoCommit {
                    let interval = configuration.autoCommitInterval
                    group.addTask {
                        while true {
                            try await Task.sleep(for: interval)
                            await self.autoCommit()
                        }
                    }
                }
            }
            while let child = try await group.next() {
                if child == .main { break }
            }
            group.cancelAll()
        }
    }

    private func autoCommit() async {
        guard let groupID = configuration.consumption.groupID, let member = session.current else { return }
        let offsets = core.offsetsToCommit(includeInHand: false)
        guard !offsets.isEmpty else { return }
        do {
            try await GroupOffsets(cluster: cluster, groupID: groupID).commit(offsets, member: member)
            core.markCommitted(offsets)
            metrics.commits.increment()
        } catch {
            metrics.commitFailures.increment()
            logger.debug("Auto commit failed", metadata: ["kafka.group": "\(groupID)", "error": "\(error)"])
        }
    }

    // MARK: Positions

    /// Moves where `partition` is read from; records fetched before and not yet handed out
    /// are dropped. Throws when the partition is not assigned.
    public func seek(_ partition: TopicPartition, to position: SeekPosition) throws {
        guard core.withPositions({ $0.seek(partition, to: position) }) else {
            throw KafkaError(.invalidConfiguration, "cannot seek \(partition): not assigned")
        }
    }

    /// The offset of the next record the application will get from `partition`; nil while
    /// it is being looked up (after a seek to the beginning, end or a timestamp, or before
    /// the committed offset is known) or when the partition is not assigned.
    public func position(of partition: TopicPartition) -> Int64? {
        core.readPositions { positions in
            guard let state = positions.partitions[partition], case .offset(let fetchFrom) = state.position else { return nil }
            return state.consumed ?? fetchFrom
        }
    }

    /// Stops handing out and fetching records of `partitions` until `resume`; what was
    /// fetched but not handed out is fetched again after resuming.
    public func pause(_ partitions: [TopicPartition]) {
        core.withPositions { positions in
            for partition in partitions { positions.setPaused(partition, true) }
        }
    }

    public func resume(_ partitions: [TopicPartition]) {
        core.withPositions { positions in
            for partition in partitions { positions.setPaused(partition, false) }
        }
    }

    // MARK: Commits

    /// Commits the offsets after every record handed out so far (Java's commitSync()).
    public func commit() async throws {
        try await commit(core.offsetsToCommit(includeInHand: true))
    }

    /// Commits `offsets`: for each partition, the offset of the next record to consume.
    public func commit(_ offsets: [TopicPartition: Int64]) async throws {
        guard let groupID = configuration.consumption.groupID else {
            throw KafkaError(.invalidConfiguration, "commit needs group consumption")
        }
        guard let member = session.current else {
            throw KafkaError(.broker(.rebalanceInProgress), "commit: the member is between generations")
        }
        do {
            try await GroupOffsets(cluster: cluster, groupID: groupID).commit(offsets, member: member)
        } catch {
            metrics.commitFailures.increment()
            throw error
        }
        core.markCommitted(offsets)
        metrics.commits.increment()
    }

    /// The group's committed offsets for `partitions` (-1: none).
    public func committed(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        guard let groupID = configuration.consumption.groupID else {
            throw KafkaError(.invalidConfiguration, "committed offsets need group consumption")
        }
        return try await GroupOffsets(cluster: cluster, groupID: groupID).fetch(partitions)
    }
}
