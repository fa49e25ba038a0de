import KafkaProtocol
import NIOCore

/// One member's side of the classic consumer-group protocol, as a value type: events
/// (responses, timers, requests) go in, one action comes out for the driver to carry out,
/// and the driver reports the result with the matching event. No I/O, so every path is
/// tested directly (GroupMemberStateMachineTests).
///
/// Eager protocols (range, roundrobin) revoke everything before each JoinGroup; the
/// cooperative one keeps partitions through the rebalance, revokes only those that move and
/// then rejoins so the next generation can hand them over (KIP-429).
struct GroupMemberStateMachine: Sendable {
    struct Configuration: Sendable, Hashable {
        var cooperative: Bool
        /// Static members (group.instance.id) do not send LeaveGroup (Java does not either).
        var isStatic: Bool
    }

    enum State: Hashable, Sendable {
        case idle
        case findingCoordinator
        /// Waiting for the driver to finish revoking (or losing) partitions.
        case revoking(then: AfterRevoke)
        case joining
        /// Leader: waiting for the driver to compute the group's assignment.
        case assigning
        case syncing
        /// Waiting for the driver to apply a new assignment.
        case applying(AssignmentChange)
        case stable
        case leaving
        case left
        case failed
    }

    enum AfterRevoke: Hashable, Sendable { case join, leave }

    enum Action: Hashable, Sendable {
        case findCoordinator
        /// Send JoinGroup with this member id (empty for a new member), advertising the
        /// owned partitions and their generation in the subscription.
        case join(memberID: String, owned: [TopicPartition], generation: Int32)
        /// Leader: compute the assignment for these members with this protocol, then report
        /// `assignmentComputed`.
        case computeAssignment(protocolName: String, members: [JoinGroupResponse.JoinGroupResponseMember])
        /// Send SyncGroup; `assignments` are empty unless leader.
        case sync(generation: Int32, memberID: String, protocolName: String, assignments: [String: [TopicPartition]])
        /// Stop delivering these, tell the application, commit their consumed offsets; then
        /// report `revocationCompleted`.
        case revoke([TopicPartition])
        /// These were lost (the group moved on without us): stop delivering them and tell the
        /// application, but do not commit; then report `revocationCompleted`.
        case lose([TopicPartition])
        /// Revoke `change.revoked`, start the added ones, tell the application; then report
        /// `assignmentApplied`.
        case apply(AssignmentChange)
        case heartbeat(generation: Int32, memberID: String)
        case leave(memberID: String)
        /// Wait the retry backoff, then carry out the wrapped action.
        indirect case backoff(Action)
        case fail(KafkaError)
        case none
    }

    let configuration: Configuration
    private(set) var state: State = .idle
    private(set) var memberID = ""
    private(set) var generation: Int32 = -1
    private(set) var protocolName: String?
    /// Partitions this member owns (and may be consuming).
    private(set) var owned: [TopicPartition] = []
    /// Whether, once the coordinator is found again, the member continues in its current
    /// generation (heartbeats) rather than joining.
    private var resumeStableAfterCoordinator = false

    init(configuration: Configuration) {
        self.configuration = configuration
    }

    var isStable: Bool { state == .stable }

    // MARK: Starting and the coordinator

    mutating func start() -> Action {
        guard state == .idle else { return .none }
        state = .findingCoordinator
        return .findCoordinator
    }

    mutating func coordinatorFound() -> Action {
        guard state == .findingCoordinator else { return .none }
        if resumeStableAfterCoordinator {
            resumeStableAfterCoordinator = false
            state = .stable
            return .none
        }
        return prepareJoin()
    }

    mutating func coordinatorLookupFailed(_ error: KafkaError) -> Action {
        guard state == .findingCoordinator else { return .none }
        return error.isRetriable ? .backoff(.findCoordinator) : fail(error)
    }

    // MARK: Join

    /// Joining from scratch: eager members give up all they own first.
    private mutating func prepareJoin() -> Action {
        if !configuration.cooperative && !owned.isEmpty {
            state = .revoking(then: .join)
            return .revoke(owned)
        }
        return join()
    }

    private mutating func join() -> Action {
        state = .joining
        return .join(memberID: memberID, owned: owned, generation: generation)
    }

    mutating func joinResponse(_ response: JoinGroupResponse) -> Action {
        guard state == .joining else { return .none }
        let code = KafkaErrorCode(rawValue: response.errorCode)
        switch code {
        case .none:
            memberID = response.memberId
            generation = response.generationId
            protocolName = response.protocolName
            guard let name = response.protocolName, !name.isEmpty else {
                return fail(KafkaError(.protocolViolation, "JoinGroup answer without a protocol name"))
            }
            if response.leader == response.memberId && !response.skipAssignment {
                state = .assigning
                return .computeAssignment(protocolName: name, members: response.members)
            }
            state = .syncing
            return .sync(generation: generation, memberID: memberID, protocolName: name, assignments: [:])
        case .memberIdRequired:
            // KIP-394: the coordinator gave us an id; join again with it.
            memberID = response.memberId
            return join()
        case .unknownMemberId, .illegalGeneration:
            return resetMembership()
        case .rebalanceInProgress, .coordinatorLoadInProgress:
            state = .joining
            return .backoff(.join(memberID: memberID, owned: owned, generation: generation))
        case .notCoordinator, .coordinatorNotAvailable:
            return rediscoverCoordinator()
        default:
            let error = KafkaError(.broker(code), "JoinGroup: \(code.message)")
            return error.isRetriable ? .backoff(join()) : fail(error)
        }
    }

