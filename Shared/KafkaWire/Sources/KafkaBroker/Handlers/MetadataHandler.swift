import KafkaProtocol

// Metadata v0-v12. One broker (this one) leads every partition, with itself as the only
// replica and ISR member. Topics are created here on first mention when auto-creation is on
// and the request allows it (v4+ `allowAutoTopicCreation`). v0 asks for all topics with an
// empty list; v1+ with null. v10+ answers topic ids; v12 lets a topic be named by id alone.
extension Broker {
    func metadata(_ request: MetadataRequest, version: Int16, listener: Int) -> MetadataResponse {
        var response = MetadataResponse()
        response.brokers = [.init(nodeId: configuration.nodeID, host: endpoints.host(listener), port: endpoints.port(listener), rack: nil)]
        response.clusterId = configuration.clusterID
        response.controllerId = configuration.nodeID

        let wantsAll = request.topics == nil || (version == 0 && request.topics?.isEmpty == true)
        if wantsAll {
            response.topics = logs.allTopics.map { describe($0) }
            return response
        }
        let mayCreate = configuration.autoCreateTopics && (version < 4 || request.allowAutoTopicCreation)
        response.topics = (request.topics ?? []).map { requested in
            if let name = requested.name {
                if let topic = logs.topic(name) { return describe(topic) }
                var missing = MetadataResponse.MetadataResponseTopic(errorCode: KafkaErrorCode.unknownTopicOrPartition.rawValue, name: name)
                guard Topic.isValidName(name) else {
                    missing.errorCode = KafkaErrorCode.invalidTopicException.rawValue
                    return missing
                }
                guard mayCreate else { return missing }
                do {
                    if let topic = try logs.createTopic(name, partitions: configuration.defaultPartitions, ifMissing: true) {
                        return describe(topic)
                    }
                } catch let error as LogManager.CreateError {
                    missing.errorCode = error.code.rawValue
                } catch {
                    missing.errorCode = KafkaErrorCode.unknownServerError.rawValue
                }
                return missing
            }
            if let topic = logs.topic(id: requested.topicId) { return describe(topic) }
            return MetadataResponse.MetadataResponseTopic(errorCode: KafkaErrorCode.unknownTopicId.rawValue, name: nil, topicId: requested.topicId)
        }
        return response
    }

    private func describe(_ topic: Topic) -> MetadataResponse.MetadataResponseTopic {
        let node = configuration.nodeID
        return MetadataResponse.MetadataResponseTopic(
            errorCode: 0, name: topic.name, topicId: topic.id, isInternal: false,
            partitions: topic.partitions.indices.map { index in
                MetadataResponse.MetadataResponsePartition(
                    errorCode: 0, partitionIndex: Int32(index), leaderId: node, leaderEpoch: 0,
                    replicaNodes: [node], isrNodes: [node], offlineReplicas: [])
            })
    }
}
