@testable import KafkaBroker
import TestSupport
import KafkaProtocol
import Logging
import NIOCore
import Testing

/// The coordinator actor with a real offset store, its timers on a manual clock: time moves
/// only when a test advances it, so no session or rebalance times out because the machine is
/// slow, and those that should time out do so exactly when the test says.
@Suite("Group coordinator", .timeLimit(.minutes(2)))
struct GroupCoordinatorTests {
    static let configuration = GroupCoordinatorConfiguration(
        initialRebalanceDelay: .zero, minSessionTimeout: .milliseconds(10))

    func makeCoordinator(
        _ dir: TemporaryDirectory, clock: ManualClock = ManualClock(), initialRebalanceDelay: Duration = .zero
    ) throws -> GroupCoordinator {
        var configuration = Self.configuration
        configuration.initialRebalanceDelay = initialRebalanceDelay
        return GroupCoordinator(
            configuration: configuration,
            offsetStore: try OffsetStore(directory: dir.path + "/__consumer_offsets", logger: .test),
            partitionExists: { topic, partition in topic == "t" && (0..<3).contains(partition) },
            logger: .test, clock: clock.coordinatorClock)
    }

    /// JoinGroup as a v4+ client does it: a first request for a member id, then the real one.
    func join(
        _ coordinator: GroupCoordinator, client: String, memberID: String = "", group: String = "g",
        session: Int32 = 2000, rebalance: Int32 = 2000, version: Int16 = 5
    ) async throws -> JoinGroupResponse {
        var request = JoinGroupRequest(
            groupId: group, sessionTimeoutMs: session, rebalanceTimeoutMs: rebalance, memberId: memberID,
            protocolType: "consumer", protocols: [.init(name: "range", metadata: ByteBuffer(string: client))])
        var response = await coordinator.joinGroup(request, version: version, clientID: client, clientHost: "/127.0.0.1")
        if response.errorCode == KafkaErrorCode.memberIdRequired.rawValue {
            #expect(response.memberId.hasPrefix(client + "-"))
            request.memberId = response.memberId
            response = await coordinator.joinGroup(request, version: version, clientID: client, clientHost: "/127.0.0.1")
        }
        try encodes(response, version: version)
        return response
    }

    func sync(
        _ coordinator: GroupCoordinator, _ memberID: String, generation: Int32,
        assignments: [String: String] = [:], group: String = "g", version: Int16 = 5
    ) async throws -> SyncGroupResponse {
        let request = SyncGroupRequest(
            groupId: group, generationId: generation, memberId: memberID,
            protocolType: "consumer", protocolName: "range",
            assignments: assignments.map { .init(memberId: $0.key, assignment: ByteBuffer(string: $0.value)) })
        let response = await coordinator.syncGroup(request, version: version)
        try encodes(response, version: version)
        return response
    }

    func heartbeat(_ coordinator: GroupCoordinator, _ memberID: String, generation: Int32, group: String = "g") async -> Int16 {
        await coordinator.heartbeat(HeartbeatRequest(groupId: group, generationId: generation, memberId: memberID), version: 4).errorCode
    }

    func describe(_ coordinator: GroupCoordinator, _ group: String = "g") async throws -> DescribeGroupsResponse.DescribedGroup {
        let response = await coordinator.describeGroups(DescribeGroupsRequest(groups: [group], includeAuthorizedOperations: true), version: 5)
        try encodes(response, version: 5)
        return try #require(response.groups.first)
    }

    /// Responses must be encodable at the version they answer (nullability differs by version).
    func encodes<Message: KafkaMessage>(_ message: Message, version: Int16) throws {
        var buffer = ByteBuffer()
        try message.encode(to: &buffer, version: version)
    }

    @Test func twoConsumersJoinSyncAndHeartbeat() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let coordinator = try makeCoordinator(dir, clock: clock, initialRebalanceDelay: .milliseconds(150))
        async let first = join(coordinator, client: "a")
        async let second = join(coordinator, client: "b")
        // Both joined within the initial delay, since it ends only when the clock is moved.
        try await waitUntil("both members in the group") { try await describe(coordinator).members.count == 2 }
        clock.advance(by: .seconds(1))
        let (a, b) = try await (first, second)
        #expect(a.errorCode == 0 && b.errorCode == 0)
        #expect(a.generationId == 1 && b.generationId == 1)
        #expect(a.leader == b.leader)
        let (leader, follower) = a.leader == a.memberId ? (a, b) : (b, a)
        #expect(leader.members.count == 2 && follower.members.isEmpty)
        #expect(leader.protocolName == "range")

