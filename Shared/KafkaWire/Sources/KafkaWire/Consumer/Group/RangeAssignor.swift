/// Java's RangeAssignor: per topic, the members subscribed to it (in MemberInfo order)
/// each get a contiguous range; the first `partitions % members` get one extra.
struct RangeAssignor: PartitionAssignor {
    var name: String { "range" }
    var supportsCooperative: Bool { false }

    func assign(members: [AssignorMember], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result = Dictionary(uniqueKeysWithValues: members.map { ($0.memberID, [TopicPartition]()) })
        let sorted = members.sorted(by: AssignorMember.javaOrder)
        let topics = Set(members.flatMap(\.topics)).sorted()
        for topic in topics {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            let consumers = sorted.filter { $0.topics.contains(topic) }
            let perConsumer = Int(count) / consumers.count
            let extra = Int(count) % consumers.count
            for (index, member) in consumers.enumerated() {
                let start = perConsumer * index + min(index, extra)
                let length = perConsumer + (index < extra ? 1 : 0)
                for partition in start..<(start + length) {
                    result[member.memberID]!.append(TopicPartition(topic, Int32(partition)))
                }
            }
        }
        return result
    }
}
