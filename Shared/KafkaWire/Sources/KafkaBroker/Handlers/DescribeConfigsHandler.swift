import KafkaProtocol

// DescribeConfigs v0-v4 for topics (resource type 2) and this broker (type 4). Values are
// the ones in force: a topic's overrides, else the broker's log configuration.
extension Broker {
    struct ConfigEntry {
        var name: String
        var value: String?
        /// 1 = topic override (DYNAMIC_TOPIC_CONFIG), 5 = default (DEFAULT_CONFIG).
        var configSource: Int8
    }

    func describeTopicConfigs(_ overrides: [String: String], keys: [String]?) -> [ConfigEntry] {
        let log = configuration.log
        let defaults: [(String, String)] = [
            ("cleanup.policy", "delete"),
            ("compression.type", "producer"),
            ("max.message.bytes", "\(configuration.maxBatchBytes)"),
            ("message.timestamp.type", "CreateTime"),
            ("min.insync.replicas", "1"),
            ("retention.bytes", "\(log.retentionBytes ?? -1)"),
            ("retention.ms", "\(log.retentionMilliseconds ?? -1)"),
            ("segment.bytes", "\(log.segmentBytes)"),
            ("segment.index.bytes", "10485760"),
        ]
        return defaults.compactMap { name, value in
            if let keys, !keys.contains(name) { return nil }
            if let override = overrides[name] { return ConfigEntry(name: name, value: override, configSource: 1) }
            return ConfigEntry(name: name, value: value, configSource: 5)
        }
    }

    func describeConfigs(_ request: DescribeConfigsRequest, version: Int16) -> DescribeConfigsResponse {
        var response = DescribeConfigsResponse()
        response.results = request.resources.map { resource in
            var result = DescribeConfigsResponse.DescribeConfigsResult(resourceType: resource.resourceType, resourceName: resource.resourceName)
            let entries: [ConfigEntry]
            switch resource.resourceType {
            case 2:
                guard let topic = logs.topic(resource.resourceName) else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    result.errorMessage = "Topic \(resource.resourceName) does not exist."
                    return result
                }
                entries = describeTopicConfigs(topic.configs, keys: resource.configurationKeys)
            case 4:
                let all: [ConfigEntry] = [
                    .init(name: "auto.create.topics.enable", value: "\(configuration.autoCreateTopics)", configSource: 4),
                    .init(name: "num.partitions", value: "\(configuration.defaultPartitions)", configSource: 4),
                    .init(name: "message.max.bytes", value: "\(configuration.maxBatchBytes)", configSource: 4),
                    .init(name: "socket.request.max.bytes", value: "\(configuration.maxFrameBytes)", configSource: 4),
                    .init(name: "log.segment.bytes", value: "\(configuration.log.segmentBytes)", configSource: 4),
                    .init(name: "log.retention.ms", value: "\(configuration.log.retentionMilliseconds ?? -1)", configSource: 4),
                    .init(name: "log.retention.bytes", value: "\(configuration.log.retentionBytes ?? -1)", configSource: 4),
                ]
                entries = all.filter { resource.configurationKeys?.contains($0.name) ?? true }
            default:
                result.errorCode = KafkaErrorCode.invalidRequest.rawValue
                result.errorMessage = "Resource type \(resource.resourceType) is not supported by the dev broker."
                return result
            }
            result.configs = entries.map { entry in
                DescribeConfigsResponse.DescribeConfigsResourceResult(
                    name: entry.name, value: entry.value, readOnly: resource.resourceType == 4,
                    isDefault: entry.configSource == 5, configSource: entry.configSource, isSensitive: false)
            }
            return result
        }
        return response
    }
}
