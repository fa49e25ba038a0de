import KafkaWire
import NIOConcurrencyHelpers

/// Waits until `condition` holds, checking every 20 ms, and throws `timedOut` after `timeout`.
/// Tests wait for what they need instead of sleeping for a guessed time: a slow machine only
/// makes them slower. The timeout is generous; it only bounds how long a real failure takes.
func waitUntil(
    _ what: @autoclosure () -> String = "condition", timeout: Duration = .seconds(60),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw KafkaError(.timedOut, "\(what()) not met within \(timeout)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A clock that moves only when the test advances it, for code that reads the time (the
/// metadata cache's age): the test decides how old things are, not the machine's speed.
final class ManualClock: Sendable {
    private let current = NIOLockedValueBox(ContinuousClock.now)

    var now: ContinuousClock.Instant { current.withLockedValue { $0 } }

    func advance(by duration: Duration) {
        current.withLockedValue { $0 = $0 + duration }
    }
}
