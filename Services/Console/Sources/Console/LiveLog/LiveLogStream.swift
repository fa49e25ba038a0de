import NIOConcurrencyHelpers
import NIOCore
import OrderLog
import ServiceLifecycle

/// One browser's live log: the source read in a task of its own into a bounded buffer, the
/// buffer written out as Server-Sent Events. A client that falls `capacity` events behind
/// (a stalled or slow browser) stops costing anything: its reading stops, what is buffered is
/// written, and the stream ends, so the browser reconnects from the last event it got
/// (`Last-Event-ID`), without a gap or a repeat. Memory per client is bounded by `capacity`.
struct LiveLogStream: Sendable {
    let source: any LogSource
    /// Events buffered for the client, at most.
    let capacity: Int
    /// How often an idle stream sends a comment.
    let keepAlive: Duration
    /// Called after each event written (the metrics).
    var sent: @Sendable () -> Void = {}
    /// How long a browser waits before reconnecting.
    var retryMilliseconds = 1_000

    /// Why a stream ended (when it was not the client who went away: `run` then throws).
    enum Ending: Equatable, Sendable {
        /// The client fell `capacity` events behind; it reconnects.
        case fellBehind
        /// The log could not be read; the client was told (a `failure` event) and reconnects.
        case failed(String)
        /// The service is shutting down.
        case shutDown
        /// Asked not to follow (`follow=false`): ended once caught up.
        case caughtUp
    }

    enum Item: Sendable {
        case event(LoggedEvent)
        case caughtUp
        case keepAlive
    }

    private struct FellBehind: Error {}

    /// Runs the stream of `query` over `partitions` from `start`, writing each frame with
    /// `write`, until it ends; throws what `write` throws (the client went away).
    func run(
        partitions: [Int32], query: LiveLogQuery, start: StreamCursor, write: (ByteBuffer) async throws -> Void
    ) async throws -> Ending {
        let (items, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingOldest(capacity))
        let ending = NIOLockedValueBox<Ending?>(nil)
        let source = self.source
        let keepAlive = self.keepAlive
        let from = start.next
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                do {
                    try await source.follow(partitions, from: from, caughtUp: {
                        if case .dropped = continuation.yield(.caughtUp) { throw FellBehind() }
                    }) { event in
                        guard query.shows(event) else { return }
                        if case .dropped = continuation.yield(.event(event)) { throw FellBehind() }
                    }
                } catch is FellBehind {
                    ending.withLockedValue { $0 = $0 ?? .fellBehind }
                } catch {
                    // Cancelled: the client went away or the service stops; otherwise the log failed.
                    if !Task.isCancelled { ending.withLockedValue { $0 = $0 ?? .failed("\(error)") } }
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: keepAlive)
                    continuation.yield(.keepAlive)
                }
            }
            var cursor = start
            try await withGracefulShutdownHandler {
                try await write(ServerSentEvents.retry(milliseconds: retryMilliseconds))
                reading: for await item in items {
                    switch item {
                    case .event(let event):
                        cursor.sent(partition: event.partition, offset: event.offset)
                        try await write(ServerSentEvents.log(event, cursor: cursor))
                        sent()
                    case .caughtUp:
                        try await write(ServerSentEvents.caughtUp)
                        if !query.follow {
                            ending.withLockedValue { $0 = $0 ?? .caughtUp }
                            break reading
                        }
                    case .keepAlive:
                        try await write(ServerSentEvents.keepAlive)
                    }
                }
            } onGracefulShutdown: {
                ending.withLockedValue { $0 = $0 ?? .shutDown }
                continuation.finish()
            }
            group.cancelAll()
            let ended = ending.withLockedValue { $0 } ?? .shutDown
            if case .failed(let detail) = ended { try await write(ServerSentEvents.failure(detail)) }
            return ended
        }
    }
}
