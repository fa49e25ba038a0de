/// An open-addressing hash table (linear probing) from a key's hash to a sequence number, one
/// word per bucket. The command index keeps its entries in a fold-ordered deque and needs only
/// "where is this id": a table of words stays in cache far better than a `Dictionary` of keys
/// and values, whose probes while folding a partition of a million commands were a tenth of
/// that fold. Only (part of) the hash is kept here, so the caller confirms a candidate by
/// comparing the key stored with its entry.
///
/// Sequence numbers are kept as their low 32 bits, read back relative to a `base` (the oldest
/// live one): the live numbers must span less than 2^32, which the index's size bounds.
struct SequenceTable: Sendable {
    /// 0 = empty; otherwise bit 63 set, 31 bits of the hash, the sequence number's low 32 bits.
    private var buckets: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init() {
        buckets = Array(repeating: 0, count: Self.size(for: 0))
        mask = buckets.count - 1
    }

    /// The first sequence number stored for `hash` that `isKey` accepts.
    func find(hash: Int, base: Int, _ isKey: (Int) -> Bool) -> Int? {
        let tag = Self.tag(hash)
        var index = Self.home(tag, mask)
        while true {
            let bucket = buckets[index]
            if bucket == 0 { return nil }
            if bucket >> 32 == tag {
                let sequence = Self.sequence(bucket, base: base)
                if isKey(sequence) { return sequence }
            }
            index = (index + 1) & mask
        }
    }

    /// Stores `sequence` for `hash` (the caller has found no entry for the key).
    mutating func insert(hash: Int, sequence: Int) {
        if (count + 1) * 2 > buckets.count { resize(to: Self.size(for: count + 1)) }
        place(Self.bucket(hash: hash, sequence: sequence))
        count += 1
    }

    /// Stores many (hash, sequence) pairs at once, in the order of their buckets: placing them
    /// one by one as they come misses the cache on nearly every one, which was a tenth of
    /// folding a partition of a million commands. A pair whose key (`isSameKey` on two sequence
    /// numbers, asked only when their hashes agree) is stored already keeps the lower number.
    /// Returns the numbers left out that way.
    @discardableResult
    mutating func insertAll(_ pairs: [(hash: Int, sequence: Int)], base: Int, isSameKey: (Int, Int) -> Bool) -> [Int] {
        reserveCapacity(count + pairs.count)
        // A counting sort by the top bits of each pair's home bucket: groups of neighbouring
        // buckets, placed group by group.
        let groupBits = max(0, buckets.count.trailingZeroBitCount - 12)
        var starts = [Int](repeating: 0, count: (buckets.count >> groupBits) + 1)
        for pair in pairs { starts[Self.home(Self.tag(pair.hash), mask) >> groupBits + 1] += 1 }
        for group in 1..<starts.count { starts[group] += starts[group - 1] }
        var sorted = [UInt64](repeating: 0, count: pairs.count)
        for pair in pairs {
            let bucket = Self.bucket(hash: pair.hash, sequence: pair.sequence)
            let group = Self.home(bucket >> 32, mask) >> groupBits
            sorted[starts[group]] = bucket
            starts[group] += 1
        }
        var leftOut: [Int] = []
        for bucketValue in sorted {
            if let duplicate = placeUnique(bucketValue, base: base, isSameKey: isSameKey) { leftOut.append(duplicate) }
        }
        return leftOut
    }

    /// Places a bucket value unless its key is stored already; returns the higher of the two
    /// sequence numbers then (the one not kept).
    private mutating func placeUnique(_ bucketValue: UInt64, base: Int, isSameKey: (Int, Int) -> Bool) -> Int? {
        let sequence = Self.sequence(bucketValue, base: base)
        var index = Self.home(bucketValue >> 32, mask)
        while buckets[index] != 0 {
            if buckets[index] >> 32 == bucketValue >> 32 {
                let stored = Self.sequence(buckets[index], base: base)
                if isSameKey(stored, sequence) {
                    if sequence < stored { buckets[index] = bucketValue }
                    return max(sequence, stored)
                }
            }
            index = (index + 1) & mask
        }
        buckets[index] = bucketValue
        count += 1
        return nil
    }

    /// Removes the bucket of `sequence`, stored for `hash`.
    mutating func remove(hash: Int, sequence: Int) {
        let bucketValue = Self.bucket(hash: hash, sequence: sequence)
        var hole = Self.home(bucketValue >> 32, mask)
        while buckets[hole] != bucketValue {
            guard buckets[hole] != 0 else { return }
            hole = (hole + 1) & mask
        }
        // Backward-shift deletion: move later buckets of the run into the hole when their home
        // does not lie cyclically in (hole, j], so every remaining key stays reachable.
        var j = hole
        while true {
            j = (j + 1) & mask
            let bucket = buckets[j]
            if bucket == 0 { break }
            let home = Self.home(bucket >> 32, mask)
            let stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !stays {
                buckets[hole] = bucket
                hole = j
            }
        }
        buckets[hole] = 0
        count -= 1
    }

    /// Makes room for `capacity` entries in all, at once.
    mutating func reserveCapacity(_ capacity: Int) {
        let size = Self.size(for: capacity)
        if size > buckets.count { resize(to: size) }
    }

    private mutating func resize(to size: Int) {
        let old = buckets
        buckets = Array(repeating: 0, count: size)
        mask = size - 1
        for bucket in old where bucket != 0 { place(bucket) }
    }

    private mutating func place(_ bucketValue: UInt64) {
        var index = Self.home(bucketValue >> 32, mask)
        while buckets[index] != 0 { index = (index + 1) & mask }
        buckets[index] = bucketValue
    }

    /// Buckets for `capacity` entries at a load of at most one half.
    private static func size(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        return size
    }

    /// Bit 31 set (so no bucket in use is 0) and 31 bits of the hash.
    private static func tag(_ hash: Int) -> UInt64 {
        let bits = UInt64(UInt(bitPattern: hash))
        return 0x8000_0000 | ((bits ^ bits >> 32) & 0x7FFF_FFFF)
    }

    /// A bucket in use: the tag above the sequence number's low 32 bits.
    private static func bucket(hash: Int, sequence: Int) -> UInt64 {
        tag(hash) << 32 | UInt64(UInt32(truncatingIfNeeded: sequence))
    }

    private static func home(_ tag: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: tag) & mask }

    private static func sequence(_ bucket: UInt64, base: Int) -> Int {
        base + Int(UInt32(truncatingIfNeeded: bucket) &- UInt32(truncatingIfNeeded: base))
    }
}
