import KafkaProtocol
import Testing

@testable import KafkaWire

/// The member's side of the classic group protocol, driven event by event without I/O.
@Suite("Group member state machine")
struct GroupMemberStateMachineTests {
    typealias Machine = GroupMemberStateMachine
    let t0 = TopicPartition("t", 0)
    let t1 = TopicPartition("t", 1)
    let t2 = TopicPartition("t", 2)

    func joined(_ memberID: String, leader: String, generation: Int32 = 1, error: KafkaErrorCode = .none) -> JoinGroupResponse {
        var response = JoinGroupResponse()
        response.errorCode = error.rawValue
        response.memberId = memberID
        response.leader = leader
        response.generationId = generation
        response.protocolName = "range"
        return response
    }

    /// A member that joined as follower and owns `owned` in generation 1.
    func stableMember(cooperative: Bool, owned: [TopicPartition]) -> Machine {
        var machine = Machine(configuration: .init(cooperative: cooperative, isStatic: false))
        _ = machine.start()
        _ = machine.coordinatorFound()
        _ = machine.joinResponse(joined("m1", leader: "other"))
        _ = machine.syncResponse(errorCode: 0, assignment: owned)
        _ = machine.assignmentApplied()
        return machine
    }

    @Test func leaderJoinsAssignsSyncsAndHeartbeats() {
        var machine = Machine(configuration: .init(cooperative: false, isStatic: false))
        #expect(machine.start() == .findCoordinator)
        #expect(machine.coordinatorFound() == .join(memberID: "", owned: [], generation: -1))
        // KIP-394: the first JoinGroup only obtains a member id.
        #expect(machine.joinResponse(joined("m1", leader: "", error: .memberIdRequired)) == .join(memberID: "m1", owned: [], generation: -1))
        #expect(machine.joinResponse(joined("m1", leader: "m1", generation: 4)) == .computeAssignment(protocolName: "range", members: []))
        #expect(machine.state == .assigning)
        #expect(machine.assignmentComputed(["m1": [t0]]) == .sync(generation: 4, memberID: "m1", protocolName: "range", assignments: ["m1": [t0]]))
        let change = AssignmentChange(assigned: [t0], added: [t0], revoked: [])
        #expect(machine.syncResponse(errorCode: 0, assignment: [t0]) == .apply(change))
        #expect(machine.assignmentApplied() == .none)
        #expect(machine.isStable)
        #expect(machine.owned == [t0])
        #expect(machine.heartbeatDue() == .heartbeat(generation: 4, memberID: "m1"))
        #expect(machine.heartbeatResponse(errorCode: 0) == .none)
    }

    @Test func followerSyncsWithoutAssignments() {
        var machine = Machine(configuration: .init(cooperative: false, isStatic: false))
        _ = machine.start()
        _ = machine.coordinatorFound()
        #expect(machine.joinResponse(joined("m2", leader: "m1", generation: 2)) == .sync(generation: 2, memberID: "m2", protocolName: "range", assignments: [:]))
    }

    @Test func eagerMemberRevokesEverythingBeforeRejoining() {
        var machine = stableMember(cooperative: false, owned: [t0, t1])
        #expect(machine.heartbeatResponse(errorCode: KafkaErrorCode.rebalanceInProgress.rawValue) == .revoke([t0, t1]))
        #expect(machine.heartbeatDue() == .none)
        #expect(machine.revocationCompleted() == .join(memberID: "m1", owned: [], generation: 1))
        _ = machine.joinResponse(joined("m1", leader: "other", generation: 2))
        #expect(machine.syncResponse(errorCode: 0, assignment: [t1]) == .apply(AssignmentChange(assigned: [t1], added: [t1], revoked: [])))
    }

    @Test func cooperativeMemberKeepsPartitionsThenRevokesOnlyMovedOnesAndRejoins() {
        var machine = stableMember(cooperative: true, owned: [t0, t1, t2])
        #expect(machine.heartbeatResponse(errorCode: KafkaErrorCode.rebalanceInProgress.rawValue) == .join(memberID: "m1", owned: [t0, t1, t2], generation: 1))
        _ = machine.joinResponse(joined("m1", leader: "other", generation: 2))
        let change = AssignmentChange(assigned: [t0, t1], added: [], revoked: [t2])
        #expect(machine.syncResponse(errorCode: 0, assignment: [t1, t0]) == .apply(change))
        // Having revoked t2, the member rejoins at once so t2 can move.
        #expect(machine.assignmentApplied() == .join(memberID: "m1", owned: [t0, t1], generation: 2))
        _ = machine.joinResponse(joined("m1", leader: "other", generation: 3))
        #expect(machine.syncResponse(errorCode: 0, assignment: [t0, t1]) == .apply(AssignmentChange(assigned: [t0, t1], added: [], revoked: [])))
        #expect(machine.assignmentApplied() == .none)
        #expect(machine.isStable)
    }

