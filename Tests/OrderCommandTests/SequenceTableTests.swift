import Testing
import TestSupport

@testable import OrderCommand

/// The command index's hash table against a dictionary: inserts, removals of the oldest (as
/// the index forgets) and of arbitrary entries, with hashes drawn from a tiny range so that
/// runs collide and wrap around the end of the table, and growth while full of such runs.
@Suite struct SequenceTableTests {
    @Test(arguments: [4, 64, 1 << 20])
    func agreesWithADictionary(hashRange: Int) {
        var random = SplitMix64(seed: UInt64(hashRange))
        var table = SequenceTable()
        var model: [Int: Int] = [:]  // sequence → hash
        var next = 0
        var oldest = 0  // no live sequence number below it
        func advanceOldest() { while oldest < next, model[oldest] == nil { oldest += 1 } }
        for _ in 0..<30_000 {
            switch random.next() % 10 {
            case 0..<6:
                let hash = Int(truncatingIfNeeded: (random.next() % UInt64(hashRange)) &* 0x9E37_79B9_7F4A_7C15)
                table.insert(hash: hash, sequence: next)
                model[next] = hash
                next += 1
            case 6..<9:
                advanceOldest()
                guard oldest < next else { continue }
                table.remove(hash: model[oldest]!, sequence: oldest)
                model[oldest] = nil
            default:
                let any = oldest + Int(random.next() % UInt64(next - oldest + 1))
                guard model[any] != nil else { continue }
                table.remove(hash: model[any]!, sequence: any)
                model[any] = nil
            }
            #expect(table.count == model.count)
            advanceOldest()
            let base = oldest
            for sequence in [next - 1, next - 2, base, Int(random.next() % UInt64(next + 1))] where sequence >= 0 {
                let hash = model[sequence] ?? Int(truncatingIfNeeded: random.next())
                let found = table.find(hash: hash, base: base) { $0 == sequence }
                #expect(found == (model[sequence] != nil ? sequence : nil), "sequence \(sequence)")
            }
        }
    }

    @Test(arguments: [4, 1 << 20])
    func insertingAllAtOnceAgreesWithOneByOne(keyRange: Int) {
        var random = SplitMix64(seed: UInt64(keyRange) + 1)
        // Sequence number → key; several sequence numbers share a key, and the lowest wins.
        var keys: [Int] = []
        var table = SequenceTable()
        var first: [Int: Int] = [:]  // key → lowest sequence number
        for round in 0..<4 {
            var pairs: [(hash: Int, sequence: Int)] = []
            for _ in 0..<(round == 0 ? 10 : 3_000) {
                let key = Int(random.next() % UInt64(keyRange))
                pairs.append((hash: key &* 0x2545_F491_4F6C_DD1D, sequence: keys.count))
                if first[key] == nil { first[key] = keys.count }
                keys.append(key)
            }
            table.insertAll(pairs, base: 0) { keys[$0] == keys[$1] }
            #expect(table.count == first.count)
            for (key, sequence) in first {
                #expect(table.find(hash: key &* 0x2545_F491_4F6C_DD1D, base: 0) { keys[$0] == key } == sequence, "key \(key)")
            }
        }
    }

    @Test func reservedRoomHoldsEveryEntry() {
        var table = SequenceTable()
        table.reserveCapacity(1_000)
        for sequence in 0..<1_000 { table.insert(hash: sequence &* 31, sequence: sequence) }
        for sequence in 0..<1_000 {
            #expect(table.find(hash: sequence &* 31, base: 0) { $0 == sequence } == sequence)
        }
    }
}
