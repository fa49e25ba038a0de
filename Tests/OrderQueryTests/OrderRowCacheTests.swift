import Events
import Testing

@testable import OrderQuery

struct OrderRowCacheTests {
    static func row(_ id: String, version: Int64) -> OrderRow {
        var state = OrderState()
        state.version = version
        return OrderRow(orderId: id, partition: 0, state: state, placedAt: .init(millisecondsSinceEpoch: 0),
                        updatedAt: .init(millisecondsSinceEpoch: 0))
    }

    @Test func keepsTheLatestRowOfRecentOrders() {
        var cache = OrderRowCache(capacity: 10)
        cache.store(["a": Self.row("a", version: 1), "b": Self.row("b", version: 1)], ifEpoch: cache.epoch)
        cache.store(["a": Self.row("a", version: 2)], ifEpoch: cache.epoch)
        let found = cache.rows(for: ["a", "b", "c"])
        #expect(found.mapValues(\.state.version) == ["a": 2, "b": 1])
    }

    @Test func staysWithinItsCapacityAndKeepsTheMostRecent() {
        var cache = OrderRowCache(capacity: 10)
        for n in 0..<1_000 {
            cache.store(["o-\(n)": Self.row("o-\(n)", version: Int64(n))], ifEpoch: cache.epoch)
            #expect(cache.count <= 10)
        }
        // The last half-capacity stored are always there.
        let recent = Set((995..<1_000).map { "o-\($0)" })
        #expect(Set(cache.rows(for: recent).keys) == recent)
        #expect(cache.rows(for: ["o-0"]).isEmpty)
    }

    @Test func rowsOfABatchThatStartedBeforeAClearAreNotStored() {
        var cache = OrderRowCache(capacity: 10)
        let epoch = cache.epoch
        cache.removeAll()
        cache.store(["a": Self.row("a", version: 1)], ifEpoch: epoch)
        #expect(cache.rows(for: ["a"]).isEmpty)
        cache.store(["a": Self.row("a", version: 1)], ifEpoch: cache.epoch)
        #expect(cache.rows(for: ["a"]).count == 1)
    }

    @Test func capacityZeroKeepsNothing() {
        var cache = OrderRowCache(capacity: 0)
        cache.store(["a": Self.row("a", version: 1)], ifEpoch: cache.epoch)
        #expect(cache.count == 0)
    }
}
