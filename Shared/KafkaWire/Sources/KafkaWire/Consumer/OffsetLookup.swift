import KafkaProtocol
import Logging

/// Resolves positions the consumer does not know yet: ListOffsets at the partition leaders
/// (beginning, end, by timestamp) and OffsetFetch at the group coordinator (committed).
struct OffsetLookup: Sendable {
    let cluster: KafkaCluster
    let core: ConsumerCore
    let configuration: KafkaConsumerConfiguration
    let logger: Logger

    /// Resolves every pending position it can; returns false when some lookup failed and
    /// should be retried after a backoff.
    func resolvePending() async throws -> Bool {
        let pending = core.readPositions { $0.needingLookup }
        guard !pending.isEmpty else { return true }
        var ok = true
        let committed = pending.filter { $0.position == .committed }
        if !committed.isEmpty {
            ok = try await resolveCommitted(committed.map { ($0.partition, $0.epoch) }) && ok
        }
        var byLeader: [Int32: [(TopicPartition, UInt64, SeekPosition)]] = [:]
        var leaderless = false
        let leaders = core.readPositions { positions in
            Dictionary(uniqueKeysWithValues: pending.map { ($0.partition, positions.partitions[$0.partition]?.leader) })
        }
        for item in pending {
            guard case .resolve(let target) = item.position else { continue }
            guard let leader = leaders[item.partition] ?? nil else {
                leaderless = true
                continue
            }
            byLeader[leader, default: []].append((item.partition, item.epoch, target))
        }
        for (leader, items) in byLeader.sorted(by: { $0.key < $1.key }) {
            ok = await listOffsets(at: leader, items) && ok
        }
        return ok && !leaderless
    }

    private func listOffsets(at leader: Int32, _ items: [(TopicPartition, UInt64, SeekPosition)]) async -> Bool {
        var request = ListOffsetsRequest()
        request.replicaId = -1
        var byTopic: [String: [ListOffsetsRequest.ListOffsetsPartition]] = [:]
        for (partition, _, target) in items {
            byTopic[partition.topic, default: []].append(
                ListOffsetsRequest.ListOffsetsPartition(
                    partitionIndex: partition.partition, timestamp: target.listOffsetsTimestamp ?? -1, maxNumOffsets: 1))
        }
        request.topics = byTopic.keys.sorted().map { ListOffsetsRequest.ListOffsetsTopic(name: $0, partitions: byTopic[$0]!) }
        let response: ListOffsetsResponse
        do {
            response = try await cluster.send(request, to: leader)
        } catch {
            logger.debug("ListOffsets failed", metadata: ["kafka.node_id": "\(leader)", "error": "\(error)"])
            for (partition, _, _) in items { core.withPositions { $0.forgetLeader(partition) } }
            return false
        }
        var ok = true
        for topic in response.topics {
            for answer in topic.partitions {
                let key = TopicPartition(topic.name, answer.partitionIndex)
                guard let (_, epoch, target) = items.first(where: { $0.0 == key }) else { continue }
                let code = KafkaErrorCode(rawValue: answer.errorCode)
                guard code == .none else {
                    logger.debug("ListOffsets error", metadata: ["kafka.partition": "\(key)", "error": "\(code)"])
                    core.withPositions { $0.forgetLeader(key) }
                    ok = false
                    continue
                }
                // Version 0 answers in oldStyleOffsets.
                let offset = answer.offset >= 0 ? answer.offset : answer.oldStyleOffsets.first ?? -1
                if offset >= 0 {
                    core.withPositions { $0.resolved(key, epoch: epoch, offset: offset) }
                } else if case .timestamp = target.base {
                    // No record at or after the timestamp: start at the end, as Java's seek does.
                    core.withPositions { $0.fallBack(key, epoch: epoch, to: .end) }
                    ok = false
                } else {
                    ok = false
                }
            }
        }
        return ok
    }

    /// Committed offsets of the group; partitions without one fall back to the reset policy.
    private func resolveCommitted(_ items: [(TopicPartition, UInt64)]) async throws -> Bool {
        guard let groupID = configuration.consumption.groupID else {
            let reset = configuration.autoOffsetReset.seekPosition ?? .end
            for (partition, epoch) in items { core.withPositions { $0.fallBack(partition, epoch: epoch, to: reset) } }
            return true
        }
        let committed: [TopicPartition: Int64]
        do {
            committed = try await GroupOffsets(cluster: cluster, groupID: groupID).fetch(items.map(\.0))
        } catch let error as KafkaError where error.isRetriable {
            logger.debug("OffsetFetch failed", metadata: ["kafka.group": "\(groupID)", "error": "\(error)"])
            return false
        }
        for (partition, epoch) in items {
            if let offset = committed[partition], offset >= 0 {
                core.withPositions { positions in
                    positions.resolved(partition, epoch: epoch, offset: offset)
                    positions.setCommitted(partition, offset)
                }
            } else if let reset = configuration.autoOffsetReset.seekPosition {
                core.withPositions { $0.fallBack(partition, epoch: epoch, to: reset) }
            } else {
                throw KafkaError(.broker(.offsetOutOfRange), "\(partition) has no committed offset and auto.offset.reset is none")
            }
        }
        return true
    }
}
