import KafkaProtocol

// Produce v3-v11 (RecordBatch v2 only). acks 0, 1 and -1 are accepted; on a single node
// "all in-sync replicas" is this node, so 1 and -1 both answer once the batch is written to
// the log file (in the page cache: a killed broker loses nothing acknowledged; fsync follows
// the flush policy). acks=0 gets no response at all, as Kafka does.
extension Broker {
    func produce(_ request: ProduceRequest, version: Int16) async throws -> ProduceResponse? {
        var response = ProduceResponse()
        let validAcks = [0, 1, -1].contains(request.acks)
        response.responses = request.topicData.map { topicData in
            let topic: Topic? = {
                if let existing = logs.topic(topicData.name) { return existing }
                guard configuration.autoCreateTopics else { return nil }
                return try? logs.createTopic(topicData.name, partitions: configuration.defaultPartitions, ifMissing: true)
            }()
            return ProduceResponse.TopicProduceResponse(
                name: topicData.name,
                partitionResponses: topicData.partitionData.map { data in
                    var result = ProduceResponse.PartitionProduceResponse(index: data.index, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1)
                    guard validAcks else {
                        result.errorCode = KafkaErrorCode.invalidRequiredAcks.rawValue
                        return result
                    }
                    guard request.transactionalId == nil else {
                        result.errorCode = KafkaErrorCode.transactionalIdAuthorizationFailed.rawValue
                        result.errorMessage = "transactions are not supported by the dev broker"
                        return result
                    }
                    guard let log = topic?.partition(data.index) else {
                        result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                        return result
                    }
                    guard let records = data.records else {
                        result.errorCode = KafkaErrorCode.corruptMessage.rawValue
                        result.errorMessage = "null records"
                        return result
                    }
                    let appended = log.append(records, maxBatchBytes: configuration.maxBatchBytes)
                    result.errorCode = appended.error.rawValue
                    result.baseOffset = appended.baseOffset
                    result.logStartOffset = appended.logStartOffset
                    result.errorMessage = appended.error == .none ? nil : appended.message
                    if appended.error != .none {
                        logger.debug("Produce rejected", metadata: [
                            "kafka.topic": "\(topicData.name)", "kafka.partition": "\(data.index)",
                            "kafka.error": "\(appended.error)", "reason": "\(appended.message ?? "")",
                        ])
                    }
                    return result
                })
        }
        return request.acks == 0 ? nil : response
    }
}
