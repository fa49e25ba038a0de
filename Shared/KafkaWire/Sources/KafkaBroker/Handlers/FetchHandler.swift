import KafkaProtocol
import NIOCore

// Fetch v4-v17 (RecordBatch v2 only; no down-conversion). Long-polls: when fewer than
// `minBytes` are ready, waits up to `maxWaitMs` for an append to any requested partition.
// Size limits follow KIP-74: `partitionMaxBytes` per partition and `maxBytes` per response,
// except that the first batch found is returned whole even if larger, so a consumer always
// makes progress. Fetch sessions (KIP-227) are not offered: session id 0 tells clients to
// send full fetches, which every client supports. v13+ names topics by id.
extension Broker {
    func fetch(_ request: FetchRequest, version: Int16) async -> FetchResponse {
        let byID = version >= 13
        let targets: [(FetchRequest.FetchTopic, Topic?)] = request.topics.map { requested in
            (requested, byID ? logs.topic(id: requested.topicId) : logs.topic(requested.topic))
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(max(0, request.maxWaitMs)))
        while true {
            let (response, bytes, hasError) = readOnce(request, targets: targets, byID: byID)
            if bytes >= Int(request.minBytes) || hasError || request.maxWaitMs <= 0 || ContinuousClock.now >= deadline {
                return response
            }
            // Wait for an append to any requested partition, or the deadline.
            let waiter = FetchWaiter()
            let partitions = targets.flatMap { requested, topic in
                requested.partitions.compactMap { topic?.partition($0.partition) }
            }
            for partition in partitions { partition.addWaiter(waiter) }
            // Re-check after registering so an append in between is not missed.
            let (_, again, _) = readOnce(request, targets: targets, byID: byID)
            if again < Int(request.minBytes) {
                let timer = Task {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    waiter.fire()
                }
                await waiter.wait()
                timer.cancel()
            }
            for partition in partitions { partition.removeWaiter(waiter) }
        }
    }

    private func readOnce(
        _ request: FetchRequest, targets: [(FetchRequest.FetchTopic, Topic?)], byID: Bool
    ) -> (FetchResponse, Int, Bool) {
        var response = FetchResponse()
        var budget = Int(request.maxBytes)
        var total = 0
        var hasError = false
        response.responses = targets.map { requested, topic in
            FetchResponse.FetchableTopicResponse(
                topic: requested.topic, topicId: requested.topicId,
                partitions: requested.partitions.map { wanted in
                    var data = FetchResponse.PartitionData(partitionIndex: wanted.partition, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1)
                    data.preferredReadReplica = -1
                    guard let log = topic?.partition(wanted.partition) else {
                        data.errorCode = (byID && topic == nil ? KafkaErrorCode.unknownTopicId : .unknownTopicOrPartition).rawValue
                        hasError = true
                        return data
                    }
                    // Once the response budget is spent, still report positions, without records.
                    let limit = total == 0 ? Int(wanted.partitionMaxBytes) : min(Int(wanted.partitionMaxBytes), budget)
                    let result = log.read(from: wanted.fetchOffset, maxBytes: max(0, limit), wholeFirstBatch: total == 0)
                    data.errorCode = result.error.rawValue
                    data.highWatermark = result.highWatermark
                    data.lastStableOffset = result.highWatermark
                    data.logStartOffset = result.logStartOffset
                    data.abortedTransactions = []
                    if result.error != .none {
                        hasError = true
                    } else if let records = result.records {
                        data.records = records
                        total += records.readableBytes
                        budget -= records.readableBytes
                    } else {
                        data.records = ByteBuffer()
                    }
                    return data
                })
        }
        return (response, total, hasError)
    }
}
