import Events

/// The rows a projection last wrote for the orders it touched recently, so that a batch on
/// them needs no read of the database first. Valid only while the projection holds its
/// partitions without a break: an order is only written with its partition's stored offset,
/// under a compare-and-set, so nobody else can have changed a cached row while the
/// projection's own batches keep being accepted. The runner empties it on any change of
/// ownership, refusal or failure.
///
/// Bounded by two generations of entries: when the recent one fills, it becomes the older
/// one and the previous older one is dropped (an order touched within the last `capacity`
/// orders stays, at O(1) per operation).
struct OrderRowCache {
    private var recent: [String: OrderRow] = [:]
    private var older: [String: OrderRow] = [:]
    let capacity: Int
    /// Bumped by every `removeAll`: rows of a batch that started before it are not stored.
    private(set) var epoch: UInt64 = 0

    /// `capacity` 0: keeps nothing (a rebuild, whose large batches never use it).
    init(capacity: Int) { self.capacity = capacity == 0 ? 0 : max(2, capacity) }

    var count: Int { recent.count + older.count }

    func rows(for ids: some Sequence<String>) -> [String: OrderRow] {
        var found: [String: OrderRow] = [:]
        for id in ids {
            if let row = recent[id] ?? older[id] { found[id] = row }
        }
        return found
    }

    func row(_ id: String) -> OrderRow? { recent[id] ?? older[id] }

    /// Stores the rows a batch wrote, if no `removeAll` happened since `epoch` was read.
    mutating func store(_ rows: [String: OrderRow], ifEpoch epoch: UInt64) {
        guard capacity > 0, epoch == self.epoch else { return }
        for (id, row) in rows {
            if recent.count >= capacity / 2 {
                older = recent
                recent = [:]
            }
            recent[id] = row
            older[id] = nil
        }
    }

    mutating func removeAll() {
        recent = [:]
        older = [:]
        epoch &+= 1
    }
}
