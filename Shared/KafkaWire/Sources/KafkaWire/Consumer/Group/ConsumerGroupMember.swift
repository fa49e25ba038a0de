import KafkaProtocol
import Logging
import NIOCore

/// Carries out the actions of `GroupMemberStateMachine` over the network: FindCoordinator,
/// JoinGroup, the leader's assignment, SyncGroup, Heartbeat, LeaveGroup, and on the
/// consumer side revoking (with the application's handler and the commit), assigning and
/// losing partitions. Runs until the member has left the group.
struct ConsumerGroupMember: Sendable {
    let cluster: KafkaCluster
    let core: ConsumerCore
    let session: GroupSession
    let groupID: String
    let topics: [String]
    let configuration: KafkaConsumerConfiguration

    /// JoinGroup and SyncGroup wait for the whole group, up to the rebalance timeout; the
    /// Java client allows that plus 5 s before giving up on the request.
    private var rebalanceRequestTimeout: Duration { configuration.maxPollInterval + .seconds(5) }
    let onRebalance: RebalanceHandler?
    let metrics: ConsumerMetrics
    let logger: Logger

    private var offsets: GroupOffsets { GroupOffsets(cluster: cluster, groupID: groupID) }
    private var strategies: [PartitionAssignmentStrategy] { configuration.partitionAssignmentStrategy }

    func run(events: AsyncStream<GroupEvent>) async throws {
        var machine = GroupMemberStateMachine(
            configuration: .init(
                cooperative: strategies.allSatisfy { $0.assignor.supportsCooperative },
                isStatic: configuration.groupInstanceID != nil))
        var events = events.makeAsyncIterator()
        var leader = LeaderState()
        var leaving = false
        var action = machine.start()
        while true {
            if !leaving && core.isStopRequested {
                leaving = true
                let leave = machine.leave()
                // While revoking already, the state machine leaves once revocation completes.
                if leave != .none || machine.state == .left { action = leave }
            }
            if machine.state == .left {
                session.assignment = nil
                return
            }
            if action == .none, !leaving, machine.isStable, session.takeRejoinRequest() {
                logger.info("Subscription user data changed; rebalancing", metadata: ["kafka.group": "\(groupID)"])
                action = machine.rejoinRequested()
                continue
            }
            if action == .none {
                switch await events.next() {
                case .heartbeatDue?:
                    if machine.isStable, await leader.assignmentIsStale(cluster: cluster, topics: topics) {
                        logger.info("Subscribed topics changed; rebalancing", metadata: ["kafka.group": "\(groupID)"])
                        action = machine.rejoinRequested()
                    } else {
                        action = machine.heartbeatDue()
                    }
                case .leave?, .rejoin?, nil:
                    continue
                }
                continue
            }
            action = try await perform(action, on: &machine, leader: &leader)
        }
    }