    /// JoinGroup could not be sent or answered (connection lost, timed out).
    mutating func joinFailed(_ error: KafkaError) -> Action {
        guard state == .joining else { return .none }
        return error.isRetriable ? rediscoverCoordinator() : fail(error)
    }

    // MARK: Sync

    mutating func assignmentComputed(_ assignments: [String: [TopicPartition]]) -> Action {
        guard state == .assigning, let protocolName else { return .none }
        state = .syncing
        return .sync(generation: generation, memberID: memberID, protocolName: protocolName, assignments: assignments)
    }

    /// The leader could not compute an assignment (metadata unavailable): join again.
    mutating func assignmentFailed(_ error: KafkaError) -> Action {
        guard state == .assigning else { return .none }
        return error.isRetriable ? .backoff(join()) : fail(error)
    }

    /// SyncGroup answered: `assignment` is this member's decoded partitions and `userData`
    /// what the leader attached to them (both ignored on error).
    mutating func syncResponse(errorCode: Int16, assignment: [TopicPartition], userData: ByteBuffer? = nil) -> Action {
        guard state == .syncing else { return .none }
        let code = KafkaErrorCode(rawValue: errorCode)
        switch code {
        case .none:
            let new = Set(assignment)
            let old = Set(owned)
            let change = AssignmentChange(
                assigned: assignment.sorted(),
                added: new.subtracting(old).sorted(),
                revoked: old.subtracting(new).sorted(),
                userData: userData)
            state = .applying(change)
            return .apply(change)
        case .rebalanceInProgress:
            return join()
        case .unknownMemberId, .illegalGeneration:
            return resetMembership()
        case .notCoordinator, .coordinatorNotAvailable:
            return rediscoverCoordinator()
        default:
            let error = KafkaError(.broker(code), "SyncGroup: \(code.message)")
            return error.isRetriable ? .backoff(join()) : fail(error)
        }
    }

    mutating func syncFailed(_ error: KafkaError) -> Action {
        guard state == .syncing else { return .none }
        return error.isRetriable ? rediscoverCoordinator() : fail(error)
    }

    /// The driver revoked, started and announced the change. Having revoked something, a
    /// cooperative member rejoins at once so the partitions can go to their new owner.
    mutating func assignmentApplied() -> Action {
        guard case .applying(let change) = state else { return .none }
        owned = change.assigned
        if !change.revoked.isEmpty {
            return join()
        }
        state = .stable
        return .none
    }

    // MARK: Revocation

    mutating func revocationCompleted() -> Action {
        guard case .revoking(let next) = state else { return .none }
        owned = []
        switch next {
        case .join:
            return join()
        case .leave:
            return sendLeave()
        }
    }

    // MARK: Heartbeats and rejoin requests

    mutating func heartbeatDue() -> Action {
        guard state == .stable else { return .none }
        return .heartbeat(generation: generation, memberID: memberID)
    }

    mutating func heartbeatResponse(errorCode: Int16) -> Action {
        guard state == .stable else { return .none }
        let code = KafkaErrorCode(rawValue: errorCode)
        switch code {
        case .none:
            return .none
        case .rebalanceInProgress:
            return prepareJoin()
        case .unknownMemberId, .illegalGeneration:
            return resetMembership()
        case .notCoordinator, .coordinatorNotAvailable:
            resumeStableAfterCoordinator = true
            return rediscoverCoordinator(keepingGeneration: true)
        case .fencedInstanceId:
            return fail(KafkaError(.broker(code), "Heartbeat: \(code.message)"))
        default:
            let error = KafkaError(.broker(code), "Heartbeat: \(code.message)")
            return error.isRetriable ? .none : fail(error)
        }
    }

    mutating func heartbeatFailed(_ error: KafkaError) -> Action {
        guard state == .stable else { return .none }
        resumeStableAfterCoordinator = true
        return rediscoverCoordinator(keepingGeneration: true)
    }

    /// Something changed that needs a new assignment (subscribed topics gained partitions).
    mutating func rejoinRequested() -> Action {
        guard state == .stable else { return .none }
        return prepareJoin()
    }

    // MARK: Leaving

    /// Graceful close: revoke (with commit), then LeaveGroup unless static.
    mutating func leave() -> Action {
        switch state {
        case .idle, .left, .failed, .leaving:
            state = .left
            return .none
        case .revoking:
            state = .revoking(then: .leave)
            return .none
        default:
            if !owned.isEmpty {
                state = .revoking(then: .leave)
                return .revoke(owned)
            }
            return sendLeave()
        }
    }

    private mutating func sendLeave() -> Action {
        owned = []
        if memberID.isEmpty || configuration.isStatic {
            state = .left
            return .none
        }
        state = .leaving
        return .leave(memberID: memberID)
    }

    mutating func leaveCompleted() {
        state = .left
    }

    // MARK: Helpers

    /// The coordinator no longer knows us (or our generation): whatever we own is lost;
    /// join again as a new member.
    private mutating func resetMembership() -> Action {
        memberID = ""
        generation = -1
        resumeStableAfterCoordinator = false
        if !owned.isEmpty {
            let lost = owned
            state = .revoking(then: .join)
            return .lose(lost)
        }
        return join()
    }

    private mutating func rediscoverCoordinator(keepingGeneration: Bool = false) -> Action {
        if !keepingGeneration { resumeStableAfterCoordinator = false }
        state = .findingCoordinator
        return .backoff(.findCoordinator)
    }

    private mutating func fail(_ error: KafkaError) -> Action {
        state = .failed
        return .fail(error)
    }
}