        async let followerSync = sync(coordinator, follower.memberId, generation: 1)
        // The follower's SyncGroup waits for the leader's assignment.
        try await waitUntil("the follower's SyncGroup to wait") {
            await coordinator.groups["g"]?.members[follower.memberId]?.pendingSync != nil
        }
        let leaderSync = try await sync(
            coordinator, leader.memberId, generation: 1,
            assignments: [leader.memberId: "for-leader", follower.memberId: "for-follower"])
        #expect(String(buffer: leaderSync.assignment) == "for-leader")
        #expect(String(buffer: try await followerSync.assignment) == "for-follower")
        #expect(leaderSync.protocolType == "consumer" && leaderSync.protocolName == "range")

        #expect(await heartbeat(coordinator, leader.memberId, generation: 1) == 0)
        #expect(await heartbeat(coordinator, follower.memberId, generation: 0) == KafkaErrorCode.illegalGeneration.rawValue)
        #expect(await heartbeat(coordinator, "nobody", generation: 1) == KafkaErrorCode.unknownMemberId.rawValue)

        let described = try await describe(coordinator)
        #expect(described.groupState == "Stable" && described.protocolData == "range")
        #expect(described.members.count == 2)
        #expect(described.authorizedOperations == GroupCoordinator.groupAuthorizedOperations)
        await coordinator.shutdown()
    }

    @Test func newMemberTriggersRebalance() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let coordinator = try makeCoordinator(dir)
        let a = try await join(coordinator, client: "a")
        _ = try await sync(coordinator, a.memberId, generation: 1, assignments: [a.memberId: "all"])

        async let b = join(coordinator, client: "b")
        // A learns of the rebalance from its heartbeat and rejoins.
        var code: Int16 = 0
        try await waitUntil("A's heartbeat to report the rebalance") {
            code = await heartbeat(coordinator, a.memberId, generation: 1)
            return code != 0
        }
        #expect(code == KafkaErrorCode.rebalanceInProgress.rawValue)
        let rejoined = try await join(coordinator, client: "a", memberID: a.memberId)
        let newcomer = try await b
        #expect(rejoined.generationId == 2 && newcomer.generationId == 2)
        #expect(rejoined.leader == a.memberId && rejoined.members.count == 2)
        await coordinator.shutdown()
    }

    @Test func memberThatDoesNotRejoinIsDroppedAtRebalanceTimeout() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let coordinator = try makeCoordinator(dir, clock: clock)
        let a = try await join(coordinator, client: "a", session: 5000, rebalance: 300)
        _ = try await sync(coordinator, a.memberId, generation: 1, assignments: [a.memberId: "all"])
        // A never rejoins: B's JoinGroup completes at A's rebalance timeout, without A.
        let joining = Task { try await join(coordinator, client: "b", session: 5000, rebalance: 300) }
        try await waitUntil("B in the rebalancing group") { try await describe(coordinator).members.count == 2 }
        clock.advance(by: .milliseconds(299))
        #expect(try await describe(coordinator).groupState == "PreparingRebalance")
        clock.advance(by: .milliseconds(1))
        let b = try await joining.value
        #expect(b.generationId == 2 && b.leader == b.memberId)
        #expect(b.members.map(\.memberId) == [b.memberId])
        #expect(await heartbeat(coordinator, a.memberId, generation: 1) == KafkaErrorCode.unknownMemberId.rawValue)
        await coordinator.shutdown()
    }

    @Test func sessionTimeoutEmptiesTheGroup() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let coordinator = try makeCoordinator(dir, clock: clock)
        let a = try await join(coordinator, client: "a", session: 150)
        _ = try await sync(coordinator, a.memberId, generation: 1, assignments: [a.memberId: "all"])
        #expect(try await describe(coordinator).groupState == "Stable")
        clock.advance(by: .milliseconds(149))
        #expect(try await describe(coordinator).groupState == "Stable")
        clock.advance(by: .milliseconds(1))
        // The expiry runs on the coordinator's timer task: wait for it.
        try await waitUntil("the session to expire") { try await describe(coordinator).groupState == "Empty" }
        let described = try await describe(coordinator)
        #expect(described.groupState == "Empty" && described.members.isEmpty)
        #expect(await heartbeat(coordinator, a.memberId, generation: 1) == KafkaErrorCode.unknownMemberId.rawValue)
        await coordinator.shutdown()
    }

    @Test func leaveGroupVersions() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let coordinator = try makeCoordinator(dir)
        let a = try await join(coordinator, client: "a")
        let v0 = await coordinator.leaveGroup(LeaveGroupRequest(groupId: "g", memberId: "nobody"), version: 0)
        #expect(v0.errorCode == KafkaErrorCode.unknownMemberId.rawValue)
        let v3 = await coordinator.leaveGroup(
            LeaveGroupRequest(groupId: "g", members: [.init(memberId: a.memberId), .init(memberId: "nobody")]), version: 3)
        try encodes(v3, version: 3)
        #expect(v3.errorCode == 0)
        #expect(v3.members.map(\.errorCode) == [0, KafkaErrorCode.unknownMemberId.rawValue])
        #expect(try await describe(coordinator).groupState == "Empty")
        let unknownGroup = await coordinator.leaveGroup(LeaveGroupRequest(groupId: "nope", memberId: "x"), version: 1)
        #expect(unknownGroup.errorCode == KafkaErrorCode.unknownMemberId.rawValue)
        await coordinator.shutdown()
    }

    @Test func joinErrors() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let coordinator = try makeCoordinator(dir)
        let invalidGroup = await coordinator.joinGroup(
            JoinGroupRequest(groupId: "", sessionTimeoutMs: 1000, protocolType: "consumer", protocols: [.init(name: "range")]),
            version: 2, clientID: "c", clientHost: "h")
        #expect(invalidGroup.errorCode == KafkaErrorCode.invalidGroupId.rawValue)
        try encodes(invalidGroup, version: 2)
        let badSession = await coordinator.joinGroup(
            JoinGroupRequest(groupId: "g", sessionTimeoutMs: 1, protocolType: "consumer", protocols: [.init(name: "range")]),
            version: 7, clientID: "c", clientHost: "h")
        #expect(badSession.errorCode == KafkaErrorCode.invalidSessionTimeout.rawValue)
        try encodes(badSession, version: 7)
        let unknownMember = await coordinator.joinGroup(
            JoinGroupRequest(groupId: "g", sessionTimeoutMs: 1000, memberId: "ghost", protocolType: "consumer", protocols: [.init(name: "range")]),
            version: 5, clientID: "c", clientHost: "h")
        #expect(unknownMember.errorCode == KafkaErrorCode.unknownMemberId.rawValue)
        let syncUnknown = await coordinator.syncGroup(SyncGroupRequest(groupId: "g", generationId: 1, memberId: "ghost"), version: 3)
        #expect(syncUnknown.errorCode == KafkaErrorCode.unknownMemberId.rawValue)
        // v5+ must name the protocol type and name.
        let syncNoProtocol = await coordinator.syncGroup(SyncGroupRequest(groupId: "g", generationId: 1, memberId: "ghost"), version: 5)
        #expect(syncNoProtocol.errorCode == KafkaErrorCode.inconsistentGroupProtocol.rawValue)
        await coordinator.shutdown()
    }

    @Test func offsetsCommitFetchAndSurviveRestart() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let coordinator = try makeCoordinator(dir)
        // A simple commit (no group management): generation -1, no member id.
        let commit = OffsetCommitRequest(groupId: "simple", topics: [
            .init(name: "t", partitions: [
                .init(partitionIndex: 0, committedOffset: 10, committedLeaderEpoch: 2, committedMetadata: "hello"),
                .init(partitionIndex: 2, committedOffset: 30, committedMetadata: nil),
                .init(partitionIndex: 9, committedOffset: 90),
            ]),
            .init(name: "missing", partitions: [.init(partitionIndex: 0, committedOffset: 1)]),
        ])
        let committed = await coordinator.offsetCommit(commit, version: 8)
        try encodes(committed, version: 8)
        #expect(committed.topics.map { $0.partitions.map(\.errorCode) } == [
            [0, 0, KafkaErrorCode.unknownTopicOrPartition.rawValue], [KafkaErrorCode.unknownTopicOrPartition.rawValue],
        ])
        let tooLarge = await coordinator.offsetCommit(OffsetCommitRequest(groupId: "simple", topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 1, committedOffset: 1, committedMetadata: String(repeating: "x", count: 5000))]),
        ]), version: 2)
        #expect(tooLarge.topics[0].partitions[0].errorCode == KafkaErrorCode.offsetMetadataTooLarge.rawValue)

        // v1: named partitions, including one never committed.
        let v1 = await coordinator.offsetFetch(
            OffsetFetchRequest(groupId: "simple", topics: [.init(name: "t", partitionIndexes: [0, 1])]), version: 1)
        try encodes(v1, version: 1)
        #expect(v1.topics[0].partitions.map(\.committedOffset) == [10, -1])
        #expect(v1.topics[0].partitions.map(\.metadata) == ["hello", ""])
        // v7: null topics means everything the group committed.
        let all = await coordinator.offsetFetch(OffsetFetchRequest(groupId: "simple", topics: nil), version: 7)
        try encodes(all, version: 7)
        #expect(all.errorCode == 0)
        #expect(all.topics.map(\.name) == ["t"])
        #expect(all.topics[0].partitions.map(\.partitionIndex) == [0, 2])
        #expect(all.topics[0].partitions.map(\.committedLeaderEpoch) == [2, -1])

        await coordinator.shutdown()
        let afterShutdown = await coordinator.offsetFetch(OffsetFetchRequest(groupId: "simple", topics: nil), version: 7)
        #expect(afterShutdown.errorCode == KafkaErrorCode.coordinatorNotAvailable.rawValue)

        // A new coordinator over the same directory: offsets back, group listed as Empty.
        let restarted = try makeCoordinator(dir)
        let v8 = await restarted.offsetFetch(OffsetFetchRequest(groups: [
            .init(groupId: "simple", topics: [.init(name: "t", partitionIndexes: [0, 2])]),
            .init(groupId: "unknown", topics: nil),
        ]), version: 8)
        try encodes(v8, version: 8)
        #expect(v8.groups.map(\.groupId) == ["simple", "unknown"])
        #expect(v8.groups[0].topics[0].partitions.map(\.committedOffset) == [10, 30])
        #expect(v8.groups[1].topics.isEmpty && v8.groups[1].errorCode == 0)
        let listed = await restarted.listGroups(ListGroupsRequest(), version: 4)
        try encodes(listed, version: 4)
        #expect(listed.groups.map(\.groupId) == ["simple"])
        #expect(listed.groups.map(\.groupState) == ["Empty"])
        await restarted.shutdown()
    }

    @Test func memberCommitsAreValidated() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let coordinator = try makeCoordinator(dir)
        let a = try await join(coordinator, client: "a")
        func commit(member: String, generation: Int32, group: String = "g", version: Int16 = 8) async -> Int16 {
            await coordinator.offsetCommit(OffsetCommitRequest(
                groupId: group, generationIdOrMemberEpoch: generation, memberId: member,
                topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 5)])]), version: version
            ).topics[0].partitions[0].errorCode
        }
        // Joined but not synced: the generation is not usable for commits yet.
        #expect(await commit(member: a.memberId, generation: 1) == KafkaErrorCode.rebalanceInProgress.rawValue)
        _ = try await sync(coordinator, a.memberId, generation: 1, assignments: [a.memberId: "all"])
        #expect(await commit(member: a.memberId, generation: 1) == 0)
        #expect(await commit(member: a.memberId, generation: 2) == KafkaErrorCode.illegalGeneration.rawValue)
        #expect(await commit(member: "other", generation: 1) == KafkaErrorCode.unknownMemberId.rawValue)
        // A simple commit to a group with members is refused.
        #expect(await commit(member: "", generation: -1) == KafkaErrorCode.unknownMemberId.rawValue)
        // A generation for a group this coordinator does not know.
        #expect(await commit(member: "m", generation: 3, group: "gone") == KafkaErrorCode.illegalGeneration.rawValue)
        #expect(await commit(member: "m", generation: 3, group: "gone", version: 9) == KafkaErrorCode.groupIdNotFound.rawValue)
        await coordinator.shutdown()
    }

    @Test func listGroupsFilters() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let coordinator = try makeCoordinator(dir)
        let a = try await join(coordinator, client: "a", group: "active")
        _ = try await sync(coordinator, a.memberId, generation: 1, assignments: [:], group: "active")
        _ = await coordinator.offsetCommit(OffsetCommitRequest(groupId: "idle", topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)]),
        ]), version: 2)
        let all = await coordinator.listGroups(ListGroupsRequest(), version: 5)
        try encodes(all, version: 5)
        #expect(all.groups.map(\.groupId) == ["active", "idle"])
        #expect(all.groups.map(\.protocolType) == ["consumer", ""])
        #expect(all.groups.map(\.groupType) == ["classic", "classic"])
        let stable = await coordinator.listGroups(ListGroupsRequest(statesFilter: ["stable"]), version: 4)
        #expect(stable.groups.map(\.groupId) == ["active"])
        let consumerType = await coordinator.listGroups(ListGroupsRequest(typesFilter: ["consumer"]), version: 5)
        #expect(consumerType.groups.isEmpty)
        let unknown = try await describe(coordinator, "never-seen")
        #expect(unknown.errorCode == 0 && unknown.groupState == "Dead")
        await coordinator.shutdown()
    }

    @Test func shutdownAnswersWaitingJoins() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // The initial delay never ends: the manual clock is not moved.
        let coordinator = try makeCoordinator(dir, initialRebalanceDelay: .seconds(30))
        async let waiting = join(coordinator, client: "a")
        try await waitUntil("the JoinGroup to wait") { try await describe(coordinator).groupState == "PreparingRebalance" }
        await coordinator.shutdown()
        #expect(try await waiting.errorCode == KafkaErrorCode.notCoordinator.rawValue)
        let late = await coordinator.joinGroup(
            JoinGroupRequest(groupId: "g", sessionTimeoutMs: 1000, protocolType: "consumer", protocols: [.init(name: "range")]),
            version: 5, clientID: "c", clientHost: "h")
        #expect(late.errorCode == KafkaErrorCode.coordinatorNotAvailable.rawValue)
    }
}
