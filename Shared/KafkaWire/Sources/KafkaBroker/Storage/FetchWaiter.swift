import NIOConcurrencyHelpers

/// A long-polling fetch waiting for data: registered on every partition it reads, fired by
/// the first append to any of them or by its timeout, whichever comes first. Fires once.
final class FetchWaiter: Sendable {
    private struct State {
        var fired = false
        var continuation: CheckedContinuation<Void, Never>?
    }

    private let state = NIOLockedValueBox(State())

    func fire() {
        let continuation: CheckedContinuation<Void, Never>? = state.withLockedValue { state in
            guard !state.fired else { return nil }
            state.fired = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLockedValue { state in
                if state.fired { return true }
                state.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
