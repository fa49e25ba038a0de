import KafkaProtocol

extension KafkaAdmin {
    /// Looks up offsets, asking each partition's leader. Every requested partition is in the
    /// result; per-partition broker errors are in `error`.
    public func listOffsets(_ spec: OffsetSpec, topic: String, partitions: [Int32]? = nil) async throws -> [PartitionOffset] {
        let metadata = try await cluster.metadata(for: [topic])
        guard let described = metadata.topics[topic], described.error == .none else {
            throw KafkaError(.unknownTopic, "topic \(topic): \(metadata.topics[topic]?.error.message ?? "not found")")
        }
        let wanted = partitions ?? described.partitions.map(\.index)
        return try await listOffsets(wanted.map { (topic, $0, spec) })
    }

    /// Looks up offsets for any set of (topic, partition, spec).
    public func listOffsets(_ requests: [(topic: String, partition: Int32, spec: OffsetSpec)]) async throws -> [PartitionOffset] {
        try await measured("ListOffsets") {
            try await cluster.retrying("ListOffsets") {
                let topics = Array(Set(requests.map(\.topic)))
                let metadata = try await cluster.metadata(for: topics)
                var byLeader: [Int32: [(topic: String, partition: Int32, spec: OffsetSpec)]] = [:]
                var results: [PartitionOffset] = []
                for request in requests {
                    let leader = metadata.topics[request.topic]?.partitions.first { $0.index == request.partition }?.leader ?? -1
                    if leader >= 0 {
                        byLeader[leader, default: []].append(request)
                    } else {
                        let error: KafkaErrorCode = metadata.topics[request.topic] == nil ? .unknownTopicOrPartition : .leaderNotAvailable
                        results.append(PartitionOffset(topic: request.topic, partition: request.partition, offset: -1, timestamp: -1, leaderEpoch: -1, error: error))
                    }
                }
                let answers = try await withThrowingTaskGroup(of: [PartitionOffset].self) { group in
                    for (leader, requests) in byLeader {
                        group.addTask { try await self.listOffsets(requests, leader: leader) }
                    }
                    return try await group.reduce(into: [PartitionOffset]()) { $0 += $1 }
                }
                results += answers
                // A moved leader: retry the whole lookup on fresh metadata.
                if let stale = results.first(where: { $0.error.isRetriable }) {
                    throw KafkaError(.broker(stale.error), "ListOffsets \(stale.topic)-\(stale.partition)")
                }
                return results.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            }
        }
    }

    private func listOffsets(_ requests: [(topic: String, partition: Int32, spec: OffsetSpec)], leader: Int32) async throws -> [PartitionOffset] {
        let connection = try await cluster.connection(to: leader)
        let version = try connection.versions.version(for: .listOffsets)
        var topics: [String: [ListOffsetsRequest.ListOffsetsPartition]] = [:]
        for request in requests {
            topics[request.topic, default: []].append(.init(partitionIndex: request.partition, timestamp: request.spec.wireValue))
        }
        // replicaId -1: a client, not a follower replica.
        let request = ListOffsetsRequest(replicaId: -1, topics: topics.map { .init(name: $0.key, partitions: $0.value) })
        let response = try await connection.send(request, version: version)
        return response.topics.flatMap { topic in
            topic.partitions.map { partition in
                // v0 answers with a list of offsets instead of one.
                let offset = version == 0 ? partition.oldStyleOffsets.first ?? -1 : partition.offset
                return PartitionOffset(topic: topic.name, partition: partition.partitionIndex, offset: offset,
                                       timestamp: partition.timestamp, leaderEpoch: partition.leaderEpoch,
                                       error: KafkaErrorCode(rawValue: partition.errorCode))
            }
        }
    }
}
