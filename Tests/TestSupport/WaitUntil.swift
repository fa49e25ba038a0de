/// Waits until `condition` holds and throws `WaitTimedOut` after `timeout`. The one place the
/// test targets poll: they wait for what they need, never for a guessed time, so a slow machine
/// only makes them slower. The timeout is generous; it only bounds how long a real failure takes.
public func waitUntil(
    _ what: @autoclosure () -> String = "condition", timeout: Duration = .seconds(60),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(description: "\(what()) not met within \(timeout)") }
        // Poll interval between checks of the condition; not a guess at how long anything takes.
        try await Task.sleep(for: .milliseconds(20))
    }
}

public struct WaitTimedOut: Error, CustomStringConvertible {
    public var description: String
}
