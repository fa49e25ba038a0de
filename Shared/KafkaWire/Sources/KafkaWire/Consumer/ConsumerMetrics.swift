import Metrics

/// The consumer's swift-metrics instruments (labels `kafkawire.consumer.*`).
struct ConsumerMetrics: Sendable {
    /// Fetch requests sent, and those that failed at the connection.
    let fetches = Counter(label: "kafkawire.consumer.fetches")
    let fetchFailures = Counter(label: "kafkawire.consumer.fetch_failures")
    /// Records and record-batch bytes fetched (before the application takes them).
    let records = Counter(label: "kafkawire.consumer.records")
    let bytes = Counter(label: "kafkawire.consumer.bytes")
    /// Completed rebalances of this member, and commits made (and failed).
    let rebalances = Counter(label: "kafkawire.consumer.rebalances")
    let commits = Counter(label: "kafkawire.consumer.commits")
    let commitFailures = Counter(label: "kafkawire.consumer.commit_failures")
}
