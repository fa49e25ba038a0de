import KafkaProtocol
import Logging

/// Decides what to fetch, and when: learns leaders from metadata, resolves unknown
/// positions, and keeps one fetch in flight per leader broker while the prefetch buffer has
/// room. Runs until the consumer stops; wakes whenever the core signals a change.
struct ConsumerFetchLoop: Sendable {
    let cluster: KafkaCluster
    let core: ConsumerCore
    let topicIDs: TopicIDs
    let configuration: KafkaConsumerConfiguration
    let metrics: ConsumerMetrics
    let logger: Logger

    func run() async throws {
        let fetcher = ConsumerFetcher(
            cluster: cluster, core: core, topicIDs: topicIDs, configuration: configuration, metrics: metrics,
            logger: logger)
        let lookup = OffsetLookup(cluster: cluster, core: core, configuration: configuration, logger: logger)
        let backoff = configuration.client.retryBackoff
        let (answers, decode) = AsyncStream.makeStream(of: [ConsumerFetcher.Undecoded].self)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await fetcher.decodeLoop(answers) }
            var wakeups = core.wakeupStream.makeAsyncIterator()
            var refreshMetadata = false
            var nextRetry = ContinuousClock.now
            // One timer per backoff period at most: it only wakes the loop.
            func retryLater() {
                guard ContinuousClock.now >= nextRetry else { return }
                nextRetry = .now + backoff
                group.addTask {
                    try await Task.sleep(for: backoff)
                    core.wake()
                }
            }
            while !Task.isCancelled && !core.isStopRequested {
                let leaderless = core.readPositions { $0.withoutLeader }
                if !leaderless.isEmpty {
                    if !(await learnLeaders(Set(leaderless.map(\.topic)), refresh: refreshMetadata)) { retryLater() }
                    refreshMetadata = true
                }
                if !(try await lookup.resolvePending()) { retryLater() }

                if core.hasRoom {
                    for (node, items) in core.readPositions({ $0.fetchableByLeader }) where core.beginFetch(node: node, partitions: items) {
                        group.addTask {
                            defer { core.endFetch(node: node) }
                            if try await fetcher.fetch(node: node, partitions: items, decode: decode) {
                                cluster.invalidateMetadata()
                            }
                        }
                    }
                }
                _ = await wakeups.next()
            }
            decode.finish()
            group.cancelAll()
        }
    }

    /// Sets the leaders of assigned partitions from metadata; false when some are still unknown.
    private func learnLeaders(_ topics: Set<String>, refresh: Bool) async -> Bool {
        let metadata: ClusterMetadata
        do {
            metadata = try await cluster.metadata(for: topics.sorted(), refresh: refresh)
        } catch {
            logger.debug("Metadata failed", metadata: ["error": "\(error)"])
            return false
        }
        topicIDs.update(metadata)
        return core.withPositions { positions in
            for partition in positions.withoutLeader {
                guard let topic = metadata.topics[partition.topic],
                    let info = topic.partitions.first(where: { $0.index == partition.partition }),
                    info.error == .none || info.error == .replicaNotAvailable, info.leader >= 0
                else { continue }
                positions.setLeader(partition, node: info.leader, leaderEpoch: info.leaderEpoch)
            }
            return positions.withoutLeader.isEmpty
        }
    }
}
