import KafkaProtocol
import Logging
import NIOCore

/// Sends one Fetch to one broker and applies the answer to the consumer core: records to
/// the buffer, positions forward, leader errors to metadata refreshes, OFFSET_OUT_OF_RANGE
/// to the reset policy.
struct ConsumerFetcher: Sendable {
    let cluster: KafkaCluster
    let core: ConsumerCore
    let topicIDs: TopicIDs
    let configuration: KafkaConsumerConfiguration
    let metrics: ConsumerMetrics
    let logger: Logger

    /// One partition's records from an answer, waiting for the decoder.
    struct Undecoded: Sendable {
        var item: FetchPositions.Fetchable
        var records: ByteBuffer
    }

    /// Returns whether metadata should be refreshed (a leader moved or the broker failed).
    /// Records go to `decode` undecoded: positions move on first, so the next fetch is on
    /// the wire while these records are decompressed and parsed.
    func fetch(
        node: Int32, partitions: [FetchPositions.Fetchable], decode: AsyncStream<[Undecoded]>.Continuation
    ) async throws -> Bool {
        let response: FetchResponse
        let version: Int16
        do {
            let connection = try await cluster.connection(to: node)
            version = try fetchVersion(connection.versions, topics: Set(partitions.map(\.partition.topic)))
            metrics.fetches.increment()
            response = try await connection.send(request(for: partitions, version: version), version: version)
        } catch let error as KafkaError where error.isRetriable || error.code == .cancelled {
            metrics.fetchFailures.increment()
            logger.debug("Fetch failed", metadata: ["kafka.node_id": "\(node)", "error": "\(error)"])
            for item in partitions {
                core.withPositions { positions in
                    positions.fetchCompleted(item.partition, epoch: item.epoch, next: nil)
                    positions.forgetLeader(item.partition)
                }
            }
            return true
        }
        var byPartition = Dictionary(uniqueKeysWithValues: partitions.map { ($0.partition, $0) })
        var refresh = false
        var undecoded: [Undecoded] = []
        let topLevel = KafkaErrorCode(rawValue: response.errorCode)
        if topLevel != .none {
            logger.debug("Fetch answered with an error", metadata: ["kafka.node_id": "\(node)", "error": "\(topLevel)"])
        } else {
            for topic in response.responses {
                let name = version >= 13 ? topicIDs.name(of: topic.topicId) : topic.topic
                guard let name else { continue }
                for data in topic.partitions {
                    let key = TopicPartition(name, data.partitionIndex)
                    guard let item = byPartition.removeValue(forKey: key) else { continue }
                    refresh = try apply(data, to: item, undecoded: &undecoded) || refresh
                }
            }
        }
        // Partitions the broker left out: fetch them again next time.
        for item in byPartition.values {
            core.withPositions { _ = $0.fetchCompleted(item.partition, epoch: item.epoch, next: nil) }
        }
        if !undecoded.isEmpty { decode.yield(undecoded) }
        return refresh
    }

    private func apply(
        _ data: FetchResponse.PartitionData, to item: FetchPositions.Fetchable, undecoded: inout [Undecoded]
    ) throws -> Bool {
        let code = KafkaErrorCode(rawValue: data.errorCode)
        switch code {
        case .none:
            // Every answer says where the partition ends, an empty one too.
            let watermarks = data.highWatermark >= 0
                ? PartitionWatermarks(
                    highWatermark: data.highWatermark, logStartOffset: data.logStartOffset,
                    lastStableOffset: data.lastStableOffset)
                : nil
            guard let records = data.records, records.readableBytes > 0 else {
                core.withPositions { _ = $0.fetchCompleted(item.partition, epoch: item.epoch, next: nil, watermarks: watermarks) }
                return false
            }
            let next: Int64?
            do {
                next = try FetchedRecordsDecoder.nextOffset(records, fetchOffset: item.offset)
            } catch {
                throw KafkaError(.protocolViolation, "\(item.partition) at offset \(item.offset): \(error)")
            }
            if core.fetched(item.partition, epoch: item.epoch, next: next, watermarks: watermarks, bytes: records.readableBytes) {
                undecoded.append(Undecoded(item: item, records: records))
            }
            return false
        case .offsetOutOfRange:
            let reset = configuration.autoOffsetReset.seekPosition
            logger.info(
                "Offset out of range",
                metadata: ["kafka.partition": "\(item.partition)", "kafka.offset": "\(item.offset)",
                           "kafka.reset": "\(configuration.autoOffsetReset)"])
            core.withPositions { $0.outOfRange(item.partition, epoch: item.epoch, reset: reset) }
            if reset == nil {
                core.finish(KafkaError(.broker(code), "\(item.partition) offset \(item.offset) is out of range and auto.offset.reset is none"))
            }
            return false
        case .notLeaderOrFollower, .leaderNotAvailable, .fencedLeaderEpoch, .unknownLeaderEpoch,
            .unknownTopicOrPartition, .unknownTopicId, .inconsistentTopicId, .kafkaStorageError,
            .replicaNotAvailable, .offsetNotAvailable:
            core.withPositions { positions in
                positions.fetchCompleted(item.partition, epoch: item.epoch, next: nil)
                positions.forgetLeader(item.partition)
            }
            return true
        default:
            logger.warning("Fetch error", metadata: ["kafka.partition": "\(item.partition)", "error": "\(code)"])
            core.withPositions { _ = $0.fetchCompleted(item.partition, epoch: item.epoch, next: nil) }
            return false
        }
    }

