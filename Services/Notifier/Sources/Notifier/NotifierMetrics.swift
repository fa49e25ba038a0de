import Events
import NIOConcurrencyHelpers
import Prometheus

/// The notifier's Prometheus metrics, in a registry of its own; `/metrics` renders it.
public final class NotifierMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let recordsRead: Counter
    private let eventsInEffect: Counter
    private let voidCounters: [String: Counter]
    private let undecodable: Counter
    private let foldFailures: Counter
    private let deliveryLatency: DurationHistogram
    private let perSink = NIOLockedValueBox<[String: SinkCounters]>([:])
    let lag: Gauge
    let pending: Gauge

    struct SinkCounters {
        var delivered: Counter
        var retried: Counter
        var deadLettered: Counter
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        recordsRead = registry.makeCounter(descriptor: .init(
            namespace: "notifier", metricName: "records_read", unitName: "total", helpText: "Records of orders.events folded"))
        eventsInEffect = registry.makeCounter(descriptor: .init(
            namespace: "notifier", metricName: "events_in_effect", unitName: "total", helpText: "Events in effect folded"))
        undecodable = registry.makeCounter(descriptor: .init(
            namespace: "notifier", metricName: "undecodable_events", unitName: "total",
            helpText: "Events that cannot be read, dead-lettered at once"))
        foldFailures = registry.makeCounter(descriptor: .init(
            namespace: "notifier", metricName: "fold_failures", unitName: "total",
            helpText: "Batches whose ledger transaction failed; read again from the folded offsets"))
        deliveryLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "notifier", metricName: "delivery_latency", unitName: "seconds",
                              helpText: "One delivery attempt to a sink"),
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
                      .seconds(1), .seconds(5), .seconds(30)])
        lag = registry.makeGauge(descriptor: .init(
            namespace: "notifier", metricName: "lag", unitName: "events",
            helpText: "Records between the folded offsets and the log end, over the partitions this instance owns"))
        pending = registry.makeGauge(descriptor: .init(
            namespace: "notifier", metricName: "pending_deliveries", unitName: "deliveries",
            helpText: "Deliveries queued in this instance, retries waiting included"))
        let reasons = [VoidReason.noOrderKey, .wrongPartition(expected: 0), .versionNotNext(expected: 0, found: 0)].map(\.kind)
        voidCounters = Dictionary(uniqueKeysWithValues: reasons.map { reason in
            (reason, registry.makeCounter(descriptor: .init(
                namespace: "notifier", metricName: "void_events", unitName: "total",
                helpText: "Void events skipped (they notify nobody), by reason"), labels: [("reason", reason)]))
        })
    }

    func registerSinks(_ names: [String]) {
        perSink.withLockedValue { counters in
            for name in names where counters[name] == nil {
                let labels = [("sink", name)]
                counters[name] = SinkCounters(
                    delivered: registry.makeCounter(descriptor: .init(
                        namespace: "notifier", metricName: "delivered", unitName: "total",
                        helpText: "Notifications delivered, by sink"), labels: labels),
                    retried: registry.makeCounter(descriptor: .init(
                        namespace: "notifier", metricName: "retried", unitName: "total",
                        helpText: "Failed attempts that will be retried, by sink"), labels: labels),
                    deadLettered: registry.makeCounter(descriptor: .init(
                        namespace: "notifier", metricName: "dead_lettered", unitName: "total",
                        helpText: "Deliveries given up and sent to the dead-letter topic, by sink"), labels: labels))
            }
        }
    }

    func folded(records: Int, inEffect: Int, voidEvents: [String: Int], undecodable count: Int) {
        recordsRead.increment(by: Int64(records))
        eventsInEffect.increment(by: Int64(inEffect))
        for (reason, count) in voidEvents { voidCounters[reason]?.increment(by: Int64(count)) }
        if count > 0 { undecodable.increment(by: Int64(count)) }
    }

    func foldFailed() { foldFailures.increment() }

    func attempted(_ latency: Duration) { deliveryLatency.record(latency) }
    func delivered(_ sink: String) { perSink.withLockedValue { $0[sink] }?.delivered.increment() }
    func retried(_ sink: String) { perSink.withLockedValue { $0[sink] }?.retried.increment() }
    func deadLettered(_ sink: String) { perSink.withLockedValue { $0[sink] }?.deadLettered.increment() }
}
