import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaWire

/// Group user data without I/O: subscription user data to the leader's assignor, the
/// assignor's per-member user data into the assignments, and back to each member.
@Suite("Group user data")
struct AssignmentUserDataTests {
    let t = (0..<6).map { TopicPartition("orders", Int32($0)) }

    /// JoinGroup members as the coordinator hands them to the leader.
    func joined(_ members: [(id: String, url: String?, owned: [TopicPartition], generation: Int32)]) throws
        -> [JoinGroupResponse.JoinGroupResponseMember]
    {
        try members.map { member in
            .init(
                memberId: member.id,
                metadata: try ConsumerProtocol.encode(
                    .init(
                        topics: ["orders"], userData: member.url.map { ByteBuffer(string: $0) },
                        ownedPartitions: member.owned, generation: member.generation)))
        }
    }

    @Test func theLeaderSeesEveryMembersUserDataOwnedPartitionsAndGeneration() throws {
        let members = try GroupAssignment.members(
            try joined([
                ("a", "http://a:8080", [t[0], t[1]], 3),
                ("b", "http://b:8080", [], 3),
                ("c", nil, [], -1),
            ])
        ).map(\.member)
        #expect(members.map(\.userData) == [ByteBuffer(string: "http://a:8080"), ByteBuffer(string: "http://b:8080"), nil])
        #expect(members[0].ownedPartitions == [t[0], t[1]])
        #expect(members[0].generation == 3)
    }

    @Test func theProviderAttachesTheOwnerMapWithoutChangingTheAssignment() throws {
        let members = [
            AssignorMember(memberID: "a", topics: ["orders"], userData: ByteBuffer(string: "http://a:8080")),
            AssignorMember(memberID: "b", topics: ["orders"], userData: ByteBuffer(string: "http://b:8080")),
        ]
        let strategy = PartitionAssignmentStrategy.cooperativeSticky.attachingUserData(OwnerMap.provider)
        #expect(strategy.name == "cooperative-sticky")
        #expect(strategy != .cooperativeSticky)
        let shares = try GroupAssignment.compute(
            protocolName: "cooperative-sticky", strategies: [.range, strategy], members: members,
            partitionCounts: ["orders": 6])
        let plain = CooperativeStickyAssignor().assign(members: members, partitionCounts: ["orders": 6])
        #expect(shares.mapValues(\.partitions) == plain)
        let maps = try shares.values.map { try #require($0.userData.flatMap(OwnerMap.init(decoding:))) }
        #expect(maps.count == 2 && maps[0] == maps[1])
        #expect(Set(maps[0].owners.keys) == Set(t))
        for (member, partitions) in plain {
            let url = member == "a" ? "http://a:8080" : "http://b:8080"
            #expect(partitions.allSatisfy { maps[0].owners[$0] == url })
        }
    }

    @Test func withheldPartitionsHaveNoOwnerWhileTheyMove() throws {
        // b joins while a owns everything: cooperative-sticky withholds what moves to b.
        let members = [
            AssignorMember(memberID: "a", topics: ["orders"], ownedPartitions: t, generation: 1, userData: ByteBuffer(string: "A")),
            AssignorMember(memberID: "b", topics: ["orders"], userData: ByteBuffer(string: "B")),
        ]
        let shares = try GroupAssignment.compute(
            protocolName: "cooperative-sticky",
            strategies: [PartitionAssignmentStrategy.cooperativeSticky.attachingUserData(OwnerMap.provider)],
            members: members, partitionCounts: ["orders": 6])
        #expect(shares["a"]?.partitions == [t[0], t[1], t[2]])
        #expect(shares["b"]?.partitions == [])
        let map = try #require(shares["b"]?.userData.flatMap(OwnerMap.init(decoding:)))
        #expect(map.owners == [t[0]: "A", t[1]: "A", t[2]: "A"])
    }

    @Test func withoutAProviderNoUserDataIsAttached() throws {
        let shares = try GroupAssignment.compute(
            protocolName: "range", strategies: [.range], members: [AssignorMember(memberID: "a", topics: ["orders"])],
            partitionCounts: ["orders": 2])
        #expect(shares == ["a": .init(partitions: [t[0], t[1]], userData: nil)])
        #expect(throws: KafkaError.self) {
            try GroupAssignment.compute(protocolName: "roundrobin", strategies: [.range], members: [], partitionCounts: [:])
        }
    }

    @Test func assignmentsCarryTheUserDataInEveryVersion() throws {
        let shares: [String: GroupAssignment.Share] = [
            "old": .init(partitions: [t[0]], userData: ByteBuffer(string: "map")),
            "new": .init(partitions: [t[1]], userData: ByteBuffer(string: "map")),
        ]
        let encoded = try GroupAssignment.encode(shares, versions: ["old": 0, "new": 3])
        for (request, memberID) in zip(encoded, ["new", "old"]) {
            #expect(request.memberId == memberID)
            #expect(try ConsumerProtocol.decodeAssignment(request.assignment) == .init(
                partitions: shares[memberID]!.partitions, userData: ByteBuffer(string: "map")))
        }
    }

    @Test func theMemberAppliesTheUserDataWithItsAssignment() {
        var machine = GroupMemberStateMachine(configuration: .init(cooperative: true, isStatic: false))
        _ = machine.start()
        _ = machine.coordinatorFound()
        var response = JoinGroupResponse()
        response.memberId = "m1"
        response.leader = "other"
        response.generationId = 2
        response.protocolName = "cooperative-sticky"
        _ = machine.joinResponse(response)
        let action = machine.syncResponse(errorCode: 0, assignment: [t[1]], userData: ByteBuffer(string: "map"))
        #expect(action == .apply(AssignmentChange(assigned: [t[1]], added: [t[1]], revoked: [], userData: ByteBuffer(string: "map"))))
    }

    @Test func aRebalanceEventWithoutAssignmentStaysComparable() {
        let received = MemberAssignment(generation: 2, memberID: "m1", partitions: [t[0]], userData: ByteBuffer(string: "x"))
        let event = RebalanceEvent(kind: .assigned, partitions: [t[0]], assignment: received)
        #expect(event != RebalanceEvent(kind: .assigned, partitions: [t[0]]))
        #expect(event.assignment?.userData == ByteBuffer(string: "x"))
    }
}
