import SQLStore
import Events
import NIOConcurrencyHelpers
import Prometheus

/// The service's Prometheus metrics, in a registry of its own; `/metrics` renders it.
public struct QueryMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let eventsApplied: Counter
    private let recordsRead: Counter
    private let batchSize: ValueHistogram
    private let applyLatency: DurationHistogram
    private let stopped: Counter
    private let applyFailures: Counter
    private let voidCounters: [String: Counter]
    private let orderReadsFromDatabase: Counter
    private let orderReadsFromProjection: Counter
    let lag: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        eventsApplied = registry.makeCounter(descriptor: .init(
            namespace: "order_query", metricName: "events_applied", unitName: "total",
            helpText: "Events in effect applied to the read model"))
        recordsRead = registry.makeCounter(descriptor: .init(
            namespace: "order_query", metricName: "records_read", unitName: "total",
            helpText: "Records of orders.events read by the projections"))
        batchSize = registry.makeValueHistogram(
            descriptor: .init(namespace: "order_query", metricName: "batch_size", unitName: "records",
                              helpText: "Records applied per database transaction"),
            buckets: [1, 10, 50, 100, 500, 1_000, 2_500, 5_000])
        applyLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "order_query", metricName: "apply_latency", unitName: "seconds",
                              helpText: "Time to apply one batch in one transaction"),
            buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)])
        stopped = registry.makeCounter(descriptor: .init(
            namespace: "order_query", metricName: "partitions_stopped", unitName: "total",
            helpText: "Partitions stopped at an event the projection cannot read"))
        applyFailures = registry.makeCounter(descriptor: .init(
            namespace: "order_query", metricName: "apply_failures", unitName: "total",
            helpText: "Batches whose transaction failed (database errors); retried from the stored offsets"))
        lag = registry.makeGauge(descriptor: .init(
            namespace: "order_query", metricName: "lag", unitName: "events",
            helpText: "Records between the live generation's stored offsets and the log end, over all partitions"))
        orderReadsFromDatabase = registry.makeCounter(descriptor: .init(
            namespace: "order_query", metricName: "order_reads", unitName: "total",
            helpText: "Attempts of GET /orders/{id}, by what answered: the database, or the live projection's last stored row"),
            labels: [("source", "database")])
        orderReadsFromProjection = registry.makeCounter(descriptor: .init(
            namespace: "order_query", metricName: "order_reads", unitName: "total",
            helpText: "Attempts of GET /orders/{id}, by what answered: the database, or the live projection's last stored row"),
            labels: [("source", "projection")])
        let reasons = [VoidReason.noOrderKey, .wrongPartition(expected: 0), .versionNotNext(expected: 0, found: 0)].map(\.kind)
        voidCounters = Dictionary(uniqueKeysWithValues: reasons.map { reason in
            (reason, registry.makeCounter(descriptor: .init(
                namespace: "order_query", metricName: "void_events", unitName: "total",
                helpText: "Void events skipped, by reason"), labels: [("reason", reason)]))
        })
    }

    func orderRead(fromDatabase: Bool) {
        (fromDatabase ? orderReadsFromDatabase : orderReadsFromProjection).increment()
    }

    func batchApplied(records: Int, inEffect: Int, voidEvents: [String: Int], latency: Duration) {
        recordsRead.increment(by: Int64(records))
        eventsApplied.increment(by: Int64(inEffect))
        batchSize.record(Double(records))
        applyLatency.record(latency)
        for (reason, count) in voidEvents { voidCounters[reason]?.increment(by: Int64(count)) }
    }

    func partitionStopped(_ partition: Int32) { stopped.increment() }

    func applyFailed() { applyFailures.increment() }
}
