import KafkaProtocol

extension KafkaAdmin {
    /// Creates topics; the result says, per topic, whether it was created.
    public func createTopics(_ topics: [NewTopic], timeout: Duration = .seconds(30), validateOnly: Bool = false) async throws -> [TopicResult] {
        try await measured("CreateTopics") {
            try await cluster.retrying("CreateTopics") {
                let connection = try await cluster.connection(to: controller())
                let version = try connection.versions.version(for: .createTopics)
                let request = CreateTopicsRequest(
                    topics: topics.map { topic in
                        CreateTopicsRequest.CreatableTopic(
                            name: topic.name, numPartitions: topic.partitions, replicationFactor: topic.replicationFactor,
                            configs: topic.configs.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
                    },
                    timeoutMs: Int32(timeout.components.seconds * 1000), validateOnly: validateOnly)
                let response = try await connection.send(request, version: version)
                let results = response.topics.map { topic in
                    TopicResult(name: topic.name, error: KafkaError(
                        brokerCode: topic.errorCode, "create topic \(topic.name)\(topic.errorMessage.map { " (\($0))" } ?? "")"))
                }
                try Self.throwIfControllerMoved(results)
                return results
            }
        }
    }

    /// Creates one topic, throwing when the broker refuses it.
    public func createTopic(_ topic: NewTopic) async throws {
        let results = try await createTopics([topic])
        if let error = results.first(where: { $0.name == topic.name })?.error { throw error }
    }

    /// Deletes topics; the result says, per topic, whether it was deleted.
    public func deleteTopics(_ names: [String], timeout: Duration = .seconds(30)) async throws -> [TopicResult] {
        try await measured("DeleteTopics") {
            defer { cluster.invalidateMetadata() }
            return try await cluster.retrying("DeleteTopics") {
                let connection = try await cluster.connection(to: controller())
                let version = try connection.versions.version(for: .deleteTopics)
                // v6 names topics by name or id (KIP-516); earlier versions by name only.
                let request = version >= 6
                    ? DeleteTopicsRequest(topics: names.map { .init(name: $0) }, timeoutMs: Int32(timeout.components.seconds * 1000))
                    : DeleteTopicsRequest(topicNames: names, timeoutMs: Int32(timeout.components.seconds * 1000))
                let response = try await connection.send(request, version: version)
                let results = response.responses.map { topic in
                    let name = topic.name ?? "\(topic.topicId)"
                    return TopicResult(name: name, error: KafkaError(
                        brokerCode: topic.errorCode, "delete topic \(name)\(topic.errorMessage.map { " (\($0))" } ?? "")"))
                }
                try Self.throwIfControllerMoved(results)
                return results
            }
        }
    }

    /// Every topic (internal ones too when asked), sorted by name.
    public func listTopics(includeInternal: Bool = false) async throws -> [TopicMetadata] {
        try await measured("ListTopics") {
            try await cluster.metadata(for: nil, refresh: true).topics.values
                .filter { includeInternal || !$0.isInternal }
                .sorted { $0.name < $1.name }
        }
    }

    /// Partitions and leaders of `names`, in that order; a missing topic has
    /// `error == .unknownTopicOrPartition`.
    public func describeTopics(_ names: [String]) async throws -> [TopicMetadata] {
        try await measured("DescribeTopics") {
            let metadata = try await cluster.metadata(for: names, refresh: true)
            return names.map { metadata.topics[$0] ?? TopicMetadata(name: $0, error: .unknownTopicOrPartition) }
        }
    }

    /// A topic-level NOT_CONTROLLER means our metadata is stale: retry against the new controller.
    private static func throwIfControllerMoved(_ results: [TopicResult]) throws {
        if let moved = results.first(where: { $0.error?.code == .broker(.notController) })?.error { throw moved }
    }
}
