@testable import KafkaBroker
import NIOCore
import Testing

/// Drives one `GroupStateMachine` with a hand-moved clock and records its answers.
private struct TestGroup {
    typealias RequestID = GroupStateMachine.RequestID

    var machine: GroupStateMachine
    var now = ContinuousClock.now
    var joins: [RequestID: GroupStateMachine.JoinResult] = [:]
    var syncs: [RequestID: GroupStateMachine.SyncResult] = [:]
    var removed: [String] = []
    var rebalances = 0
    private var lastID: UInt64 = 0
    private var lastSuffix = 0

    static let configuration = GroupCoordinatorConfiguration(
        initialRebalanceDelay: .milliseconds(100), minSessionTimeout: .milliseconds(10))

    init(configuration: GroupCoordinatorConfiguration = TestGroup.configuration) {
        machine = GroupStateMachine(groupID: "g", configuration: configuration)
    }

    mutating func record(_ actions: [GroupStateMachine.Action]) {
        for action in actions {
            switch action {
            case .completeJoin(let id, let result):
                #expect(joins[id] == nil, "join \(id) answered twice")
                joins[id] = result
            case .completeSync(let id, let result):
                #expect(syncs[id] == nil, "sync \(id) answered twice")
                syncs[id] = result
            case .memberRemoved(let memberID, _): removed.append(memberID)
            case .rebalanceStarted: rebalances += 1
            case .generationStarted: break
            }
        }
    }

    mutating func nextID() -> RequestID {
        lastID += 1
        return RequestID(lastID)
    }

    /// Sends a JoinGroup; returns its request id (look the answer up in `joins`).
    @discardableResult
    mutating func join(
        _ memberID: String = "", client: String = "client", instance: String? = nil,
        protocols: [(String, String)] = [("range", "meta")], type: String = "consumer",
        session: Duration = .milliseconds(1000), rebalance: Duration = .milliseconds(500),
        requireKnownMemberID: Bool = false, skipAssignment: Bool = false
    ) -> RequestID {
        let id = nextID()
        lastSuffix += 1
        let request = GroupStateMachine.JoinRequest(
            memberID: memberID, groupInstanceID: instance, clientID: client, clientHost: "/127.0.0.1",
            sessionTimeout: session, rebalanceTimeout: rebalance, protocolType: type,
            protocols: protocols.map { .init(name: $0.0, metadata: ByteBuffer(string: $0.1)) },
            requireKnownMemberID: requireKnownMemberID, supportsSkippingAssignment: skipAssignment,
            uniqueSuffix: "uuid\(lastSuffix)")
        record(machine.join(request, requestID: id, now: now))
        return id
    }

    @discardableResult
    mutating func sync(_ memberID: String, generation: Int32, instance: String? = nil, assignments: [String: String] = [:]) -> RequestID {
        let id = nextID()
        let request = GroupStateMachine.SyncRequest(
            memberID: memberID, groupInstanceID: instance, generationID: generation,
            assignments: assignments.sorted { $0.key < $1.key }.map { (memberID: $0.key, assignment: ByteBuffer(string: $0.value)) })
        record(machine.sync(request, requestID: id, now: now))
        return id
    }

    mutating func heartbeat(_ memberID: String, generation: Int32, instance: String? = nil) -> GroupError? {
        machine.heartbeat(memberID: memberID, groupInstanceID: instance, generationID: generation, now: now)
    }

    mutating func leave(_ members: [GroupStateMachine.LeavingMember]) -> GroupStateMachine.LeaveResult {
        let (result, actions) = machine.leave(members, now: now)
        record(actions)
        return result
    }

    /// Moves the clock and runs whatever timers are due.
    mutating func advance(_ duration: Duration) {
        now = now + duration
        record(machine.expire(now: now))
    }

    /// Two members A and B (A the leader) through join and sync into generation 1.
    mutating func stableGroupOfTwo() -> (leader: String, follower: String) {
        let a = join(client: "a")
        let b = join(client: "b")
        // B's arrival during the initial delay extends it by one more round.
        advance(.milliseconds(200))
        let leader = joins[a]!.memberID
        let follower = joins[b]!.memberID
        sync(follower, generation: 1)
        sync(leader, generation: 1, assignments: [leader: "for-a", follower: "for-b"])
        return (leader, follower)
    }
}

