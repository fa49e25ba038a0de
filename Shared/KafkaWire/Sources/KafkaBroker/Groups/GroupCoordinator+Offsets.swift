#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KafkaProtocol
import NIOCore

// OffsetCommit (v0-v9) and OffsetFetch (v0-v9).
extension GroupCoordinator {
    /// OffsetCommit. A commit with generation -1 and no member id (v0 has neither) is a
    /// "simple" commit, accepted while the group has no members and creating the group if
    /// needed; any other commit must come from a current member of the current generation.
    /// Offsets are durable (fsync) before the response. Per partition: UNKNOWN_TOPIC_OR_PARTITION
    /// for partitions the broker does not have, OFFSET_METADATA_TOO_LARGE past
    /// `maxOffsetMetadataBytes`.
    public func offsetCommit(_ request: OffsetCommitRequest, version: Int16) async -> OffsetCommitResponse {
        let groupError = validateCommit(request, version: version)
        let now = Self.wallClockMilliseconds()
        var errors: [OffsetStore.TopicPartition: KafkaErrorCode] = [:]
        var accepted: [OffsetStore.TopicPartition: OffsetStore.CommittedOffset] = [:]
        for topic in request.topics {
            for partition in topic.partitions {
                let key = OffsetStore.TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                if !partitionExists(topic.name, partition.partitionIndex) {
                    errors[key] = .unknownTopicOrPartition
                } else if let groupError {
                    errors[key] = groupError
                } else if (partition.committedMetadata?.utf8.count ?? 0) > configuration.maxOffsetMetadataBytes {
                    errors[key] = .offsetMetadataTooLarge
                } else {
                    accepted[key] = OffsetStore.CommittedOffset(
                        offset: partition.committedOffset,
                        leaderEpoch: version >= 6 ? partition.committedLeaderEpoch : -1,
                        metadata: partition.committedMetadata ?? "",
                        // Only v1 lets the client set the commit time.
                        commitTimestamp: version == 1 && partition.commitTimestamp >= 0 ? partition.commitTimestamp : now)
                }
            }
        }
        if !accepted.isEmpty {
            do {
                try await offsetStore.commit(group: request.groupId, offsets: accepted)
            } catch {
                logger.error("Storing committed offsets failed", metadata: [
                    "kafka.group": "\(request.groupId)", "error": "\(error)",
                ])
                for key in accepted.keys { errors[key] = .coordinatorNotAvailable }
            }
        }
        return OffsetCommitResponse(topics: request.topics.map { topic in
            OffsetCommitResponse.OffsetCommitResponseTopic(name: topic.name, partitions: topic.partitions.map { partition in
                let key = OffsetStore.TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                return OffsetCommitResponse.OffsetCommitResponsePartition(
                    partitionIndex: partition.partitionIndex, errorCode: (errors[key] ?? .none).rawValue)
            })
        })
    }

    private func validateCommit(_ request: OffsetCommitRequest, version: Int16) -> KafkaErrorCode? {
        guard isActive else { return .coordinatorNotAvailable }
        let generationID = version >= 1 ? request.generationIdOrMemberEpoch : -1
        let memberID = version >= 1 ? request.memberId : ""
        let groupInstanceID = version >= 7 ? request.groupInstanceId : nil
        if existingGroup(request.groupId) == nil && generationID >= 0 {
            // A member of a group we do not know (a generation from before a restart, say).
            return version >= 9 ? .groupIdNotFound : .illegalGeneration
        }
        let error = update(request.groupId) { machine in
            (machine.validateOffsetCommit(memberID: memberID, groupInstanceID: groupInstanceID, generationID: generationID, now: clock.now()), [])
        }
        return error?.code
    }

    /// OffsetFetch. v0-v7 ask for one group, v8+ for several. Null topics (v2+) means every
    /// committed offset of the group. Partitions without a commit answer offset -1. v0-v1 have
    /// no top-level error code, so group errors go on every partition.
    public func offsetFetch(_ request: OffsetFetchRequest, version: Int16) async -> OffsetFetchResponse {
        var response = OffsetFetchResponse()
        if version >= 8 {
            response.groups = request.groups.map { group in
                let (error, topics) = fetchOffsets(
                    group: group.groupId, topics: group.topics?.map { ($0.name, $0.partitionIndexes) }, version: version)
                return OffsetFetchResponse.OffsetFetchResponseGroup(
                    groupId: group.groupId,
                    topics: topics.map { topic in
                        OffsetFetchResponse.OffsetFetchResponseTopics(name: topic.name, partitions: topic.partitions.map {
                            OffsetFetchResponse.OffsetFetchResponsePartitions(
                                partitionIndex: $0.index, committedOffset: $0.offset?.offset ?? -1,
                                committedLeaderEpoch: $0.offset?.leaderEpoch ?? -1, metadata: $0.offset?.metadata ?? "",
                                errorCode: $0.error.rawValue)
                        })
                    },
                    errorCode: error.rawValue)
            }
            return response
        }
        var (error, topics) = fetchOffsets(
            group: request.groupId, topics: request.topics?.map { ($0.name, $0.partitionIndexes) }, version: version)
        if version >= 2 {
            response.errorCode = error.rawValue
        } else if error != .none {
            for t in topics.indices {
                for p in topics[t].partitions.indices { topics[t].partitions[p].error = error }
            }
        }
        response.topics = topics.map { topic in
            OffsetFetchResponse.OffsetFetchResponseTopic(name: topic.name, partitions: topic.partitions.map {
                OffsetFetchResponse.OffsetFetchResponsePartition(
                    partitionIndex: $0.index, committedOffset: $0.offset?.offset ?? -1,
                    committedLeaderEpoch: $0.offset?.leaderEpoch ?? -1, metadata: $0.offset?.metadata ?? "",
                    errorCode: $0.error.rawValue)
            })
        }
        return response
    }

    private struct FetchedTopic {
        struct Partition {
            var index: Int32
            var offset: OffsetStore.CommittedOffset?
            var error: KafkaErrorCode = .none
        }

        var name: String
        var partitions: [Partition]
    }

    /// One group's offsets: the requested partitions, or all committed ones when `topics` is nil.
    private func fetchOffsets(group: String, topics: [(String, [Int32])]?, version: Int16) -> (KafkaErrorCode, [FetchedTopic]) {
        guard isActive else {
            let requested = (topics ?? []).map { name, partitions in
                FetchedTopic(name: name, partitions: partitions.map { .init(index: $0, offset: nil) })
            }
            return (.coordinatorNotAvailable, version >= 2 ? [] : requested)
        }
        let committed = offsetStore.offsets(group: group)
        guard let topics else {
            var byTopic: [String: [FetchedTopic.Partition]] = [:]
            for (key, offset) in committed {
                byTopic[key.topic, default: []].append(.init(index: key.partition, offset: offset))
            }
            return (.none, byTopic.keys.sorted().map { name in
                FetchedTopic(name: name, partitions: byTopic[name]!.sorted { $0.index < $1.index })
            })
        }
        return (.none, topics.map { name, partitions in
            FetchedTopic(name: name, partitions: partitions.map { index in
                var partition = FetchedTopic.Partition(
                    index: index, offset: committed[OffsetStore.TopicPartition(topic: name, partition: index)])
                // v0 read ZooKeeper in Kafka, which answered unknown partitions with an error.
                if version == 0 && partition.offset == nil && !partitionExists(name, index) {
                    partition.error = .unknownTopicOrPartition
                }
                return partition
            })
        })
    }

    static func wallClockMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
