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

    /// A command id with its hash worked out once (for the table, and for forgetting it).
    typealias Key = HashedString

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
    private var positions = SequenceTable()
    /// Command ids in fold order (occurred-at is close to monotonic in a partition; a late
    /// straggler only stays a little longer).
    private var remembered: Deque<Remembered> = []
    /// The sequence number of `remembered.first`: it grows as commands are forgotten.
    private var firstSequence = 0
    /// While set, commands from this sequence number on are remembered but not yet in
    /// `positions` (see `deferPlacing()`).
    private var unplacedFrom: Int?

    init(windowMilliseconds: Int64) {
        self.windowMilliseconds = windowMilliseconds
    }

    /// Commands remembered (one remembered twice while placing is deferred counts twice).
    var count: Int { positions.count + (unplacedFrom.map { firstSequence + remembered.count - $0 } ?? 0) }

    /// The first answer of a command in effect. Placing must not be deferred (`placeDeferred()`).
    subscript(commandId: String) -> Entry? {
        precondition(unplacedFrom == nil, "look commands up only once they are placed")
        return place(of: Key(commandId)).map { remembered[$0 - firstSequence].entry }
    }

    /// The sequence number of `key`'s entry.
    private func place(of key: Key) -> Int? {
        positions.find(hash: key.hash, base: firstSequence) { remembered[$0 - firstSequence].id == key }
    }

    /// Whether a command that occurred at `occurredAt` is still remembered as of `now`: folding
    /// an old log need not record what `prune` would forget at once.
    func isWithinWindow(_ occurredAt: Timestamp, now: Timestamp) -> Bool {
        occurredAt.millisecondsSinceEpoch >= horizon(now)
    }

    /// Remembers a command in effect.
    mutating func record(_ commandId: String, _ entry: Entry) {
        let key = Key(commandId)
        if unplacedFrom != nil {
            remembered.append(Remembered(id: key, entry: entry))
            return
        }
        // A second in-effect event with the same command id (a foreign writer) keeps the first answer.
        guard place(of: key) == nil else { return }
        positions.insert(hash: key.hash, sequence: firstSequence + remembered.count)
        remembered.append(Remembered(id: key, entry: entry))
    }

    /// From now until `placeDeferred()`, commands are remembered without being placed in the
    /// table: a partition folded before it serves is looked up in only once it serves, and
    /// placing all its commands at once, in table order, saves a cache miss per command.
    mutating func deferPlacing() {
        if unplacedFrom == nil { unplacedFrom = firstSequence + remembered.count }
    }

    /// Places every command remembered since `deferPlacing()`; a command id remembered twice
    /// (a foreign writer's second event in effect) keeps its first answer. Prune next.
    mutating func placeDeferred() {
        guard let from = unplacedFrom else { return }
        unplacedFrom = nil
        let entries = remembered, first = firstSequence  // read while `positions` changes
        let pairs = (from..<first + entries.count).map { (hash: entries[$0 - first].id.hash, sequence: $0) }
        let duplicates = positions.insertAll(pairs, base: first) { a, b in entries[a - first].id == entries[b - first].id }
        // A second occurrence stays in the deque, unreachable; it must not hold back the
        // forgetting of older commands behind it (a remembered one never would), so it counts
        // as forgotten at once.
        for sequence in duplicates {
            remembered[sequence - firstSequence].entry.occurredAt = Timestamp(millisecondsSinceEpoch: .min)
        }
    }

    /// Makes room for `more` commands at once (see `PartitionLedger.expectFold(to:)`).
    mutating func reserveCapacity(forMore more: Int) {
        positions.reserveCapacity(positions.count + more)
        remembered.reserveCapacity(remembered.count + more)
    }

    /// Forgets commands that occurred before `now - window`. Not while placing is deferred:
    /// a command id seen twice must find its first occurrence when placed, as it would have
    /// when remembered (the fold's end prunes, right after placing).
    mutating func prune(now: Timestamp) {
        guard unplacedFrom == nil else { return }
        let horizon = horizon(now)
        while let first = remembered.first, first.entry.occurredAt.millisecondsSinceEpoch < horizon {
            positions.remove(hash: first.id.hash, sequence: firstSequence)
            remembered.removeFirst()
            firstSequence += 1
        }
    }

    private func horizon(_ now: Timestamp) -> Int64 { now.millisecondsSinceEpoch - windowMilliseconds }
}