@Suite("Group state machine")
struct GroupStateMachineTests {
    @Test func twoMembersJoinAndSync() throws {
        var group = TestGroup()
        let a = group.join(client: "a", protocols: [("range", "meta-a")])
        #expect(group.machine.state == .preparingRebalance)
        let b = group.join(client: "b", protocols: [("range", "meta-b")])
        // The initial rebalance delay holds the answers back even though everyone has joined,
        // and B's arrival during it extends it by one more round (Kafka's InitialDelayedJoin).
        #expect(group.joins.isEmpty)
        #expect(group.machine.nextDeadline == group.now + .milliseconds(100))
        group.advance(.milliseconds(100))
        #expect(group.joins.isEmpty)
        group.advance(.milliseconds(100))

        let leader = try #require(group.joins[a])
        let follower = try #require(group.joins[b])
        #expect(leader.error == nil && follower.error == nil)
        #expect(leader.memberID == "a-uuid1" && follower.memberID == "b-uuid2")
        #expect(leader.generationID == 1 && follower.generationID == 1)
        #expect(leader.leaderID == "a-uuid1" && follower.leaderID == "a-uuid1")
        #expect(leader.protocolName == "range" && leader.protocolType == "consumer")
        #expect(leader.members.map(\.memberID) == ["a-uuid1", "b-uuid2"])
        #expect(leader.members.map { String(buffer: $0.metadata) } == ["meta-a", "meta-b"])
        #expect(follower.members.isEmpty)
        #expect(group.machine.state == .completingRebalance)

        // The follower's SyncGroup waits for the leader's.
        let followerSync = group.sync("b-uuid2", generation: 1)
        #expect(group.syncs[followerSync] == nil)
        let leaderSync = group.sync("a-uuid1", generation: 1, assignments: ["a-uuid1": "p0", "b-uuid2": "p1"])
        #expect(group.syncs[leaderSync].map { String(buffer: $0.assignment) } == "p0")
        #expect(group.syncs[followerSync].map { String(buffer: $0.assignment) } == "p1")
        #expect(group.syncs[followerSync]?.error == nil)
        #expect(group.machine.state == .stable)
        #expect(group.heartbeat("a-uuid1", generation: 1) == nil)

        let summary = group.machine.summary
        #expect(summary.state == .stable && summary.protocolName == "range")
        #expect(summary.members.map { String(buffer: $0.assignment) } == ["p0", "p1"])
    }

    @Test func memberIDRequiredThenJoin() throws {
        var group = TestGroup()
        let first = group.join(client: "rdkafka", requireKnownMemberID: true)
        let required = try #require(group.joins[first])
        #expect(required.error == .memberIDRequired)
        #expect(required.memberID == "rdkafka-uuid1")
        #expect(group.machine.members.isEmpty && group.machine.state == .empty)

        let second = group.join(required.memberID, client: "rdkafka", requireKnownMemberID: true)
        #expect(group.joins[second] == nil)
        group.advance(.milliseconds(100))
        #expect(group.joins[second]?.memberID == "rdkafka-uuid1")
        #expect(group.joins[second]?.leaderID == "rdkafka-uuid1")
        #expect(group.joins[second]?.generationID == 1)
    }

    @Test func pendingMemberThatNeverReturnsIsForgotten() {
        var group = TestGroup()
        let first = group.join(client: "c", session: .milliseconds(50), requireKnownMemberID: true)
        #expect(group.machine.pendingMembers.keys.contains(group.joins[first]!.memberID))
        group.advance(.milliseconds(60))
        #expect(group.machine.pendingMembers.isEmpty)
        #expect(group.machine.nextDeadline == nil)
    }

    @Test func initialDelayIsExtendedWhileMembersArrive() {
        var group = TestGroup()
        let a = group.join(client: "a", rebalance: .milliseconds(1000))
        group.advance(.milliseconds(50))
        let b = group.join(client: "b", rebalance: .milliseconds(1000))
        group.advance(.milliseconds(50))
        // B arrived during the first delay: wait another round.
        #expect(group.joins.isEmpty)
        group.advance(.milliseconds(100))
        #expect(group.joins[a]?.generationID == 1 && group.joins[b]?.generationID == 1)
    }

    @Test func newMemberTriggersRebalanceOfStableGroup() throws {
        var group = TestGroup()
        let (leader, follower) = group.stableGroupOfTwo()
        #expect(group.machine.state == .stable)

        let c = group.join(client: "c")
        #expect(group.machine.state == .preparingRebalance)
        #expect(group.heartbeat(leader, generation: 1) == .rebalanceInProgress)
        let a = group.join(leader)
        #expect(group.joins[a] == nil)
        let b = group.join(follower)
        // Everyone rejoined: no waiting for the timeout (the initial delay is for new groups only).
        let result = try #require(group.joins[a])
        #expect(result.generationID == 2)
        #expect(result.members.count == 3)
        #expect(group.joins[b]?.members.isEmpty == true)
        #expect(group.joins[c]?.memberID == "c-uuid3")
        #expect(group.heartbeat(follower, generation: 1) == .illegalGeneration)
    }

