import Prometheus

/// The service's Prometheus metrics, in a registry of its own (so two instances in one
/// process, as in the tests, report separately). `/metrics` renders it.
public struct CommandMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let appendLatency: DurationHistogram
    let foldLagGauge: Gauge
    let ordersGauge: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        appendLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "order_command", metricName: "append_latency", unitName: "seconds",
                              helpText: "Time from decision to the event read back from the log"),
            buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)])
        foldLagGauge = registry.makeGauge(descriptor: .init(
            namespace: "order_command", metricName: "fold_lag", unitName: "events",
            helpText: "Events between the fold position and the high watermark seen at assignment, over owned partitions"))
        ordersGauge = registry.makeGauge(descriptor: .init(
            namespace: "order_command", metricName: "orders_in_memory", unitName: "count",
            helpText: "Orders held in memory by owned partitions"))
    }

    /// Commands by outcome (`created`, `ok`, `validation`, `order-not-found`, `rule-violated`, ...).
    func command(outcome: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "order_command", metricName: "commands", unitName: "total", helpText: "Commands answered, by outcome"),
            labels: [("outcome", outcome)]
        ).increment()
    }

    func voidEvent(reason: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "order_command", metricName: "void_events", unitName: "total",
                              helpText: "Events read back that are void under the fold rule, by reason"),
            labels: [("reason", reason)]
        ).increment()
    }

    func unreadableEvent(kind: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "order_command", metricName: "unreadable_events", unitName: "total",
                              helpText: "Events that stopped their partition because they cannot be read"),
            labels: [("kind", kind)]
        ).increment()
    }

    func forwarded(outcome: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "order_command", metricName: "forwarded_commands", unitName: "total",
                              helpText: "Commands forwarded to the partition's owner, by outcome"),
            labels: [("outcome", outcome)]
        ).increment()
    }
}
