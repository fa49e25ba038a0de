import KafkaWire

/// What every service's configuration says about Kafka (the same fields in each), and the
/// client and group consumer every service derives from it.
public protocol KafkaServiceConfiguration {
    var bootstrapServers: [BrokerAddress] { get set }
    /// TLS and SASL towards Kafka (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*).
    var kafkaSecurity: KafkaSecurityConfiguration { get set }
    var groupID: String { get set }
    var sessionTimeout: Duration { get set }
    var heartbeatInterval: Duration { get set }
}

extension KafkaServiceConfiguration {
    /// The client configuration of every connection the service opens.
    public var kafkaClient: KafkaClientConfiguration {
        var client = KafkaClientConfiguration(bootstrapServers: bootstrapServers)
        client.security = kafkaSecurity
        return client
    }

    /// The service's consumer in its group, subscribed to `topics`. A service stores where it
    /// is itself (in its database or by folding from the beginning), so the consumer commits
    /// nothing, and a partition without a stored position starts at the beginning.
    public func groupConsumer(of topics: [String]) -> KafkaConsumerConfiguration {
        var consumer = KafkaConsumerConfiguration(client: kafkaClient, consumption: .group(id: groupID, topics: topics))
        consumer.enableAutoCommit = false
        consumer.commitOnRevoke = false
        consumer.autoOffsetReset = .earliest
        consumer.sessionTimeout = sessionTimeout
        consumer.heartbeatInterval = heartbeatInterval
        return consumer
    }
}