    private func perform(
        _ action: GroupMemberStateMachine.Action, on machine: inout GroupMemberStateMachine, leader: inout LeaderState
    ) async throws -> GroupMemberStateMachine.Action {
        switch action {
        case .none:
            return .none
        case .fail(let error):
            throw error
        case .backoff(let next):
            try await Task.sleep(for: configuration.client.retryBackoff)
            return try await perform(next, on: &machine, leader: &leader)

        case .findCoordinator:
            do {
                _ = try await cluster.coordinator(forGroup: groupID)
                return machine.coordinatorFound()
            } catch let error as KafkaError {
                cluster.invalidateCoordinator(forGroup: groupID)
                return machine.coordinatorLookupFailed(error)
            }

        case .join(let memberID, let owned, let generation):
            leader = LeaderState()
            do {
                let response = try await cluster.coordinatorConnection(forGroup: groupID).send(
                    try joinRequest(memberID: memberID, owned: owned, generation: generation),
                    timeout: rebalanceRequestTimeout)
                logger.debug(
                    "JoinGroup answered",
                    metadata: ["kafka.group": "\(groupID)", "kafka.generation": "\(response.generationId)",
                               "error": "\(KafkaErrorCode(rawValue: response.errorCode))"])
                if response.errorCode != 0 { invalidateIfMoved(response.errorCode) }
                return machine.joinResponse(response)
            } catch let error as KafkaError {
                cluster.invalidateCoordinator(forGroup: groupID)
                return machine.joinFailed(error)
            }

        case .computeAssignment(let protocolName, let members):
            do {
                let decoded = try GroupAssignment.members(members)
                leader.versions = Dictionary(decoded.map { ($0.member.memberID, $0.version) }, uniquingKeysWith: { a, _ in a })
                let assignors = decoded.map(\.member)
                let metadata = try await cluster.metadata(for: GroupAssignment.topics(of: assignors), refresh: true)
                var counts: [String: Int32] = [:]
                for (name, topic) in metadata.topics where topic.error == .none {
                    counts[name] = Int32(topic.partitions.count)
                }
                let shares = try GroupAssignment.compute(
                    protocolName: protocolName, strategies: strategies, members: assignors, partitionCounts: counts)
                leader.userData = shares.compactMapValues(\.userData)
                leader.assigned(counts, topics: GroupAssignment.topics(of: assignors), retry: configuration.client.metadataMaxAge)
                let assignment = shares.mapValues(\.partitions)
                logger.debug("Computed group assignment", metadata: ["kafka.group": "\(groupID)", "kafka.assignment": "\(assignment)"])
                return machine.assignmentComputed(assignment)
            } catch let error as KafkaError {
                return machine.assignmentFailed(error)
            }

        case .sync(let generation, let memberID, let protocolName, let assignments):
            do {
                let request = SyncGroupRequest(
                    groupId: groupID, generationId: generation, memberId: memberID,
                    groupInstanceId: configuration.groupInstanceID, protocolType: ConsumerProtocol.protocolType,
                    protocolName: protocolName,
                    assignments: try GroupAssignment.encode(
                        Dictionary(uniqueKeysWithValues: assignments.map { member, partitions in
                            (member, GroupAssignment.Share(partitions: partitions, userData: leader.userData[member]))
                        }),
                        versions: leader.versions))
                let response = try await cluster.coordinatorConnection(forGroup: groupID).send(request, timeout: rebalanceRequestTimeout)
                var assigned = ConsumerProtocol.Assignment(partitions: [])
                if response.errorCode == 0 {
                    do {
                        assigned = try ConsumerProtocol.decodeAssignment(response.assignment)
                    } catch {
                        throw KafkaError(.protocolViolation, "SyncGroup assignment does not decode: \(error)")
                    }
                } else {
                    invalidateIfMoved(response.errorCode)
                }
                return machine.syncResponse(errorCode: response.errorCode, assignment: assigned.partitions, userData: assigned.userData)
            } catch let error as KafkaError where error.code != .protocolViolation {
                cluster.invalidateCoordinator(forGroup: groupID)
                return machine.syncFailed(error)
            }

        case .revoke(let partitions):
            await keepingAlive(machine) { await revoke(partitions, commitAs: session.current) }
            session.set(nil)
            return machine.revocationCompleted()

        case .lose(let partitions):
            session.set(nil)
            session.assignment = nil
            stopDelivering(partitions)
            await notify(.lost, partitions)
            core.withPositions { $0.unassign(partitions) }
            return machine.revocationCompleted()

        case .apply(let change):
            let member = GroupOffsets.Member(
                generation: machine.generation, memberID: machine.memberID, groupInstanceID: configuration.groupInstanceID)
            session.set(member)
            let alive = machine
            if !change.revoked.isEmpty { await keepingAlive(alive) { await revoke(change.revoked, commitAs: member) } }
            core.withPositions { $0.assign(change.added, from: .committed) }
            logger.info(
                "Group assignment",
                metadata: ["kafka.group": "\(groupID)", "kafka.generation": "\(machine.generation)",
                           "kafka.assigned": "\(change.assigned)", "kafka.revoked": "\(change.revoked)"])
            let received = MemberAssignment(
                generation: machine.generation, memberID: machine.memberID, partitions: change.assigned,
                userData: change.userData)
            session.assignment = received
            await keepingAlive(alive) {
                await onRebalance?(RebalanceEvent(kind: .assigned, partitions: change.added, assignment: received))
            }
            metrics.rebalances.increment()
            return machine.assignmentApplied()

        case .heartbeat(let generation, let memberID):
            do {
                let response = try await cluster.coordinatorConnection(forGroup: groupID).send(
                    HeartbeatRequest(
                        groupId: groupID, generationId: generation, memberId: memberID,
                        groupInstanceId: configuration.groupInstanceID))
                if response.errorCode != 0 { invalidateIfMoved(response.errorCode) }
                return machine.heartbeatResponse(errorCode: response.errorCode)
            } catch let error as KafkaError {
                cluster.invalidateCoordinator(forGroup: groupID)
                return machine.heartbeatFailed(error)
            }

        case .leave(let memberID):
            session.set(nil)
            session.assignment = nil
            do {
                let request = LeaveGroupRequest(
                    groupId: groupID, memberId: memberID,
                    members: [.init(memberId: memberID, groupInstanceId: configuration.groupInstanceID, reason: "consumer closing")])
                _ = try await cluster.coordinatorConnection(forGroup: groupID).send(request)
            } catch {
                logger.debug("LeaveGroup failed", metadata: ["kafka.group": "\(groupID)", "error": "\(error)"])
            }
            machine.leaveCompleted()
            return .none
        }
    }

