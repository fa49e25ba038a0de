import Events
import Foundation
import TestSupport
import Testing

/// Properties over many seeded random cases (the seed is in each failure message).
@Suite struct PropertyTests {
    static let rules = OrderRules(maxLines: 4, maxQuantity: 50, maxUnitPrice: 10_000)
    static let skus = ["A", "B", "C", "D", "E", "F"]

    static func randomCommand(_ rng: inout SplitMix64) -> Command {
        func item() -> LineItem {
            LineItem(sku: skus.randomElement(using: &rng)!, quantity: Int64.random(in: -1...55, using: &rng),
                     unitPrice: Int64.random(in: -5...10_100, using: &rng))
        }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return .place(customerId: "c", currency: "EUR", items: (0..<Int.random(in: 0...5, using: &rng)).map { _ in item() })
        case 1, 2: return .addItem(item())
        case 3: return .removeItem(sku: skus.randomElement(using: &rng)!)
        case 4, 5: return .confirm
        case 6: return .ship(carrier: "DHL", trackingNumber: "T")
        case 7: return .deliver
        default: return .cancel(reason: "r")
        }
    }

    /// Every rule, as a check of one step `before --event--> after`. Returns the broken rule.
    static func brokenRule(before: OrderState, event: OrderEvent, after: OrderState) -> String? {
        if after.version != before.version + 1 { return "version must grow by one" }
        if after.items.count > rules.maxLines { return "too many lines" }
        if Set(after.items.map(\.sku)).count != after.items.count { return "duplicate SKU" }
        for item in after.items where !(1...rules.maxQuantity).contains(item.quantity) || !(0...rules.maxUnitPrice).contains(item.unitPrice) {
            return "line out of bounds: \(item)"
        }
        if case .placed = event, before.exists { return "placed twice" }
        if !before.exists, !(event.type == .orderPlaced) { return "first event is not OrderPlaced" }
        if before.exists, before.status != .placed, before.items != after.items { return "items changed after confirmation" }
        if after.status == .confirmed, after.items.isEmpty { return "confirmed without items" }
        if after.status == .confirmed, after.confirmedTotal != after.total { return "confirmed total is not the total" }
        let allowed: Set<[OrderStatus]> = [
            [.placed, .placed], [.placed, .confirmed], [.placed, .cancelled], [.confirmed, .shipped],
            [.confirmed, .cancelled], [.shipped, .delivered],
        ]
        if before.exists, !allowed.contains([before.status, after.status]) {
            return "transition \(before.status) -> \(after.status)"
        }
        if (after.status == .shipped || after.status == .delivered) != (after.shipping != nil) { return "shipping without shipment" }
        return nil
    }

    @Test func randomCommandSequencesKeepEveryRule() {
        for seed in UInt64(1)...400 {
            var rng = SplitMix64(seed: seed)
            var state = OrderState()
            var accepted = 0
            for _ in 0..<60 {
                let command = Self.randomCommand(&rng)
                switch decide(command, state: state, rules: Self.rules) {
                case .success(let event):
                    let next = evolve(state, event)
                    if let broken = Self.brokenRule(before: state, event: event, after: next) {
                        Issue.record("seed \(seed): \(command) broke \(broken)")
                        return
                    }
                    state = next
                    accepted += 1
                case .failure(let rejection):
                    // "Not found" exactly for a command other than place before the order exists.
                    let isPlace = if case .place = command { true } else { false }
                    #expect((rejection == .orderNotFound) == (!state.exists && !isPlace), "seed \(seed): \(command) -> \(rejection)")
                }
            }
            #expect(state.version == Int64(accepted), "seed \(seed)")
        }
    }

    /// Two writers (say, two instances across a rebalance) decide against their own, possibly
    /// stale, views and append to one partition in any interleaving. The fold of the log has,
    /// per order, versions 1...n with no gap or repeat, keeps every rule, and every event a
    /// writer found in effect on read-back is in effect in the final fold.
    @Test func anyInterleavingOfTwoWritersFoldsToAConsistentHistory() throws {
        let orderIds = ["o1", "o2", "o3"]
        for seed in UInt64(1)...300 {
            var rng = SplitMix64(seed: seed)
            var log: [EventRecord] = []
            var views = [PartitionFold(partition: 0, partitionOf: onePartition), PartitionFold(partition: 0, partitionOf: onePartition)]
            var positions = [0, 0]
            var mine: [Set<UUID>] = [[], []]
            var confirmed = Set<UUID>()
            func catchUp(_ writer: Int, by count: Int) {
                let end = min(log.count, positions[writer] + min(count, log.count))
                while positions[writer] < end {
                    let verdict = views[writer].fold(log[positions[writer]])
                    if case .inEffect(let event) = verdict, mine[writer].contains(event.envelope.eventId) {
                        confirmed.insert(event.envelope.eventId)  // the writer answers 2xx
                    }
                    positions[writer] += 1
                }
            }
            for step in 0..<120 {
                let writer = Int.random(in: 0...1, using: &rng)
                if Bool.random(using: &rng) {
                    catchUp(writer, by: Int.random(in: 1...4, using: &rng))
                } else {
                    let orderId = orderIds.randomElement(using: &rng)!
                    let state = views[writer].state(of: orderId)
                    guard case .success(let event) = decide(Self.randomCommand(&rng), state: state, rules: Self.rules) else { continue }
                    let id = UUID()
                    mine[writer].insert(id)
                    log.append(EventCodec.encode(RecordedEvent(
                        event: event, orderId: orderId, version: state.version + 1, commandId: "w\(writer)-\(step)",
                        occurredAt: Timestamp(millisecondsSinceEpoch: Int64(step)), eventId: id)))
                }
            }
            catchUp(0, by: .max)
            catchUp(1, by: .max)

            var final = PartitionFold(partition: 0, partitionOf: onePartition)
            var histories: [String: [Int64]] = [:]
            var inEffect = Set<UUID>()
            for record in log {
                let before = final.state(of: record.keyString!)
                guard case .inEffect(let event) = final.fold(record) else { continue }
                histories[event.envelope.orderId, default: []].append(event.envelope.aggregateVersion)
                inEffect.insert(event.envelope.eventId)
                if let broken = Self.brokenRule(before: before, event: event.event, after: final.state(of: event.envelope.orderId)) {
                    Issue.record("seed \(seed): the fold broke \(broken)")
                }
            }
            for (orderId, versions) in histories {
                #expect(versions == Array(1...Int64(versions.count)), "seed \(seed) order \(orderId): \(versions)")
            }
            #expect(confirmed.isSubset(of: inEffect), "seed \(seed): a confirmed event is not in effect")
            #expect(final.inEffectCount + final.voidCount == log.count)
            // Every reader of the same log sees the same history.
            #expect(views[0].orders == final.orders && views[1].orders == final.orders, "seed \(seed)")
        }
    }

    static func randomText(_ rng: inout SplitMix64) -> String {
        let alphabet = Array("aZ09 -_/\\\"'{}[]:,.ü€漢字😀\u{0}\u{7F}\n\t")
        return String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func randomEvent(_ rng: inout SplitMix64) -> OrderEvent {
        let text = { (rng: inout SplitMix64) in randomText(&rng) }
        let int = { (rng: inout SplitMix64) in Int64.random(in: Int64.min...Int64.max, using: &rng) }
        switch Int.random(in: 0..<7, using: &rng) {
        case 0:
            return .placed(OrderPlaced(customerId: text(&rng), currency: text(&rng), items: (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                LineItem(sku: text(&rng), quantity: int(&rng), unitPrice: int(&rng))
            }))
        case 1: return .itemAdded(ItemAdded(sku: text(&rng), quantity: int(&rng), unitPrice: int(&rng)))
        case 2: return .itemRemoved(ItemRemoved(sku: text(&rng)))
        case 3: return .confirmed(OrderConfirmed(total: int(&rng)))
        case 4: return .shipped(OrderShipped(carrier: text(&rng), trackingNumber: text(&rng)))
        case 5: return .delivered(OrderDelivered())
        default: return .cancelled(OrderCancelled(reason: text(&rng)))
        }
    }

    @Test func envelopeEncodeThenDecodeIsTheIdentity() throws {
        for seed in UInt64(1)...2_000 {
            var rng = SplitMix64(seed: seed)
            let event = Self.randomEvent(&rng)
            var orderId = Self.randomText(&rng)
            if orderId.isEmpty { orderId = "o" }
            let original = RecordedEvent(
                event: event, orderId: orderId, version: Int64.random(in: 1...Int64.max, using: &rng),
                commandId: Self.randomText(&rng),
                occurredAt: Timestamp(millisecondsSinceEpoch: Int64.random(in: 0...253_402_300_799_999, using: &rng)),
                eventId: UUID(), traceparent: Bool.random(using: &rng) ? Self.randomText(&rng) : nil)
            let decoded = try EventCodec.decode(EventCodec.encode(original))
            #expect(decoded == original, "seed \(seed)")
        }
    }
}
