import KafkaWire
import NIOConcurrencyHelpers

/// A clock that moves only when the test advances it, for code that reads the time (the
/// metadata cache's age): the test decides how old things are, not the machine's speed.
final class ManualClock: Sendable {
    private let current = NIOLockedValueBox(ContinuousClock.now)

    var now: ContinuousClock.Instant { current.withLockedValue { $0 } }

    func advance(by duration: Duration) {
        current.withLockedValue { $0 = $0 + duration }
    }
}
