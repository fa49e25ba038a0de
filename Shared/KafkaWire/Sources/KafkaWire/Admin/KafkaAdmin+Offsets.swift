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

    /// Looks up offsets for any set of (topic, partition, spec). Partitions whose leader moved
    /// are asked again on fresh metadata a few times; what still fails is reported in `error`.
    public func listOffsets(_ requests: [(topic: String, partition: Int32, spec: OffsetSpec)]) async throws -> [PartitionOffset] {
        try await measured("ListOffsets") {
            var results: [PartitionOffset] = []
            var pending = requests
            var lastErrors: [PartitionOffset] = []
            var delay = cluster.configuration.retryBackoff
            for attempt in 1...5 {
                let round = try await cluster.retrying("ListOffsets") { try await lookUp(pending) }
                results += round.done
                pending = round.again.map(\.request)
                lastErrors = round.again.map(\.failure)
                guard !pending.isEmpty else { break }
                guard attempt < 5 else {
                    results += lastErrors
                    break
                }
                cluster.invalidateMetadata()
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(1))
            }
            return results.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        }
    }

    /// One round: the answers, and the partitions to ask again because their leader moved.
    /// A topic that metadata itself does not know is an answer, not a reason to retry.
    private func lookUp(_ requests: [(topic: String, partition: Int32, spec: OffsetSpec)]) async throws
        -> (done: [PartitionOffset], again: [(request: (topic: String, partition: Int32, spec: OffsetSpec), failure: PartitionOffset)])
    {
        let metadata = try await cluster.metadata(for: Array(Set(requests.map(\.topic))))
        var byLeader: [Int32: [(topic: String, partition: Int32, spec: OffsetSpec)]] = [:]
        var done: [PartitionOffset] = []
        var again: [(request: (topic: String, partition: Int32, spec: OffsetSpec), failure: PartitionOffset)] = []
        for request in requests {
            switch Self.leader(of: request.topic, request.partition, in: metadata) {
            case .success(let leader):
                byLeader[leader, default: []].append(request)
            case .failure(let error):
                let failure = PartitionOffset(topic: request.topic, partition: request.partition, offset: -1, timestamp: -1, leaderEpoch: -1, error: error)
                if error == .leaderNotAvailable { again.append((request, failure)) } else { done.append(failure) }
            }
        }
        let answers = try await withThrowingTaskGroup(of: [PartitionOffset].self) { group in
            for (leader, requests) in byLeader {
                group.addTask { try await self.listOffsets(requests, leader: leader) }
            }
            return try await group.reduce(into: [PartitionOffset]()) { $0 += $1 }
        }
        for answer in answers {
            if answer.error.isRetriable, let request = requests.first(where: { $0.topic == answer.topic && $0.partition == answer.partition }) {
                again.append((request, answer))
            } else {
                done.append(answer)
            }
        }
        return (done, again)
    }

    /// The partition's leader, or why there is none: the topic's own error, a partition the
    /// topic does not have, or (retriable) a leader election under way.
    private static func leader(of topic: String, _ partition: Int32, in metadata: ClusterMetadata) -> Result<Int32, KafkaErrorCode> {
        guard let described = metadata.topics[topic] else { return .failure(.unknownTopicOrPartition) }
        guard described.error == .none else { return .failure(described.error) }
        guard let found = described.partitions.first(where: { $0.index == partition }) else { return .failure(.unknownTopicOrPartition) }
        return found.leader >= 0 ? .success(found.leader) : .failure(.leaderNotAvailable)
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