    @Test func expelledMemberLosesPartitionsWithoutCommitAndJoinsAfresh() {
        var machine = stableMember(cooperative: false, owned: [t0])
        #expect(machine.heartbeatResponse(errorCode: KafkaErrorCode.unknownMemberId.rawValue) == .lose([t0]))
        #expect(machine.memberID == "")
        #expect(machine.revocationCompleted() == .join(memberID: "", owned: [], generation: -1))
        #expect(machine.joinResponse(joined("", leader: "", error: .illegalGeneration)) == .join(memberID: "", owned: [], generation: -1))
    }

    @Test func coordinatorMoveKeepsTheGenerationAndResumesHeartbeats() {
        var machine = stableMember(cooperative: false, owned: [t0])
        #expect(machine.heartbeatResponse(errorCode: KafkaErrorCode.notCoordinator.rawValue) == .backoff(.findCoordinator))
        #expect(machine.coordinatorFound() == .none)
        #expect(machine.isStable)
        #expect(machine.owned == [t0])
        #expect(machine.heartbeatFailed(KafkaError(.connectionClosed, "x")) == .backoff(.findCoordinator))
        #expect(machine.coordinatorLookupFailed(KafkaError(.connectionFailed, "x")) == .backoff(.findCoordinator))
        #expect(machine.coordinatorFound() == .none)
        #expect(machine.heartbeatDue() == .heartbeat(generation: 1, memberID: "m1"))
    }

    @Test func joinAndSyncErrors() {
        var machine = Machine(configuration: .init(cooperative: false, isStatic: false))
        _ = machine.start()
        _ = machine.coordinatorFound()
        #expect(machine.joinResponse(joined("", leader: "", error: .notCoordinator)) == .backoff(.findCoordinator))
        #expect(machine.coordinatorFound() == .join(memberID: "", owned: [], generation: -1))
        #expect(machine.joinFailed(KafkaError(.timedOut, "x")) == .backoff(.findCoordinator))
        _ = machine.coordinatorFound()
        let fatal = machine.joinResponse(joined("", leader: "", error: .inconsistentGroupProtocol))
        guard case .fail(let error) = fatal else {
            Issue.record("expected a failure, got \(fatal)")
            return
        }
        #expect(error.code.brokerCode == .inconsistentGroupProtocol)
        #expect(machine.state == .failed)

        var syncing = Machine(configuration: .init(cooperative: false, isStatic: false))
        _ = syncing.start()
        _ = syncing.coordinatorFound()
        _ = syncing.joinResponse(joined("m1", leader: "m0"))
        #expect(syncing.syncResponse(errorCode: KafkaErrorCode.rebalanceInProgress.rawValue, assignment: []) == .join(memberID: "m1", owned: [], generation: 1))
    }

    @Test func leavingRevokesWithCommitThenSendsLeaveGroup() {
        var machine = stableMember(cooperative: true, owned: [t0])
        #expect(machine.leave() == .revoke([t0]))
        #expect(machine.revocationCompleted() == .leave(memberID: "m1"))
        machine.leaveCompleted()
        #expect(machine.state == .left)
        #expect(machine.heartbeatDue() == .none)
    }

    @Test func staticMemberLeavesWithoutLeaveGroup() {
        var machine = Machine(configuration: .init(cooperative: false, isStatic: true))
        _ = machine.start()
        _ = machine.coordinatorFound()
        _ = machine.joinResponse(joined("m1", leader: "other"))
        _ = machine.syncResponse(errorCode: 0, assignment: [])
        _ = machine.assignmentApplied()
        #expect(machine.leave() == .none)
        #expect(machine.state == .left)
    }

    @Test func leaveDuringRevocationWaitsForIt() {
        var machine = stableMember(cooperative: false, owned: [t0])
        #expect(machine.rejoinRequested() == .revoke([t0]))
        #expect(machine.leave() == .none)
        #expect(machine.revocationCompleted() == .leave(memberID: "m1"))
    }

    @Test func leaveBeforeStartingIsImmediate() {
        var machine = Machine(configuration: .init(cooperative: false, isStatic: false))
        #expect(machine.leave() == .none)
        #expect(machine.state == .left)
        #expect(machine.start() == .none)
    }
}
