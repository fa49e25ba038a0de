/// Java's RoundRobinAssignor: every partition of every subscribed topic, sorted by topic and
/// partition, dealt to the members in MemberInfo order, skipping members not subscribed to
/// the partition's topic.
struct RoundRobinAssignor: PartitionAssignor {
    var name: String { "roundrobin" }
    var supportsCooperative: Bool { false }

    func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result = Dictionary(uniqueKeysWithValues: members.map { ($0.memberID, [TopicPartition]()) })
        let sorted = members.sorted(by: AssignorMember.javaOrder)
        guard !sorted.isEmpty else { return result }
        let topics = Set(members.flatMap(\.topics)).sorted()
        var next = 0
        for topic in topics {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            for partition in 0..<count {
                // Some member is subscribed: the topic came from a member's list.
                while !sorted[next % sorted.count].topics.contains(topic) { next += 1 }
                result[sorted[next % sorted.count].memberID]!.append(TopicPartition(topic, partition))
                next += 1
            }
        }
        return result
    }
}
