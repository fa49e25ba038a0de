import Prometheus

/// The console's Prometheus metrics, in a registry of its own; `/metrics` renders it.
public final class ConsoleMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let clients: Gauge
    private let eventsSent: Counter
    private let fellBehind: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        clients = registry.makeGauge(descriptor: .init(
            namespace: "console", metricName: "live_log", unitName: "streams", helpText: "Live-log streams open now"))
        eventsSent = registry.makeCounter(descriptor: .init(
            namespace: "console", metricName: "live_log_events_sent", unitName: "total", helpText: "Events written to live-log streams"))
        fellBehind = registry.makeCounter(descriptor: .init(
            namespace: "console", metricName: "live_log_clients_dropped", unitName: "total",
            helpText: "Live-log streams ended because their client fell behind (it reconnects)"))
    }

    func streamOpened() { clients.increment() }
    func streamClosed() { clients.decrement() }
    func sent() { eventsSent.increment() }
    func droppedBehind() { fellBehind.increment() }
}
