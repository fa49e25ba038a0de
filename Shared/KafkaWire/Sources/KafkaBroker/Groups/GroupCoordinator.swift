import KafkaProtocol
import Logging
import NIOCore

/// The broker's classic-protocol group coordinator: JoinGroup, SyncGroup, Heartbeat,
/// LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups and ListGroups.
///
/// Each group's rules live in a `GroupStateMachine` value; this actor owns those values, keeps
/// the continuations of JoinGroup and SyncGroup requests that must wait (for the other members,
/// for the leader) and resumes them from the machines' actions, and runs one wake-up task per
/// group at the machine's next deadline (sessions, rebalance and initial delay, pending syncs).
/// Committed offsets go to the `OffsetStore`.
///
/// Group membership is in memory only: after a broker restart every group is Empty (with
/// its committed offsets), and members rejoin once their heartbeat gets UNKNOWN_MEMBER_ID.
/// The request handlers are in the `+Membership`, `+Offsets` and `+Admin` extensions.
public actor GroupCoordinator {
    typealias RequestID = GroupStateMachine.RequestID
    typealias JoinResult = GroupStateMachine.JoinResult
    typealias SyncResult = GroupStateMachine.SyncResult

    let configuration: GroupCoordinatorConfiguration
    let offsetStore: OffsetStore
    let partitionExists: @Sendable (String, Int32) -> Bool
    let logger: Logger
    let clock: CoordinatorClock

    var groups: [String: GroupStateMachine] = [:]
    /// False once `shutdown()` ran: every request then gets COORDINATOR_NOT_AVAILABLE.
    var isActive = true
    private var joinWaiters: [RequestID: CheckedContinuation<JoinResult, Never>] = [:]
    private var syncWaiters: [RequestID: CheckedContinuation<SyncResult, Never>] = [:]
    private var wakeups: [String: Wakeup] = [:]
    private var lastRequestID: UInt64 = 0
    private var lastWakeupToken: UInt64 = 0

    /// A sleeping task that runs a group's timers at `deadline`.
    private struct Wakeup {
        var deadline: ContinuousClock.Instant
        var token: UInt64
        var task: Task<Void, Never>
    }

    /// - Parameters:
    ///   - partitionExists: whether the broker has this topic partition (OffsetCommit refuses
    ///     others with UNKNOWN_TOPIC_OR_PARTITION, as Kafka does).
    public init(
        configuration: GroupCoordinatorConfiguration,
        offsetStore: OffsetStore,
        partitionExists: @escaping @Sendable (String, Int32) -> Bool,
        logger: Logger
    ) {
        self.init(configuration: configuration, offsetStore: offsetStore, partitionExists: partitionExists, logger: logger, clock: .continuous)
    }

    /// `clock` gives the time to the group state machines and runs the timers; tests pass a
    /// manual one.
    init(
        configuration: GroupCoordinatorConfiguration,
        offsetStore: OffsetStore,
        partitionExists: @escaping @Sendable (String, Int32) -> Bool,
        logger: Logger,
        clock: CoordinatorClock
    ) {
        self.configuration = configuration
        self.offsetStore = offsetStore
        self.partitionExists = partitionExists
        self.logger = logger
        self.clock = clock
    }

    /// Stops the coordinator: waiting JoinGroup and SyncGroup requests are answered
    /// NOT_COORDINATOR (so clients look for the coordinator again, as after a Kafka
    /// coordinator move), later requests get COORDINATOR_NOT_AVAILABLE, timers stop and the
    /// offset store is closed.
    public func shutdown() async {
        guard isActive else { return }
        isActive = false
        for groupID in groups.keys.sorted() {
            guard var machine = groups[groupID] else { continue }
            let actions = machine.unload()
            groups[groupID] = machine
            perform(actions, groupID: groupID)
        }
        for wakeup in wakeups.values { wakeup.task.cancel() }
        wakeups = [:]
        // The machines answered everything they knew of; nothing else may stay suspended.
        for (_, waiter) in joinWaiters { waiter.resume(returning: .failure(.notCoordinator, memberID: "")) }
        for (_, waiter) in syncWaiters { waiter.resume(returning: .failure(.notCoordinator)) }
        joinWaiters = [:]
        syncWaiters = [:]
        offsetStore.close()
        logger.debug("Group coordinator stopped")
    }

    // MARK: Groups

    /// The group, if it exists: one with members, one created by a JoinGroup or a simple
    /// commit, or one known only by committed offsets (as Kafka loads those at start-up).
    func existingGroup(_ groupID: String) -> GroupStateMachine? {
        if let machine = groups[groupID] { return machine }
        guard offsetStore.hasOffsets(group: groupID) else { return nil }
        let machine = GroupStateMachine(groupID: groupID, configuration: configuration)
        groups[groupID] = machine
        return machine
    }

    /// Runs a synchronous event against a group (creating it if needed) and carries out
    /// what the machine asks for.
    func update<Result>(
        _ groupID: String, _ event: (inout GroupStateMachine) -> (Result, [GroupStateMachine.Action])
    ) -> Result {
        var machine = groups[groupID] ?? GroupStateMachine(groupID: groupID, configuration: configuration)
        let (result, actions) = event(&machine)
        groups[groupID] = machine
        perform(actions, groupID: groupID)
        rescheduleWakeup(groupID)
        return result
    }

    /// Runs a JoinGroup event and waits until the machine answers it.
    func awaitJoin(
        _ groupID: String, _ event: (inout GroupStateMachine, RequestID) -> [GroupStateMachine.Action]
    ) async -> JoinResult {
        let requestID = nextRequestID()
        return await withCheckedContinuation { continuation in
            joinWaiters[requestID] = continuation
            update(groupID) { ((), event(&$0, requestID)) }
        }
    }

    /// Runs a SyncGroup event and waits until the machine answers it.
    func awaitSync(
        _ groupID: String, _ event: (inout GroupStateMachine, RequestID) -> [GroupStateMachine.Action]
    ) async -> SyncResult {
        let requestID = nextRequestID()
        return await withCheckedContinuation { continuation in
            syncWaiters[requestID] = continuation
            update(groupID) { ((), event(&$0, requestID)) }
        }
    }

    private func nextRequestID() -> RequestID {
        lastRequestID += 1
        return RequestID(lastRequestID)
    }

    private func perform(_ actions: [GroupStateMachine.Action], groupID: String) {
        for action in actions {
            switch action {
            case .completeJoin(let requestID, let result):
                joinWaiters.removeValue(forKey: requestID)?.resume(returning: result)
            case .completeSync(let requestID, let result):
                syncWaiters.removeValue(forKey: requestID)?.resume(returning: result)
            case .rebalanceStarted(let reason):
                logger.info("Preparing to rebalance group", metadata: [
                    "kafka.group": "\(groupID)", "kafka.group.reason": "\(reason)",
                ])
            case .generationStarted(let generationID, let protocolName, let memberCount):
                logger.info("Group rebalanced", metadata: [
                    "kafka.group": "\(groupID)", "kafka.group.generation": "\(generationID)",
                    "kafka.group.protocol": "\(protocolName ?? "")", "kafka.group.members": "\(memberCount)",
                ])
            case .memberRemoved(let memberID, let reason):
                logger.info("Removed member from group", metadata: [
                    "kafka.group": "\(groupID)", "kafka.member": "\(memberID)", "kafka.group.reason": "\(reason)",
                ])
            }
        }
    }

    // MARK: Timers

    /// Makes sure a wake-up runs at the group's next deadline. An earlier wake-up already
    /// scheduled is kept (it reschedules when it finds nothing due).
    private func rescheduleWakeup(_ groupID: String) {
        guard isActive, let deadline = groups[groupID]?.nextDeadline else {
            wakeups.removeValue(forKey: groupID)?.task.cancel()
            return
        }
        if let existing = wakeups[groupID], existing.deadline <= deadline { return }
        wakeups[groupID]?.task.cancel()
        lastWakeupToken += 1
        let token = lastWakeupToken
        let sleep = clock.sleep
        let task = Task { [weak self] in
            do {
                try await sleep(deadline)
            } catch {
                return
            }
            await self?.wakeUp(groupID, token: token)
        }
        wakeups[groupID] = Wakeup(deadline: deadline, token: token, task: task)
    }

    private func wakeUp(_ groupID: String, token: UInt64) {
        guard wakeups[groupID]?.token == token else { return }
        wakeups[groupID] = nil
        guard groups[groupID] != nil else { return }
        update(groupID) { ((), $0.expire(now: clock.now())) }
    }
}

/// Where the coordinator gets the time and waits for its timers: the continuous clock, or
/// in tests a manual one that moves only when the test advances it.
struct CoordinatorClock: Sendable {
    var now: @Sendable () -> ContinuousClock.Instant
    var sleep: @Sendable (ContinuousClock.Instant) async throws -> Void

    static let continuous = CoordinatorClock(
        now: { .now },
        sleep: { try await Task.sleep(until: $0, clock: .continuous) })
}

extension GroupError {
    var code: KafkaErrorCode {
        switch self {
        case .unknownMemberID: .unknownMemberId
        case .illegalGeneration: .illegalGeneration
        case .rebalanceInProgress: .rebalanceInProgress
        case .memberIDRequired: .memberIdRequired
        case .inconsistentGroupProtocol: .inconsistentGroupProtocol
        case .fencedInstanceID: .fencedInstanceId
        case .invalidSessionTimeout: .invalidSessionTimeout
        case .invalidGroupID: .invalidGroupId
        case .coordinatorNotAvailable: .coordinatorNotAvailable
        case .notCoordinator: .notCoordinator
        }
    }
}

extension Optional where Wrapped == GroupError {
    var code: KafkaErrorCode { self?.code ?? .none }
}
