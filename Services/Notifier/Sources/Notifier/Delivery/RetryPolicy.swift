/// How long to wait before trying a delivery again: exponential backoff with "equal jitter"
/// (half the step fixed, half random), so attempt n waits between base·2^(n-2) and
/// base·2^(n-1): the delays grow, and instances retrying together spread out. A receiver's
/// Retry-After wins when it gives one (up to `maxRetryAfter`).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; after the last the event is dead-lettered.
    public var maxAttempts: Int
    public var base: Duration
    public var cap: Duration
    public var maxRetryAfter: Duration

    public init(maxAttempts: Int = 8, base: Duration = .milliseconds(500), cap: Duration = .seconds(60), maxRetryAfter: Duration = .seconds(600)) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait after failed attempt number `attempt` (1-based); `random` in 0..<1.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, random: Double) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maxRetryAfter) }
        let step = min(cap, base * Self.power(of: 2, Swift.max(0, attempt - 1)))
        return step / 2 + step / 2 * Swift.min(Swift.max(random, 0), 1)
    }

    /// The shortest wait after attempt `attempt` (without Retry-After): what tests may rely on.
    public func minimumDelay(afterAttempt attempt: Int) -> Duration {
        min(cap, base * Self.power(of: 2, Swift.max(0, attempt - 1))) / 2
    }

    private static func power(of base: Int, _ exponent: Int) -> Int {
        exponent >= 40 ? 1 << 40 : (0..<exponent).reduce(1) { value, _ in value * base }
    }
}
