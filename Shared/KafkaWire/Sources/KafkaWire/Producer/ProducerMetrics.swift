import Metrics

/// The producer's swift-metrics counters, updated once per batch, not per record.
struct ProducerMetrics: Sendable {
    let recordsSent: Counter
    let bytesSent: Counter
    let recordErrors: Counter
    let batchRetries: Counter
    let requests: Counter

    init(clientID: String) {
        let dimensions = [("client.id", clientID)]
        recordsSent = Counter(label: "kafka.producer.records.sent", dimensions: dimensions)
        bytesSent = Counter(label: "kafka.producer.bytes.sent", dimensions: dimensions)
        recordErrors = Counter(label: "kafka.producer.record.errors", dimensions: dimensions)
        batchRetries = Counter(label: "kafka.producer.batch.retries", dimensions: dimensions)
        requests = Counter(label: "kafka.producer.requests", dimensions: dimensions)
    }
}
