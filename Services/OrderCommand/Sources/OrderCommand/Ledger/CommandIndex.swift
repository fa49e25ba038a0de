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

    /// A remembered command, in fold order.
    private struct Remembered {
        var id: Key
        var entry: Entry
    }

    let windowMilliseconds: Int64
    /// Command id → its place in `remembered` (as a sequence number: see `firstSequence`). The
    /// entries themselves are appended in fold order, so the table holds one small value per
    /// bucket: with whole entries in it, folding a partition wrote them all over a table of
    /// about twice their number, a fifth of that fold.
    private var positions: [Key: Int] = [:]
    /// Command ids in fold order (occurred-at is close to monotonic in a partition; a late
    /// straggler only stays a little longer).
    private var remembered: Deque<Remembered> = []
    /// The sequence number of `remembered.first`: it grows as commands are forgotten.
    private var firstSequence = 0

    init(windowMilliseconds: Int64) {
        self.windowMilliseconds = windowMilliseconds
    }

    var count: Int { remembered.count }

    subscript(commandId: String) -> Entry? {
        positions[Key(commandId)].map { remembered[$0 - firstSequence].entry }
    }

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
        let next = firstSequence + remembered.count
        func keep(_: inout Int) {}
        keep(&positions[key, default: { inserted = true; return next }()])
        if inserted { remembered.append(Remembered(id: key, entry: entry)) }
    }

    /// Makes room for `more` commands at once (see `PartitionLedger.expectFold(to:)`).
    mutating func reserveCapacity(forMore more: Int) {
        positions.reserveCapacity(positions.count + more)
        remembered.reserveCapacity(remembered.count + more)
    }

    /// Forgets commands that occurred before `now - window`.
    mutating func prune(now: Timestamp) {
        let horizon = horizon(now)
        while let first = remembered.first, first.entry.occurredAt.millisecondsSinceEpoch < horizon {
            remembered.removeFirst()
            positions[first.id] = nil
            firstSequence += 1
        }
    }

    private func horizon(_ now: Timestamp) -> Int64 { now.millisecondsSinceEpoch - windowMilliseconds }
}