    /// The negotiated version, kept at 12 or below when a topic's id is unknown (v13+ names
    /// topics only by id).
    private func fetchVersion(_ versions: NegotiatedVersions, topics: Set<String>) throws -> Int16 {
        let highest = try versions.version(for: .fetch)
        guard highest >= 13, topics.contains(where: { topicIDs.id(of: $0) == nil }) else { return highest }
        guard let range = versions.range(for: .fetch), range.lowerBound <= 12 else {
            throw KafkaError(.unknownTopic, "no topic id known for \(topics.sorted()) and the broker needs one")
        }
        return 12
    }

    private func request(for partitions: [FetchPositions.Fetchable], version: Int16) -> FetchRequest {
        var request = FetchRequest()
        request.replicaId = -1
        request.maxWaitMs = Int32(clamping: configuration.fetchMaxWait.wholeMilliseconds)
        request.minBytes = configuration.fetchMinBytes
        request.maxBytes = configuration.fetchMaxBytes
        request.isolationLevel = 0
        request.sessionId = 0
        request.sessionEpoch = -1
        var order: [String] = []
        var byTopic: [String: [FetchRequest.FetchPartition]] = [:]
        for item in partitions {
            if byTopic[item.partition.topic] == nil { order.append(item.partition.topic) }
            byTopic[item.partition.topic, default: []].append(
                FetchRequest.FetchPartition(
                    partition: item.partition.partition, currentLeaderEpoch: item.leaderEpoch,
                    fetchOffset: item.offset, partitionMaxBytes: configuration.maxPartitionFetchBytes))
        }
        request.topics = order.map { topic in
            FetchRequest.FetchTopic(
                topic: topic, topicId: version >= 13 ? topicIDs.id(of: topic) ?? .zero : .zero, partitions: byTopic[topic]!)
        }
        return request
    }
}

extension ConsumerFetcher {
    /// Decodes fetched records in the order the answers came and queues them for the
    /// application. One decoder for all brokers keeps each partition's records in order
    /// even when its leader moves.
    func decodeLoop(_ answers: AsyncStream<[Undecoded]>) async throws {
        for await answer in answers {
            for part in answer {
                var decoded: FetchedRecordsDecoder.Decoded
                do {
                    decoded = try FetchedRecordsDecoder.decode(
                        part.records, fetchOffset: part.item.offset, verifyCRC: configuration.checkCRCs)
                } catch {
                    throw KafkaError(.protocolViolation, "\(part.item.partition) at offset \(part.item.offset): \(error)")
                }
                metrics.records.increment(by: decoded.count)
                metrics.bytes.increment(by: decoded.bytes)
                // Moved out of `decoded`, which would otherwise still share them (see `deliver`).
                var batches: [[Record]] = []
                swap(&batches, &decoded.batches)
                core.deliver(
                    FetchedChunk(
                        partition: part.item.partition, epoch: part.item.epoch, batches: consume batches,
                        byteCount: part.records.readableBytes),
                    reserved: part.records.readableBytes)
            }
        }
    }
}
