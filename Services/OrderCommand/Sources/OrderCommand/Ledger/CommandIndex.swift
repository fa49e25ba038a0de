import DequeModule
import Events

/// The commands in effect within the idempotency window: command id → first answer.
/// Rebuilt from the log's `command-id` headers by folding, so it survives restarts. Entries
/// older than the window (by the event's `occurred-at`) are dropped.
struct CommandIndex: Sendable {
    struct Entry: Sendable {
        var answer: CommandAnswer
        var fingerprint: CommandFingerprint
        var occurredAt: Timestamp
    }

    let windowMilliseconds: Int64
    private var entries: [String: Entry] = [:]
    /// Command ids in fold order (occurred-at is close to monotonic in a partition; a late
    /// straggler only stays a little longer).
    private var arrival: Deque<(id: String, at: Timestamp)> = []

    init(windowMilliseconds: Int64) {
        self.windowMilliseconds = windowMilliseconds
    }

    var count: Int { entries.count }

    subscript(commandId: String) -> Entry? { entries[commandId] }

    mutating func record(_ commandId: String, _ entry: Entry) {
        // A second in-effect event with the same command id (a foreign writer) keeps the first answer.
        guard entries[commandId] == nil else { return }
        entries[commandId] = entry
        arrival.append((commandId, entry.occurredAt))
    }

    /// Forgets commands that occurred before `now - window`.
    mutating func prune(now: Timestamp) {
        let horizon = now.millisecondsSinceEpoch - windowMilliseconds
        while let first = arrival.first, first.at.millisecondsSinceEpoch < horizon {
            arrival.removeFirst()
            entries[first.id] = nil
        }
    }
}
