/// Delay before reconnecting to a broker that failed: `base` after the first failure, doubling
/// up to `max`, with ±20% jitter so clients do not reconnect in lockstep (as Kafka's
/// reconnect.backoff.ms / reconnect.backoff.max.ms). A success resets it.
struct ReconnectBackoff: Sendable {
    private(set) var failures = 0
    private(set) var retryAt: ContinuousClock.Instant?

    let base: Duration
    let max: Duration

    init(base: Duration, max: Duration) {
        self.base = base
        self.max = Swift.max(base, max)
    }

    /// The delay after `failures` consecutive failures, before jitter.
    func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = base
        for _ in 1..<failures {
            delay *= 2
            if delay >= max { return max }
        }
        return Swift.min(delay, max)
    }

    mutating func failed(at now: ContinuousClock.Instant, jitter: Double = Double.random(in: 0.8...1.2)) {
        failures += 1
        retryAt = now + delay(afterFailures: failures) * jitter
    }

    mutating func succeeded() {
        failures = 0
        retryAt = nil
    }

    /// How long to wait before the next attempt, from `now`.
    func wait(from now: ContinuousClock.Instant) -> Duration {
        guard let retryAt, retryAt > now else { return .zero }
        return retryAt - now
    }
}
