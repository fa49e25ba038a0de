import KafkaProtocol

/// Committed offsets at the group coordinator: OffsetFetch and OffsetCommit, each retried
/// once after the coordinator moved (NOT_COORDINATOR and the like).
struct GroupOffsets: Sendable {
    let cluster: KafkaCluster
    let groupID: String

    /// The member a commit is made for; a commit outside the current generation is refused.
    struct Member: Hashable, Sendable {
        var generation: Int32
        var memberID: String
        var groupInstanceID: String?
    }

    /// Committed offsets (-1 for none) of `partitions`.
    func fetch(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        try await withCoordinator { coordinator in
            let connection = try await cluster.connection(to: KafkaCluster.coordinatorSlot(coordinator))
            let version = try connection.versions.version(for: .offsetFetch)
            let grouped = ConsumerProtocol.group(partitions)
            var request = OffsetFetchRequest()
            if version >= 8 {
                request.groups = [
                    OffsetFetchRequest.OffsetFetchRequestGroup(
                        groupId: groupID,
                        topics: grouped.map { OffsetFetchRequest.OffsetFetchRequestTopics(name: $0.topic, partitionIndexes: $0.partitions) })
                ]
            } else {
                request.groupId = groupID
                request.topics = grouped.map { OffsetFetchRequest.OffsetFetchRequestTopic(name: $0.topic, partitionIndexes: $0.partitions) }
            }
            let response = try await connection.send(request, version: version)
            var result: [TopicPartition: Int64] = [:]
            if version >= 8 {
                guard let group = response.groups.first(where: { $0.groupId == groupID }) else {
                    throw KafkaError(.protocolViolation, "OffsetFetch answer without group \(groupID)")
                }
                try Self.check(group.errorCode, "OffsetFetch")
                for topic in group.topics {
                    for partition in topic.partitions {
                        try Self.check(partition.errorCode, "OffsetFetch \(topic.name)-\(partition.partitionIndex)")
                        result[TopicPartition(topic.name, partition.partitionIndex)] = partition.committedOffset
                    }
                }
            } else {
                try Self.check(response.errorCode, "OffsetFetch")
                for topic in response.topics {
                    for partition in topic.partitions {
                        try Self.check(partition.errorCode, "OffsetFetch \(topic.name)-\(partition.partitionIndex)")
                        result[TopicPartition(topic.name, partition.partitionIndex)] = partition.committedOffset
                    }
                }
            }
            return result
        }
    }

    /// Commits `offsets` (the next offset to consume per partition) for `member`.
    func commit(_ offsets: [TopicPartition: Int64], member: Member?) async throws {
        guard !offsets.isEmpty else { return }
        var request = OffsetCommitRequest()
        request.groupId = groupID
        request.generationIdOrMemberEpoch = member?.generation ?? -1
        request.memberId = member?.memberID ?? ""
        request.groupInstanceId = member?.groupInstanceID
        request.retentionTimeMs = -1
        request.topics = ConsumerProtocol.group(Array(offsets.keys)).map { topic in
            OffsetCommitRequest.OffsetCommitRequestTopic(
                name: topic.topic,
                partitions: topic.partitions.map {
                    OffsetCommitRequest.OffsetCommitRequestPartition(
                        partitionIndex: $0, committedOffset: offsets[TopicPartition(topic.topic, $0)]!, committedMetadata: "")
                })
        }
        try await withCoordinator { coordinator in
            let response = try await cluster.send(request, to: KafkaCluster.coordinatorSlot(coordinator))
            for topic in response.topics {
                for partition in topic.partitions {
                    try Self.check(partition.errorCode, "OffsetCommit \(topic.name)-\(partition.partitionIndex)")
                }
            }
        }
    }

    private static func check(_ raw: Int16, _ context: @autoclosure () -> String) throws {
        if let error = KafkaError(brokerCode: raw, context()) { throw error }
    }

    private func withCoordinator<T>(_ body: (Int32) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let coordinator = try await cluster.coordinator(forGroup: groupID)
            do {
                return try await body(coordinator)
            } catch let error as KafkaError where attempt < 3 && Self.coordinatorMoved(error) {
                cluster.invalidateCoordinator(forGroup: groupID)
                try await Task.sleep(for: cluster.configuration.retryBackoff)
            }
        }
    }

    static func coordinatorMoved(_ error: KafkaError) -> Bool {
        if let code = error.code.brokerCode {
            return [.notCoordinator, .coordinatorNotAvailable, .coordinatorLoadInProgress].contains(code)
        }
        return error.code == .connectionClosed || error.code == .connectionFailed
    }
}
