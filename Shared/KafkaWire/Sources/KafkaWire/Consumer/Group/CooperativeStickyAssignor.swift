/// Balanced, sticky assignment with incremental cooperative rebalancing, after Java's
/// CooperativeStickyAssignor:
///
/// 1. Each member keeps the partitions it validly owns (still existing, still subscribed,
///    and not also claimed by a member of a later generation).
/// 2. Partitions nobody keeps go, in order, to the eligible member with the fewest.
/// 3. While some member has two or more partitions more than an eligible member, one moves
///    from the fuller to the emptier (the fuller's last one), so counts differ by at most one
///    when subscriptions are equal.
/// 4. Cooperative adjustment: a partition that would move from its current owner to another
///    member is withheld this generation. The owner sees it revoked, rejoins, and the next
///    rebalance hands it over, so no partition is ever owned by two members at once.
struct CooperativeStickyAssignor: PartitionAssignor {
    var name: String { "cooperative-sticky" }
    var supportsCooperative: Bool { true }

    func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        let sorted = members.sorted(by: AssignorMember.javaOrder)
        let subscriptions = Dictionary(uniqueKeysWithValues: sorted.map { ($0.memberID, Set($0.topics)) })
        let owners = currentOwners(sorted, partitionCounts: partitionCounts)

        var assignment = Dictionary(uniqueKeysWithValues: sorted.map { ($0.memberID, [TopicPartition]()) })
        for (partition, owner) in owners { assignment[owner]!.append(partition) }
        for id in assignment.keys { assignment[id]!.sort() }

        let all = Set(members.flatMap(\.topics)).sorted().flatMap { topic in
            (0..<(partitionCounts[topic] ?? 0)).map { TopicPartition(topic, $0) }
        }
        func leastLoaded(for topic: String) -> String? {
            sorted.lazy.map(\.memberID).filter { subscriptions[$0]!.contains(topic) }
                .min { assignment[$0]!.count < assignment[$1]!.count }
        }
        for partition in all where owners[partition] == nil {
            if let member = leastLoaded(for: partition.topic) { assignment[member]!.append(partition) }
        }
        balance(&assignment, order: sorted.map(\.memberID), subscriptions: subscriptions)

        // Withhold partitions changing owner until their owner has revoked them.
        for (member, partitions) in assignment {
            assignment[member] = partitions.filter { owners[$0] == nil || owners[$0] == member }.sorted()
        }
        return assignment
    }

    /// Who validly owns each partition now. Of two claims, the later generation wins; on a
    /// tie the first member in order keeps it (Java resolves the same conflict this way).
    private func currentOwners(_ members: [AssignorMember], partitionCounts: [String: Int32]) -> [TopicPartition: String] {
        var owners: [TopicPartition: (member: String, generation: Int32)] = [:]
        for member in members {
            let topics = Set(member.topics)
            for partition in member.ownedPartitions {
                guard topics.contains(partition.topic), let count = partitionCounts[partition.topic],
                    partition.partition >= 0, partition.partition < count
                else { continue }
                if let existing = owners[partition], existing.generation >= member.generation { continue }
                owners[partition] = (member.memberID, member.generation)
            }
        }
        return owners.mapValues(\.member)
    }

    /// Moves partitions from the fullest member to the emptiest eligible one until no move
    /// can narrow a gap of two or more. Each move strictly lowers the sum of squared counts,
    /// so this terminates.
    private func balance(_ assignment: inout [String: [TopicPartition]], order: [String], subscriptions: [String: Set<String>]) {
        while true {
            var moved = false
            let byLoad = order.sorted { (assignment[$0]!.count, $0) > (assignment[$1]!.count, $1) }
            search: for donor in byLoad {
                for receiver in byLoad.reversed() where assignment[donor]!.count - assignment[receiver]!.count >= 2 {
                    if let index = assignment[donor]!.lastIndex(where: { subscriptions[receiver]!.contains($0.topic) }) {
                        assignment[receiver]!.append(assignment[donor]!.remove(at: index))
                        moved = true
                        break search
                    }
                }
            }
            if !moved { return }
        }
    }
}
