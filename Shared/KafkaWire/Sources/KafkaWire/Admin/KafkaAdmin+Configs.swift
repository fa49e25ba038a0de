import KafkaProtocol

extension KafkaAdmin {
    /// The effective configuration of a topic (name → value; sensitive values are nil), as
    /// any broker reports it. Services use it to refuse a topic whose settings would break them
    /// (an event store with finite retention, say).
    public func describeTopicConfig(_ topic: String, keys: [String]? = nil) async throws -> [String: String?] {
        try await measured("DescribeConfigs") {
            try await cluster.retrying("DescribeConfigs") {
                let connection = try await cluster.anyConnection()
                let version = try connection.versions.version(for: .describeConfigs)
                let request = DescribeConfigsRequest(
                    resources: [.init(resourceType: Self.topicResourceType, resourceName: topic, configurationKeys: keys)])
                let response = try await connection.send(request, version: version)
                guard let result = response.results.first(where: { $0.resourceName == topic }) else {
                    throw KafkaError(.protocolViolation, "DescribeConfigs answered without topic \(topic)", retriable: false)
                }
                if let error = KafkaError(brokerCode: result.errorCode, "describe configs of \(topic)\(result.errorMessage.map { " (\($0))" } ?? "")") {
                    throw error
                }
                var configs: [String: String?] = [:]
                for entry in result.configs { configs[entry.name] = entry.isSensitive ? nil : entry.value }
                return configs
            }
        }
    }

    /// ConfigResource.Type.TOPIC in the Java client.
    static let topicResourceType: Int8 = 2
}