    @Test func membersThatDoNotRejoinAreRemovedAtTheRebalanceTimeout() {
        var group = TestGroup()
        let (leader, follower) = group.stableGroupOfTwo()
        group.join(client: "c")
        let a = group.join(leader)
        // The follower keeps heartbeating but never rejoins.
        group.advance(.milliseconds(300))
        #expect(group.heartbeat(follower, generation: 1) == .rebalanceInProgress)
        group.advance(.milliseconds(200))
        #expect(group.removed == [follower])
        #expect(group.joins[a]?.generationID == 2)
        #expect(group.joins[a]?.members.map(\.memberID) == [leader, "c-uuid3"])
        #expect(group.heartbeat(follower, generation: 2) == .unknownMemberID)
    }

    @Test func leaveTriggersRebalance() throws {
        var group = TestGroup()
        let (leader, follower) = group.stableGroupOfTwo()
        let result = group.leave([.init(memberID: follower)])
        #expect(result.error == nil && result.memberErrors == [nil])
        #expect(group.machine.state == .preparingRebalance)
        let a = group.join(leader)
        #expect(group.joins[a]?.generationID == 2)
        #expect(group.joins[a]?.members.map(\.memberID) == [leader])
        // Unknown members get UNKNOWN_MEMBER_ID per member.
        #expect(group.leave([.init(memberID: "nobody")]).memberErrors == [.unknownMemberID])
    }

    @Test func lastMemberLeavingEmptiesTheGroup() {
        var group = TestGroup()
        let a = group.join(client: "a")
        group.advance(.milliseconds(100))
        let leader = group.joins[a]!.memberID
        group.sync(leader, generation: 1, assignments: [leader: "x"])
        _ = group.leave([.init(memberID: leader)])
        #expect(group.machine.state == .empty)
        #expect(group.machine.generationID == 2)
        #expect(group.machine.leaderID == nil)
    }

    @Test func sessionExpiryRemovesMemberAndRebalances() {
        var group = TestGroup()
        let (leader, follower) = group.stableGroupOfTwo()
        for _ in 0..<2 {
            group.advance(.milliseconds(400))
            #expect(group.heartbeat(leader, generation: 1) == nil)
        }
        #expect(group.removed.isEmpty)
        // 1200 ms without a heartbeat from the follower (session 1000 ms).
        group.advance(.milliseconds(400))
        #expect(group.removed == [follower])
        #expect(group.machine.state == .preparingRebalance)
        #expect(group.heartbeat(leader, generation: 1) == .rebalanceInProgress)
        let a = group.join(leader)
        #expect(group.joins[a]?.generationID == 2)
    }

    @Test func rebalanceDuringSyncAnswersWaitingFollowers() {
        var group = TestGroup()
        let a = group.join(client: "a")
        let b = group.join(client: "b")
        group.advance(.milliseconds(200))
        let leader = group.joins[a]!.memberID
        let follower = group.joins[b]!.memberID
        let waiting = group.sync(follower, generation: 1)
        _ = group.leave([.init(memberID: leader)])
        #expect(group.syncs[waiting]?.error == .rebalanceInProgress)
        #expect(group.machine.leaderID == follower)
    }

    @Test func followersThatNeverSyncAreRemoved() {
        var group = TestGroup()
        let a = group.join(client: "a")
        let b = group.join(client: "b")
        group.advance(.milliseconds(200))
        let leader = group.joins[a]!.memberID
        let follower = group.joins[b]!.memberID
        group.sync(leader, generation: 1, assignments: [leader: "x", follower: "y"])
        #expect(group.machine.state == .stable)
        // The follower had its rebalance timeout (500 ms) to send SyncGroup.
        group.advance(.milliseconds(300))
        #expect(group.heartbeat(leader, generation: 1) == nil)
        group.advance(.milliseconds(200))
        #expect(group.removed == [follower])
        #expect(group.machine.state == .preparingRebalance)
    }

    @Test func errors() {
        var group = TestGroup()
        let (leader, follower) = group.stableGroupOfTwo()
        #expect(group.heartbeat(leader, generation: 7) == .illegalGeneration)
        #expect(group.heartbeat("stranger", generation: 1) == .unknownMemberID)
        let wrongGeneration = group.sync(follower, generation: 3)
        #expect(group.syncs[wrongGeneration]?.error == .illegalGeneration)
        let wrongType = group.join(client: "x", type: "connect")
        #expect(group.joins[wrongType]?.error == .inconsistentGroupProtocol)
        let noCommonProtocol = group.join(client: "x", protocols: [("sticky", "m")])
        #expect(group.joins[noCommonProtocol]?.error == .inconsistentGroupProtocol)
        let badSession = group.join(client: "x", session: .milliseconds(1))
        #expect(group.joins[badSession]?.error == .invalidSessionTimeout)
        let unknownID = group.join("made-up")
        #expect(group.joins[unknownID]?.error == .unknownMemberID)
        #expect(group.machine.state == .stable)

        var empty = TestGroup()
        let noProtocols = empty.join(client: "x", protocols: [])
        #expect(empty.joins[noProtocols]?.error == .inconsistentGroupProtocol)
        let noType = empty.join(client: "x", type: "")
        #expect(empty.joins[noType]?.error == .inconsistentGroupProtocol)
    }

