import KafkaProtocol

// CreateTopics v0-v7 and DeleteTopics v0-v6. One node, so a replication factor above 1 is
// refused the way Kafka refuses it on a one-broker cluster. Manual assignments are accepted
// when every replica is this node. Topic configs: retention.ms, retention.bytes,
// segment.bytes, cleanup.policy=delete. v5+ echoes the created topic's configs; v7 its id.
extension Broker {
    func createTopics(_ request: CreateTopicsRequest, version: Int16) -> CreateTopicsResponse {
        var response = CreateTopicsResponse()
        response.topics = request.topics.map { wanted in
            var result = CreateTopicsResponse.CreatableTopicResult(name: wanted.name, numPartitions: -1, replicationFactor: -1, configs: nil)
            var partitions = wanted.numPartitions == -1 ? configuration.defaultPartitions : wanted.numPartitions
            if !wanted.assignments.isEmpty {
                guard wanted.numPartitions == -1, wanted.replicationFactor == -1 else {
                    result.errorCode = KafkaErrorCode.invalidRequest.rawValue
                    result.errorMessage = "Both numPartitions or replicationFactor and replicasAssignments were set."
                    return result
                }
                guard wanted.assignments.allSatisfy({ $0.brokerIds == [configuration.nodeID] }) else {
                    result.errorCode = KafkaErrorCode.invalidReplicaAssignment.rawValue
                    result.errorMessage = "Every replica must be broker \(configuration.nodeID), the only broker."
                    return result
                }
                partitions = Int32(wanted.assignments.count)
            } else if wanted.replicationFactor != -1 && wanted.replicationFactor != 1 {
                result.errorCode = KafkaErrorCode.invalidReplicationFactor.rawValue
                result.errorMessage = "Replication factor: \(wanted.replicationFactor) larger than available brokers: 1."
                return result
            }
            var configs: [String: String] = [:]
            for config in wanted.configs { configs[config.name] = config.value }
            do {
                let topic = try logs.createTopic(wanted.name, partitions: partitions, configs: configs, validateOnly: request.validateOnly)
                result.topicId = topic?.id ?? .zero
                result.numPartitions = partitions
                result.replicationFactor = 1
                if version >= 5 {
                    result.configs = describeTopicConfigs(configs, keys: nil).map {
                        .init(name: $0.name, value: $0.value, readOnly: false, configSource: $0.configSource, isSensitive: false)
                    }
                }
            } catch let error as LogManager.CreateError {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
            } catch {
                result.errorCode = KafkaErrorCode.unknownServerError.rawValue
                result.errorMessage = "\(error)"
            }
            return result
        }
        return response
    }

    func deleteTopics(_ request: DeleteTopicsRequest, version: Int16) -> DeleteTopicsResponse {
        let wanted: [(name: String?, id: KafkaUUID)] =
            version >= 6 ? request.topics.map { ($0.name, $0.topicId) } : request.topicNames.map { ($0, .zero) }
        var response = DeleteTopicsResponse()
        response.responses = wanted.map { name, id in
            let topic = name.map { logs.topic($0) } ?? logs.topic(id: id)
            guard let topic else {
                let code: KafkaErrorCode = name == nil ? .unknownTopicId : .unknownTopicOrPartition
                return .init(name: name, topicId: id, errorCode: code.rawValue, errorMessage: "This server does not host this topic.")
            }
            _ = logs.deleteTopic(topic.name)
            return .init(name: topic.name, topicId: topic.id, errorCode: 0, errorMessage: nil)
        }
        return response
    }
}
