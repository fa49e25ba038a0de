import Testing

@testable import load_generator

@Suite struct CommandMixTests {
    @Test func fourInFiveOrdersWalkTheFullLifeAndEveryFifthCancels() {
        var pool = OrderPool(prefix: "t")
        var paths: [String: [String]] = [:]
        // One order at a time: every answer comes back before the next command goes out.
        for _ in 0..<(4 * 6 + 3) {
            let (walk, request) = pool.next()
            paths[walk.id, default: []].append(request.path)
            pool.answered(walk)
        }
        #expect(paths["t-1"] == ["/orders", "/orders/t-1/items", "/orders/t-1/items", "/orders/t-1/confirm",
                                 "/orders/t-1/ship", "/orders/t-1/deliver"])
        #expect(paths["t-5"] == ["/orders", "/orders/t-5/items", "/orders/t-5/cancel"])
        #expect(pool.placed == 5)
    }

    @Test func noOrderHasTwoCommandsInFlight() {
        var pool = OrderPool(prefix: "t")
        // Three commands out before any answer: three different orders, each placed.
        let first = (0..<3).map { _ in pool.next() }
        #expect(Set(first.map(\.0.id)) == ["t-1", "t-2", "t-3"])
        #expect(first.allSatisfy { $0.1.path == "/orders" })
        // The oldest answered order gets the next command, before a new one is placed.
        pool.answered(first[1].0)
        let (walk, request) = pool.next()
        #expect(walk.id == "t-2")
        #expect(request.path == "/orders/t-2/items")
        #expect(request.idempotencyKey == "t-2-2")
        #expect(pool.next().0.id == "t-4")
    }

    @Test func aFinishedOrderIsNotSentAgain() {
        var pool = OrderPool(prefix: "t")
        var walk = OrderWalk(prefix: "t", number: 5)
        for _ in 0..<3 { _ = walk.advance() }
        #expect(walk.isFinished)
        pool.answered(walk)
        #expect(pool.next().0.id == "t-1")
    }

    @Test func bodiesAreTheServicesJSON() {
        var walk = OrderWalk(prefix: "p", number: 1001)
        #expect(walk.advance().body
            == #"{"orderId":"p-1001","customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":1250}]}"#)
        #expect(walk.advance().body == #"{"sku":"SKU-2","quantity":1,"unitPrice":200}"#)
        _ = walk.advance()
        let confirm = walk.advance()
        #expect(confirm.path == "/orders/p-1001/confirm" && confirm.body.isEmpty)
        #expect(walk.advance().body == #"{"carrier":"DHL","trackingNumber":"JD1001"}"#)
    }
}

@Suite struct SummaryAndScheduleTests {
    @Test func percentilesPickAsThePythonScriptsDo() throws {
        let summary = try #require(LatencySummary(seconds: (1...100).map { Double($0) / 1000 }.shuffled()))
        #expect(summary.count == 100)
        #expect(summary.p50_ms == 51)
        #expect(summary.p99_ms == 100)
        #expect(summary.max_ms == 100)
        #expect(LatencySummary(seconds: []) == nil)
    }

    @Test func anOpenLoopSpacesItemsByTheRateFromItsStart() {
        let loop = OpenLoop(rate: 1000, duration: 2.5)
        #expect(loop.count == 2500)
        #expect(loop.offset(0) == 0)
        #expect(loop.offset(1500) == 1_500_000_000)
        #expect(OpenLoop(rate: 3, duration: 1).offset(1) == 333_333_333)
    }
}
