import Testing

@testable import KafkaWire

/// Golden cases for the assignors; the range and round-robin ones are the examples of Java's
/// RangeAssignor and RoundRobinAssignor documentation.
@Suite("Partition assignors")
struct AssignorTests {
    func tp(_ topic: String, _ partitions: Int32...) -> [TopicPartition] {
        partitions.map { TopicPartition(topic, $0) }
    }

    func member(_ id: String, _ topics: [String], owned: [TopicPartition] = [], generation: Int32 = -1) -> AssignorMember {
        AssignorMember(memberID: id, groupInstanceID: nil, topics: topics, ownedPartitions: owned, generation: generation)
    }

    @Test func rangeSplitsEachTopicIntoContiguousRanges() {
        let result = RangeAssignor().assign(
            members: [member("C1", ["t0", "t1"]), member("C0", ["t0", "t1"])], partitionCounts: ["t0": 3, "t1": 3])
        #expect(result["C0"] == tp("t0", 0, 1) + tp("t1", 0, 1))
        #expect(result["C1"] == tp("t0", 2) + tp("t1", 2))
    }

    @Test func rangeGivesExtrasToTheFirstMembersAndSkipsUnknownTopics() {
        let result = RangeAssignor().assign(
            members: [member("a", ["t", "missing"]), member("b", ["t"]), member("c", ["t"])], partitionCounts: ["t": 7])
        #expect(result["a"] == tp("t", 0, 1, 2))
        #expect(result["b"] == tp("t", 3, 4))
        #expect(result["c"] == tp("t", 5, 6))
    }

    @Test func staticMembersSortByInstanceIDFirst() {
        var first = member("z-member", ["t"])
        first.groupInstanceID = "instance-a"
        let result = RangeAssignor().assign(members: [member("a-member", ["t"]), first], partitionCounts: ["t": 2])
        #expect(result["z-member"] == tp("t", 0))
        #expect(result["a-member"] == tp("t", 1))
    }

    @Test func roundRobinDealsAllPartitionsInTurn() {
        let result = RoundRobinAssignor().assign(
            members: [member("C0", ["t0", "t1"]), member("C1", ["t0", "t1"])], partitionCounts: ["t0": 3, "t1": 3])
        #expect(result["C0"] == tp("t0", 0, 2) + tp("t1", 1))
        #expect(result["C1"] == tp("t0", 1) + tp("t1", 0, 2))
    }

    @Test func roundRobinSkipsMembersNotSubscribed() {
        let result = RoundRobinAssignor().assign(
            members: [member("C0", ["t0"]), member("C1", ["t0", "t1"]), member("C2", ["t0", "t1", "t2"])],
            partitionCounts: ["t0": 1, "t1": 2, "t2": 3])
        #expect(result["C0"] == tp("t0", 0))
        #expect(result["C1"] == tp("t1", 0))
        #expect(result["C2"] == tp("t1", 1) + tp("t2", 0, 1, 2))
    }

    @Test func stickyBalancesAFreshGroup() {
        let result = CooperativeStickyAssignor().assign(
            members: [member("a", ["t"]), member("b", ["t"]), member("c", ["t"])], partitionCounts: ["t": 7])
        #expect(result["a"] == tp("t", 0, 3, 6))
        #expect(result["b"] == tp("t", 1, 4))
        #expect(result["c"] == tp("t", 2, 5))
    }

    @Test func cooperativeStickyMovesPartitionsInTwoRebalances() {
        let assignor = CooperativeStickyAssignor()
        // b joins while a owns everything: a keeps half, the other half is withheld.
        let first = assignor.assign(
            members: [member("a", ["t"], owned: tp("t", 0, 1, 2, 3, 4, 5), generation: 1), member("b", ["t"])],
            partitionCounts: ["t": 6])
        #expect(first["a"] == tp("t", 0, 1, 2))
        #expect(first["b"] == [])
        // a revoked 3, 4, 5 and rejoined: now b gets them.
        let second = assignor.assign(
            members: [member("a", ["t"], owned: tp("t", 0, 1, 2), generation: 2), member("b", ["t"], generation: 2)],
            partitionCounts: ["t": 6])
        #expect(second["a"] == tp("t", 0, 1, 2))
        #expect(second["b"] == tp("t", 3, 4, 5))
    }

    @Test func stickyKeepsOwnersWhenAMemberLeaves() {
        let result = CooperativeStickyAssignor().assign(
            members: [
                member("a", ["t"], owned: tp("t", 0, 1), generation: 3),
                member("c", ["t"], owned: tp("t", 4, 5), generation: 3),
            ],
            partitionCounts: ["t": 6])
        #expect(result["a"] == tp("t", 0, 1, 2))
        #expect(result["c"] == tp("t", 3, 4, 5))
    }

    @Test func stickyResolvesDoubleClaimsByGenerationAndDropsStaleOwnership() {
        let result = CooperativeStickyAssignor().assign(
            members: [
                member("a", ["t"], owned: tp("t", 0), generation: 1),
                member("b", ["t"], owned: tp("t", 0, 1) + [TopicPartition("gone", 0), TopicPartition("t", 9)], generation: 2),
            ],
            partitionCounts: ["t": 2])
        // b's later generation wins partition 0; the move of 1 or 0 to a is withheld.
        #expect(result["b"]!.contains(TopicPartition("t", 0)))
        #expect(result["a"] == [])
        #expect(Set(result["b"]!).isSubset(of: Set(tp("t", 0, 1))))
    }

    @Test func everyAssignorCoversEachPartitionExactlyOnce() {
        let members = (0..<4).map { member("m\($0)", ["x", "y"]) }
        let counts: [String: Int32] = ["x": 6, "y": 5]
        for strategy in [PartitionAssignmentStrategy.range, .roundRobin, .cooperativeSticky] {
            let result = strategy.assignor.assign(members: members, partitionCounts: counts)
            let all = result.values.flatMap { $0 }
            #expect(all.count == 11, "\(strategy)")
            #expect(Set(all) == Set(tp("x", 0, 1, 2, 3, 4, 5) + tp("y", 0, 1, 2, 3, 4)), "\(strategy)")
        }
        let sticky = CooperativeStickyAssignor().assign(members: members, partitionCounts: counts)
        #expect(sticky.values.map(\.count).max()! - sticky.values.map(\.count).min()! <= 1)
    }
}
