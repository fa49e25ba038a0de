import Events
import Prometheus

/// The service's Prometheus metrics, in a registry of its own (so two instances in one
/// process, as in the tests, report separately). `/metrics` renders it.
public struct CommandMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let appendLatency: DurationHistogram
    let foldLagGauge: Gauge
    let ordersGauge: Gauge
    /// The counters every answer and every void event touches, made once (the registry would
    /// otherwise look each up by name and labels per command).
    private let commandCounters: [String: Counter]
    private let voidCounters: [String: Counter]

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
        let outcomes = ["created", "ok"] + Problem.Kind.allCases.map(\.rawValue)
        commandCounters = Dictionary(uniqueKeysWithValues: outcomes.map { ($0, Self.commandCounter(registry, $0)) })
        let reasons = [VoidReason.noOrderKey, .wrongPartition(expected: 0), .versionNotNext(expected: 0, found: 0)].map(\.kind)
        voidCounters = Dictionary(uniqueKeysWithValues: reasons.map { ($0, Self.voidCounter(registry, $0)) })
    }

    /// Commands by outcome (`created`, `ok`, `validation`, `order-not-found`, `rule-violated`, ...).
    func command(outcome: String) {
        (commandCounters[outcome] ?? Self.commandCounter(registry, outcome)).increment()
    }

    func voidEvent(reason: String) {
        (voidCounters[reason] ?? Self.voidCounter(registry, reason)).increment()
    }

    private static func commandCounter(_ registry: PrometheusCollectorRegistry, _ outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: .init(namespace: "order_command", metricName: "commands", unitName: "total", helpText: "Commands answered, by outcome"),
            labels: [("outcome", outcome)])
    }

    private static func voidCounter(_ registry: PrometheusCollectorRegistry, _ reason: String) -> Counter {
        registry.makeCounter(
            descriptor: .init(namespace: "order_command", metricName: "void_events", unitName: "total",
                              helpText: "Events read back that are void under the fold rule, by reason"),
            labels: [("reason", reason)])
    }

    func unreadableEvent(kind: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "order_command", metricName: "unreadable_events", unitName: "total",
                              helpText: "Events that stopped their partition because they cannot be read"),
            labels: [("kind", kind)]
        ).increment()
    }

    /// Events appended again because a delivery failed with its outcome unknown.
    func reappended() {
        registry.makeCounter(descriptor: .init(
            namespace: "order_command", metricName: "reappended_events", unitName: "total",
            helpText: "Events appended again after a failed delivery left their outcome unknown (the first copy read back decides)")
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
