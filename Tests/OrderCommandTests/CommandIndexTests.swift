import Events
import Testing
import TestSupport

@testable import OrderCommand

/// The command index against a plain model (a dictionary and an array in arrival order):
/// remembering, first answers kept, forgetting in arrival order, lookups after many commands
/// were forgotten (the index keeps places as sequence numbers).
@Suite struct CommandIndexTests {
    @Test(arguments: [false, true])
    func agreesWithAPlainModelOverRandomCommandsAndPrunes(deferring: Bool) {
        var random = SplitMix64(seed: 0xC0FFEE)
        let window: Int64 = 1_000
        var index = CommandIndex(windowMilliseconds: window)
        var model: [String: CommandIndex.Entry] = [:]
        var arrival: [(id: String, at: Int64)] = []
        var clock: Int64 = 10_000
        var deferred = false
        func prune(now: Int64) {
            index.prune(now: Timestamp(millisecondsSinceEpoch: now))
            while let first = arrival.first, first.at < now - window {
                arrival.removeFirst()
                model[first.id] = nil
            }
        }
        for step in 0..<20_000 {
            // Stretches of commands remembered without being placed (a fold before serving),
            // with prunes and repeated ids inside them.
            if deferring, roll(&random, 500) == 0 {
                if deferred {
                    index.placeDeferred()
                    prune(now: clock)
                } else {
                    index.deferPlacing()
                }
                deferred.toggle()
            }
            // Mostly new ids, some repeated (a foreign writer's second event with the same id),
            // occurred-at near monotonic with stragglers.
            let id = roll(&random, 10) == 0 && !arrival.isEmpty ? arrival[roll(&random, arrival.count)].id : "cmd-\(step)"
            clock += Int64(roll(&random, 5))
            let at = clock - Int64(roll(&random, 3) == 0 ? roll(&random, 200) : 0)
            let entry = CommandIndex.Entry(
                answer: CommandAnswer(orderId: "o-\(step % 97)", version: Int64(step), partition: 0, offset: Int64(step), created: false),
                fingerprint: CommandFingerprint(orderId: "o", command: .confirm),
                occurredAt: Timestamp(millisecondsSinceEpoch: at))
            index.record(id, entry)
            if model[id] == nil {
                model[id] = entry
                arrival.append((id, at))
            }
            // No prunes while placing is deferred (the index would ignore them).
            if roll(&random, 50) == 0, !deferred { prune(now: clock + Int64(roll(&random, 300))) }
            if deferred { continue }
            #expect(index.count == model.count)
            for probe in [id, "cmd-\(roll(&random, step + 1))"] {
                #expect(index[probe]?.answer == model[probe]?.answer, "\(probe) at step \(step)")
            }
        }
        #expect(arrival.count < 2_000, "the prunes forgot most commands")
    }

    /// 0..<bound.
    private func roll(_ random: inout SplitMix64, _ bound: Int) -> Int {
        Int(random.next() % UInt64(bound))
    }
}
