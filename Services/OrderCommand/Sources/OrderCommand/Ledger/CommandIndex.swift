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

    /// A command id with its hash worked out once: the table rehashes every key each time it
    /// grows (about 20 times while a partition of a million commands is folded), and hashing
    /// the string again each time was a tenth of the fold.
    struct Key: Hashable, Sendable {
        let id: String
        let hash: Int

        init(_ id: String) {
            self.id = id
            self.hash = id.hashValue
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: Key, b: Key) -> Bool { a.hash == b.hash && a.id == b.id }
    }

    let windowMilliseconds: Int64
    private var entries: [Key: Entry] = [:]
    /// Command ids in fold order (occurred-at is close to monotonic in a partition; a late
    /// straggler only stays a little longer).
    private var arrival: Deque<(id: Key, at: Timestamp)> = []

    init(windowMilliseconds: Int64) {
        self.windowMilliseconds = windowMilliseconds
    }

    var count: Int { entries.count }

    subscript(commandId: String) -> Entry? { entries[Key(commandId)] }

    /// Whether a command that occurred at `occurredAt` is still remembered as of `now`: folding
    /// an old log need not record what `prune` would forget at once.
    func isWithinWindow(_ occurredAt: Timestamp, now: Timestamp) -> Bool {
        occurredAt.millisecondsSinceEpoch >= horizon(now)
    }

    /// Remembers a command in effect.
    mutating func record(_ commandId: String, _ entry: Entry) {
        let key = Key(commandId)
        // A second in-effect event with the same command id (a foreign writer) keeps the first
        // answer: one lookup that inserts only when the id is new.
        var inserted = false
        func keep(_: inout Entry) {}
        keep(&entries[key, default: { inserted = true; return entry }()])
        if inserted { arrival.append((key, entry.occurredAt)) }
    }

    /// Makes room for `more` commands at once (see `PartitionLedger.expectFold(to:)`).
    mutating func reserveCapacity(forMore more: Int) {
        entries.reserveCapacity(entries.count + more)
        arrival.reserveCapacity(arrival.count + more)
    }

    /// Forgets commands that occurred before `now - window`.
    mutating func prune(now: Timestamp) {
        let horizon = horizon(now)
        while let first = arrival.first, first.at.millisecondsSinceEpoch < horizon {
            arrival.removeFirst()
            entries[first.id] = nil
        }
    }

    private func horizon(_ now: Timestamp) -> Int64 { now.millisecondsSinceEpoch - windowMilliseconds }
}