    /// Stops delivery, waits for the application to finish the record it holds, tells it,
    /// commits what it consumed (commitOnRevoke), releases the partitions.
    private func revoke(_ partitions: [TopicPartition], commitAs member: GroupOffsets.Member?) async {
        stopDelivering(partitions)
        await core.waitUntilReleased(Set(partitions))
        await notify(.revoked, partitions)
        if configuration.commitOnRevoke, let member {
            let toCommit = core.offsetsToCommit(only: Set(partitions), includeInHand: false)
            do {
                try await offsets.commit(toCommit, member: member)
                core.markCommitted(toCommit)
                metrics.commits.increment()
                logger.debug("Committed on revoke", metadata: ["kafka.group": "\(groupID)", "kafka.offsets": "\(toCommit)"])
            } catch {
                metrics.commitFailures.increment()
                logger.warning("Commit on revoke failed", metadata: ["kafka.group": "\(groupID)", "error": "\(error)"])
            }
        }
        core.withPositions { $0.unassign(partitions) }
    }

    private func stopDelivering(_ partitions: [TopicPartition]) {
        core.withPositions { positions in
            for partition in partitions { positions.setPaused(partition, true) }
        }
    }

    /// Runs `work` (the application's handler, a commit) while heartbeats keep the member's
    /// session alive, as Java's heartbeat thread does during rebalance callbacks; a handler
    /// slower than the session timeout would otherwise get the member expelled.
    private func keepingAlive(_ machine: GroupMemberStateMachine, _ work: @Sendable () async -> Void) async {
        let generation = machine.generation
        let memberID = machine.memberID
        guard !memberID.isEmpty else { return await work() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.heartbeatInterval)
                    guard !Task.isCancelled else { return }
                    _ = try? await cluster.coordinatorConnection(forGroup: groupID).send(
                        HeartbeatRequest(
                            groupId: groupID, generationId: generation, memberId: memberID,
                            groupInstanceId: configuration.groupInstanceID))
                }
            }
            await work()
            group.cancelAll()
        }
    }

    private func notify(_ kind: RebalanceEvent.Kind, _ partitions: [TopicPartition]) async {
        await onRebalance?(RebalanceEvent(kind: kind, partitions: partitions))
    }

    private func invalidateIfMoved(_ code: Int16) {
        let code = KafkaErrorCode(rawValue: code)
        if code == .notCoordinator || code == .coordinatorNotAvailable {
            cluster.invalidateCoordinator(forGroup: groupID)
        }
    }

    private func joinRequest(memberID: String, owned: [TopicPartition], generation: Int32) throws -> JoinGroupRequest {
        // The user data takes no part in the cooperative protocol: owned partitions and their
        // generation have fields of their own (subscription version 2 and later).
        let subscription = ConsumerProtocol.Subscription(
            topics: topics, userData: session.subscriptionUserData, ownedPartitions: owned, generation: generation)
        let metadata = try ConsumerProtocol.encode(subscription)
        return JoinGroupRequest(
            groupId: groupID,
            sessionTimeoutMs: Int32(clamping: configuration.sessionTimeout.wholeMilliseconds),
            rebalanceTimeoutMs: Int32(clamping: configuration.maxPollInterval.wholeMilliseconds),
            memberId: memberID, groupInstanceId: configuration.groupInstanceID,
            protocolType: ConsumerProtocol.protocolType,
            protocols: strategies.map { .init(name: $0.name, metadata: metadata) })
    }
}

/// What the leader remembers of the assignment it computed: each member's protocol version,
/// and the partition counts, to rebalance when they change (topics created or grown), as
/// Java's leader does on metadata refreshes.
struct LeaderState: Sendable {
    var versions: [String: Int16] = [:]
    /// What the assignor attached to each member's assignment.
    var userData: [String: ByteBuffer] = [:]
    private var counts: [String: Int32]?
    private var topics: [String] = []
    private var nextCheck = ContinuousClock.now
    private var interval: Duration = .seconds(300)

    mutating func assigned(_ counts: [String: Int32], topics: [String], retry: Duration) {
        self.counts = counts
        self.topics = topics
        // A subscribed topic that does not exist yet is looked for more often.
        interval = topics.allSatisfy { counts[$0] != nil } ? retry : .seconds(1)
        nextCheck = .now + interval
    }

    /// Whether the partition counts differ from the assigned ones (checked once per interval).
    mutating func assignmentIsStale(cluster: KafkaCluster, topics _: [String]) async -> Bool {
        guard let counts, ContinuousClock.now >= nextCheck else { return false }
        nextCheck = .now + interval
        guard let metadata = try? await cluster.metadata(for: topics, refresh: true) else { return false }
        var current: [String: Int32] = [:]
        for (name, topic) in metadata.topics where topic.error == .none { current[name] = Int32(topic.partitions.count) }
        return current != counts
    }
}
