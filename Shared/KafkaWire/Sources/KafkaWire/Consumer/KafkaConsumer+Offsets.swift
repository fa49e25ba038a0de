import KafkaProtocol

extension KafkaConsumer {
    /// The partitions of `topic` (sorted); throws `.unknownTopic` when it does not exist.
    public func partitions(of topic: String) async throws -> [Int32] {
        let metadata = try await cluster.metadata(for: [topic], refresh: true)
        guard let info = metadata.topics[topic], info.error == .none, !info.partitions.isEmpty else {
            throw KafkaError(.unknownTopic, "topic \(topic) does not exist")
        }
        return info.partitions.map(\.index).sorted()
    }

    /// The high watermark of each partition: the offset the next produced record gets
    /// (Java's endOffsets).
    public func endOffsets(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        try await listOffsets(partitions, timestamp: -1)
    }

    /// The log start offset of each partition (Java's beginningOffsets).
    public func beginningOffsets(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        try await listOffsets(partitions, timestamp: -2)
    }

    private func listOffsets(_ partitions: [TopicPartition], timestamp: Int64) async throws -> [TopicPartition: Int64] {
        let metadata = try await cluster.metadata(for: Array(Set(partitions.map(\.topic))), refresh: true)
        var byLeader: [Int32: [TopicPartition]] = [:]
        for partition in partitions {
            guard let leader = metadata.topics[partition.topic]?.partitions.first(where: { $0.index == partition.partition })?.leader,
                leader >= 0
            else { throw KafkaError(.broker(.leaderNotAvailable), "no leader for \(partition)") }
            byLeader[leader, default: []].append(partition)
        }
        var result: [TopicPartition: Int64] = [:]
        for (leader, owned) in byLeader {
            var request = ListOffsetsRequest()
            request.replicaId = -1
            request.topics = ConsumerProtocol.group(owned).map { topic in
                ListOffsetsRequest.ListOffsetsTopic(
                    name: topic.topic,
                    partitions: topic.partitions.map { .init(partitionIndex: $0, timestamp: timestamp, maxNumOffsets: 1) })
            }
            let response = try await cluster.send(request, to: leader)
            for topic in response.topics {
                for answer in topic.partitions {
                    if let error = KafkaError(brokerCode: answer.errorCode, "ListOffsets \(topic.name)-\(answer.partitionIndex)") {
                        throw error
                    }
                    result[TopicPartition(topic.name, answer.partitionIndex)] =
                        answer.offset >= 0 ? answer.offset : answer.oldStyleOffsets.first ?? -1
                }
            }
        }
        return result
    }
}