    @Test func protocolSelectionByVote() throws {
        var group = TestGroup()
        let a = group.join(client: "a", protocols: [("roundrobin", "1"), ("range", "1"), ("sticky", "1")])
        group.join(client: "b", protocols: [("roundrobin", "2"), ("range", "2")])
        group.join(client: "c", protocols: [("range", "3"), ("roundrobin", "3")])
        group.advance(.milliseconds(200))
        let result = try #require(group.joins[a])
        #expect(result.protocolName == "roundrobin")
        #expect(result.members.map { String(buffer: $0.metadata) } == ["1", "2", "3"])
    }

    @Test func staticMemberRestartKeepsItsPlaceWithoutRebalance() throws {
        var group = TestGroup()
        let a = group.join(client: "a", instance: "instance-a")
        let b = group.join(client: "b", instance: "instance-b")
        group.advance(.milliseconds(200))
        let leader = group.joins[a]!.memberID
        let oldFollower = group.joins[b]!.memberID
        #expect(oldFollower == "instance-b-uuid2")
        group.sync(oldFollower, generation: 1, instance: "instance-b")
        group.sync(leader, generation: 1, instance: "instance-a", assignments: [leader: "x", oldFollower: "y"])

        // instance-b restarts: it joins without a member id and gets a new one, no rebalance.
        let rejoin = group.join(client: "b", instance: "instance-b")
        let result = try #require(group.joins[rejoin])
        #expect(result.error == nil)
        #expect(result.memberID == "instance-b-uuid3")
        #expect(result.generationID == 1 && result.leaderID == leader)
        #expect(group.machine.state == .stable)
        let newSync = group.sync(result.memberID, generation: 1, instance: "instance-b")
        #expect(group.syncs[newSync].map { String(buffer: $0.assignment) } == "y")
        // The old id is fenced.
        #expect(group.heartbeat(oldFollower, generation: 1, instance: "instance-b") == .fencedInstanceID)

        // Static members are removed by instance id alone too.
        #expect(group.leave([.init(memberID: "", groupInstanceID: "instance-b")]).memberErrors == [nil])
        #expect(group.machine.members.count == 1)
    }

    @Test func staticLeaderRestartSkipsAssignmentOnlyWhenSupported() throws {
        var group = TestGroup()
        let a = group.join(client: "a", instance: "ia")
        group.advance(.milliseconds(100))
        let leader = group.joins[a]!.memberID
        group.sync(leader, generation: 1, instance: "ia", assignments: [leader: "x"])

        let modern = group.join(client: "a", instance: "ia", skipAssignment: true)
        let result = try #require(group.joins[modern])
        #expect(result.skipAssignment && result.leaderID == result.memberID)
        #expect(result.members.count == 1)
        #expect(group.machine.state == .stable)

        let old = group.join(client: "a", instance: "ia")
        // Cannot skip: a new generation instead (it is the only member, so at once).
        #expect(group.joins[old]?.generationID == 2)
        #expect(group.joins[old]?.skipAssignment == false)
    }

    @Test func offsetCommitValidation() {
        var group = TestGroup()
        #expect(group.machine.validateOffsetCommit(memberID: "", groupInstanceID: nil, generationID: -1, now: group.now) == nil)
        let a = group.join(client: "a")
        group.advance(.milliseconds(100))
        let leader = group.joins[a]!.memberID
        #expect(group.machine.validateOffsetCommit(memberID: leader, groupInstanceID: nil, generationID: 1, now: group.now) == .rebalanceInProgress)
        group.sync(leader, generation: 1, assignments: [leader: "x"])
        #expect(group.machine.validateOffsetCommit(memberID: leader, groupInstanceID: nil, generationID: 1, now: group.now) == nil)
        #expect(group.machine.validateOffsetCommit(memberID: leader, groupInstanceID: nil, generationID: 0, now: group.now) == .illegalGeneration)
        #expect(group.machine.validateOffsetCommit(memberID: "", groupInstanceID: nil, generationID: -1, now: group.now) == .unknownMemberID)
    }

    @Test func unloadAnswersEveryWaiter() {
        var group = TestGroup()
        let a = group.join(client: "a")
        group.record(group.machine.unload())
        #expect(group.joins[a]?.error == .notCoordinator)
        #expect(group.machine.state == .dead)
        #expect(group.machine.nextDeadline == nil)
        let late = group.join(client: "b")
        #expect(group.joins[late]?.error == .coordinatorNotAvailable)
    }
}
