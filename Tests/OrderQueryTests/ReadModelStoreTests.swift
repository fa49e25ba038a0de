import SQLStore
import Events
import Foundation
import Logging
import Testing

@testable import OrderQuery

/// The store against real databases: a SQLite file always, and PostgreSQL when the test
/// command provides one (ORDERS_TEST_DATABASE_URL; scripts/test always does).
@Suite(.serialized) struct ReadModelStoreTests {
    static var databases: [String] {
        var urls = ["sqlite"]
        if ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"] != nil { urls.append("postgres") }
        return urls
    }

    /// A fresh store: a new SQLite file, or a PostgreSQL schema emptied first.
    static func withStore(_ kind: String, _ body: (ReadModelStore) async throws -> Void) async throws {
        let logger = Logger(label: "test")
        let database: any SQLDatabase
        if kind == "sqlite" {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("oq-\(UUID().uuidString).sqlite").path
            database = try await DatabaseURL("sqlite:\(path)").open(logger: logger)
        } else {
            database = try await DatabaseURL(ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"]!).open(logger: logger)
            try await database.write { db in try await db.query("DROP SCHEMA IF EXISTS order_query CASCADE") }
        }
        do {
            try await body(ReadModelStore(database: database, logger: logger))
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    static let partitionOf: @Sendable (String) -> Int32 = { _ in 0 }

    @Test(arguments: databases) func migratingTwiceAtOnceMakesOneLiveGeneration(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            async let a = store.migrate(partitionCount: 3)
            async let b = store.migrate(partitionCount: 3)
            let (first, second) = try await (a, b)
            #expect(first == second)
            #expect(try await store.storedOffsets(first) == [0: 0, 1: 0, 2: 0])
        }
    }

    @Test(arguments: databases) func aBatchIsAppliedOnceAndAZombieIsRefused(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let generation = try await store.migrate(partitionCount: 1)
            var log = LogBuilder()
            log.append(LogBuilder.place, order: "o'1; DROP TABLE x", version: 1)
            log.append(LogBuilder.addB, order: "o'1; DROP TABLE x", version: 2)
            let projection = try await store.apply(log.records, to: generation, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            #expect(projection.inEffectCount == 2)
            #expect(try await store.storedOffsets(generation) == [0: 2])
            // The same batch again, from the offset it started at: another instance that lost the partition.
            await #expect(throws: ApplyRefusal.offsetMoved(partition: 0, stored: 2, expected: 0)) {
                try await store.apply(log.records, to: generation, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            }
            let order = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: "o'1; DROP TABLE x") }
            #expect(order?.state.version == 2)
            #expect(order?.state.items.map(\.sku) == ["A", "B"])
            let history = try await store.read(generation: nil) { db, t in try await ReadModelStore.history(db, t, id: "o'1; DROP TABLE x") }
            #expect(history.map(\.version) == [1, 2])
        }
    }

    /// A read model made before events recorded their actor (its history has no `actor`
    /// column) gets the column at start: its events read without an actor, new ones with theirs,
    /// on every write path (one statement, transaction, COPY).
    @Test(arguments: databases) func aReadModelFromBeforeActorsGetsTheColumnAndKeepsItsHistory(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let generation = try await store.migrate(partitionCount: 1)
            var log = LogBuilder()
            log.append(LogBuilder.place, order: "o-1", version: 1)
            _ = try await store.apply(log.records, to: generation, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            let events = store.schema.tables(generation).events
            try await store.database.write { db in try await db.query("ALTER TABLE \(events) DROP COLUMN actor") }

            #expect(try await store.migrate(partitionCount: 1) == generation)
            #expect(try await store.migrate(partitionCount: 1) == generation)
            log.append(LogBuilder.addB, order: "o-1", version: 2, actor: "alice")
            log.append(LogBuilder.confirm, order: "o-1", version: 3, actor: "anonymous")
            _ = try await store.apply(Array(log.records[1...]), to: generation, startOffsets: [0: 1], partitionOf: Self.partitionOf)
            for _ in 0..<300 { log.append(LogBuilder.place, order: "bulk-\(log.records.count)", version: 1, actor: "sam") }
            _ = try await store.apply(Array(log.records[3...]), to: generation, startOffsets: [0: 3], partitionOf: Self.partitionOf)

            let history = try await store.read(generation: nil) { db, t in try await ReadModelStore.history(db, t, id: "o-1") }
            #expect(history.map(\.actor) == [nil, "alice", "anonymous"])
            let bulk = try await store.read(generation: nil) { db, t in try await ReadModelStore.history(db, t, id: "bulk-200") }
            #expect(bulk.map(\.actor) == ["sam"])
        }
    }

    /// PostgreSQL's overlapped store writes a batch's own rows (events, new orders) before
    /// the compare-and-set; a zombie's batch fails there, on keys another instance stored,
    /// and must still come back as the typed refusal, not as a database error.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"] != nil))
    func aZombiesOverlappedBatchIsRefusedLikeAnyOther() async throws {
        try await Self.withStore("postgres") { store in
            let generation = try await store.migrate(partitionCount: 1)
            var log = LogBuilder()
            log.append(LogBuilder.place, order: "o-1", version: 1)
            log.append(LogBuilder.addB, order: "o-1", version: 2)
            _ = try await store.apply(log.records, to: generation, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            // The same batch, folded by an instance that lost the partition before storing it.
            let zombie = BatchProjection(records: log.records, before: [:], partitionOf: Self.partitionOf)
            await #expect(throws: ApplyRefusal.offsetMoved(partition: 0, stored: 2, expected: 0)) {
                try await store.applyFolded(zombie, to: generation, startOffsets: [0: 0], after: {})
            }
            #expect(try await store.storedOffsets(generation) == [0: 2])
            #expect(try await store.generation(generation)?.eventsApplied == 2)
            let history = try await store.read(generation: nil) { db, t in try await ReadModelStore.history(db, t, id: "o-1") }
            #expect(history.map(\.version) == [1, 2])
        }
    }

    @Test(arguments: databases) func aBatchOverSeveralPartitionsMovesAllOffsetsOrNone(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let generation = try await store.migrate(partitionCount: 3)
            let byName: @Sendable (String) -> Int32 = { Int32($0.dropFirst(2))! % 3 }
            var log = LogBuilder(partitionOf: byName)
            for n in 0..<6 { log.append(LogBuilder.place, order: "o-\(n)", version: 1) }
            _ = try await store.apply(log.records, to: generation, startOffsets: [0: 0, 1: 0, 2: 0], partitionOf: byName)
            #expect(try await store.storedOffsets(generation) == [0: 2, 1: 2, 2: 2])
            // A second batch whose start is right for partitions 0 and 2 but not for 1: nothing moves.
            var next = log
            next.records = []
            for n in 0..<6 { next.append(LogBuilder.addB, order: "o-\(n)", version: 2) }
            await #expect(throws: ApplyRefusal.offsetMoved(partition: 1, stored: 2, expected: 1)) {
                try await store.apply(next.records, to: generation, startOffsets: [0: 2, 1: 1, 2: 2], partitionOf: byName)
            }
            #expect(try await store.storedOffsets(generation) == [0: 2, 1: 2, 2: 2])
            _ = try await store.apply(next.records, to: generation, startOffsets: [0: 2, 1: 2, 2: 2], partitionOf: byName)
            #expect(try await store.storedOffsets(generation) == [0: 4, 1: 4, 2: 4])
            #expect(try await store.generation(generation)?.eventsApplied == 12)  // the refused batch counted nothing
            let order = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: "o-4") }
            #expect(order?.state.items.map(\.sku) == ["A", "B"])
        }
    }

    @Test(arguments: databases) func textSurvivesTheFastPathExactly(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let generation = try await store.migrate(partitionCount: 1)
            let reason = "tab\there, back\\slash, new\nline, cr\r, \\N, «ünïcode» 📦, '; DROP TABLE x; --"
            var log = LogBuilder()
            log.append(LogBuilder.place, order: "o-1", version: 1)
            log.append(.cancelled(OrderCancelled(reason: reason)), order: "o-1", version: 2)
            _ = try await store.apply(log.records, to: generation, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            let order = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: "o-1") }
            #expect(order?.state.cancelReason == reason)
            let history = try await store.read(generation: nil) { db, t in try await ReadModelStore.history(db, t, id: "o-1") }
            #expect(history.last?.payload.contains("DROP TABLE") == true)
            let customer = try await store.read(generation: nil) { db, t in try await ReadModelStore.customer(db, t, id: "c-1") }
            #expect(customer?.byStatus["cancelled"] == 1)
            #expect(customer?.byStatus["placed"] == 0)
            #expect(customer?.totals == [:])
        }
    }

    @Test(arguments: databases) func aRebuildSwapsInOnlyOnceCaughtUp(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let live = try await store.migrate(partitionCount: 1)
            var log = LogBuilder()
            log.append(LogBuilder.place, order: "o-1", version: 1)
            log.append(LogBuilder.addB, order: "o-1", version: 2)
            _ = try await store.apply(log.records, to: live, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            let rebuild = try await store.createGeneration(status: .building, upTo: nil, partitionCount: 1)
            _ = try await store.apply(Array(log.records.prefix(1)), to: rebuild, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            #expect(try await store.swapIfCaughtUp(rebuild) == .behind)
            #expect(try await store.liveGeneration() == live)
            _ = try await store.apply(Array(log.records.suffix(1)), to: rebuild, startOffsets: [0: 1], partitionOf: Self.partitionOf)
            #expect(try await store.swapIfCaughtUp(rebuild) == .swapped(retired: live))
            #expect(try await store.liveGeneration() == rebuild)
            // The retired generation takes no more events and serves no queries.
            await #expect(throws: ApplyRefusal.generationClosed(live)) {
                try await store.apply([], to: live, startOffsets: [:], partitionOf: Self.partitionOf)
            }
            await #expect(throws: QueryRefusal.generationNotFound(live)) {
                try await store.read(generation: live) { db, t in try await ReadModelStore.stats(db, t) }
            }
            try await store.drop(live)
            let order = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: "o-1") }
            #expect(order?.state.version == 2)
        }
    }

    /// The array parameters that delete replaced lines (`Statement.array`) reach PostgreSQL as
    /// given, whatever an id holds: quotes, backslashes, braces, commas, the word NULL.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"] != nil))
    func arrayParametersReachPostgreSQLAsGiven() async throws {
        try await Self.withStore("postgres") { store in
            let texts = ["o-1", "", "a\"b", "c\\d", "{x,y}", "NULL", " spaced ", "o'1; DROP TABLE x", "ünïcödé", "tab\there", "\\\""]
            let integers: [Int64] = [0, -1, .max, .min, 42]
            var select = Statement()
            let textArray = select.array(texts)
            let integerArray = select.array(integers)
            select.append("""
                SELECT t.v, i.v FROM unnest(\(textArray)::text[]) WITH ORDINALITY AS t(v, n)
                FULL JOIN unnest(\(integerArray)::bigint[]) WITH ORDINALITY AS i(v, n) ON t.n = i.n ORDER BY coalesce(t.n, i.n)
                """)
            let query = select
            let rows = try await store.database.read { db in try await query.run(on: db) }
            #expect(try rows.map { try $0.string(0) } == texts)
            #expect(try rows.compactMap { try $0.optionalInt(1) } == integers)
        }
    }

    /// A rebuild is built without the indexes that serve lists (maintaining them row by row
    /// cost it more than building them once), and gets them before it serves; the live
    /// generation has them from the start.
    @Test(arguments: databases) func aGenerationBuiltFromTheLogGetsItsQueryIndexesBeforeItServes(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let live = try await store.migrate(partitionCount: 1)
            let rebuild = try await store.createGeneration(status: .building, upTo: nil, partitionCount: 1)
            let all: Set<String> = ["placed", "status", "customer"]
            #expect(try await Self.queryIndexes(store, live) == all)
            #expect(try await Self.queryIndexes(store, rebuild) == [])
            var log = LogBuilder()
            log.append(LogBuilder.place, order: "o-1", version: 1)
            _ = try await store.apply(log.records, to: rebuild, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            try await store.prepareForQueries(rebuild)
            #expect(try await Self.queryIndexes(store, rebuild) == all)
            // Again: nothing to do.
            try await store.prepareForQueries(rebuild)
            #expect(try await Self.queryIndexes(store, rebuild) == all)
        }
    }

    /// The query indexes a generation's orders table has, by what they serve.
    static func queryIndexes(_ store: ReadModelStore, _ generation: Int64) async throws -> Set<String> {
        let table = store.schema.tables(generation).bare.orders
        let sql = store.schema.dialect == .postgres
            ? "SELECT indexname FROM pg_indexes WHERE schemaname = 'order_query' AND tablename = $1"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'order_query_' || $1"
        let names = try await store.database.read { db in try await db.query(sql, [.text(table)]).map { try $0.string(0) } }
        return Set(names.compactMap { name in ["placed", "status", "customer"].first { name.hasSuffix("_\($0)") } })
    }

    @Test(arguments: databases) func theOneStatementOrderReadAgreesWithTheSnapshotReadAndFollowsASwap(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let live = try await store.migrate(partitionCount: 1)
            let id = "o'1; DROP TABLE x"
            var log = LogBuilder()
            log.append(LogBuilder.place, order: id, version: 1)
            log.append(LogBuilder.addB, order: id, version: 2)
            _ = try await store.apply(log.records, to: live, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            let snapshot = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: id) }
            #expect(snapshot?.state.items.count == 2)
            #expect(try await store.visibleOrder(id: id, condition: nil, generation: nil) == .order(snapshot))
            // Conditions: stored next offset 2, version 2.
            #expect(try await store.visibleOrder(id: id, condition: .position(partition: 0, offset: 1), generation: nil) == .order(snapshot))
            #expect(try await store.visibleOrder(id: id, condition: .position(partition: 0, offset: 2), generation: nil) == .notYet)
            #expect(try await store.visibleOrder(id: id, condition: .minVersion(2), generation: nil) == .order(snapshot))
            #expect(try await store.visibleOrder(id: id, condition: .minVersion(3), generation: nil) == .notYet)
            #expect(try await store.visibleOrder(id: "o-none", condition: nil, generation: nil) == .order(nil))
            #expect(try await store.visibleOrder(id: "o-none", condition: .minVersion(1), generation: nil) == .notYet)
            #expect(try await store.visibleOrder(id: id, condition: nil, generation: live) == .order(snapshot))
            await #expect(throws: QueryRefusal.generationNotFound(live + 7)) {
                try await store.visibleOrder(id: id, condition: nil, generation: live + 7)
            }
            // A rebuild swaps in and the old tables are dropped: the assumed live generation
            // is found out of date by the statement itself, and the read follows the new one.
            let rebuild = try await store.createGeneration(status: .building, upTo: nil, partitionCount: 1)
            log.append(LogBuilder.confirm, order: id, version: 3)
            _ = try await store.apply(log.records, to: rebuild, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            #expect(try await store.swapIfCaughtUp(rebuild) == .swapped(retired: live))
            guard case .order(let swapped)? = try? await store.visibleOrder(id: id, condition: nil, generation: nil) else {
                Issue.record("the read must follow the swap")
                return
            }
            #expect(swapped?.state.version == 3)
            await #expect(throws: QueryRefusal.generationNotFound(live)) {
                try await store.visibleOrder(id: id, condition: nil, generation: live)
            }
            // Once more, with the assumed generation's tables dropped before the next read.
            let second = try await store.createGeneration(status: .building, upTo: nil, partitionCount: 1)
            _ = try await store.apply(log.records, to: second, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            #expect(try await store.swapIfCaughtUp(second) == .swapped(retired: rebuild))
            try await store.drop(rebuild)
            #expect(try await store.visibleOrder(id: id, condition: .minVersion(3), generation: nil) == .order(swapped))
        }
    }

    /// Small batches (on PostgreSQL, each one statement; and each in a transaction) and one
    /// big batch (one transaction) build the same read model, and both equal the in-memory fold: items added, removed and
    /// re-added (lines trimmed and rewritten in place), void events from a second writer.
    @Test(arguments: databases) func smallBatchesAndOneBigBatchBuildTheSameReadModel(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let small = try await store.migrate(partitionCount: 1)
            let big = try await store.createGeneration(status: .building, upTo: nil, partitionCount: 1)
            // The same small batches, each in a transaction (with the same known rows).
            let smallInTransactions = try await store.createGeneration(status: .building, upTo: nil, partitionCount: 1)
            var random = SplitMix(seed: 7)
            var log = LogBuilder()
            let skus = ["A", "B", "C", "D"]
            for n in 0..<40 {
                let order = "o-\(n)"
                var held: [String] = ["A"]
                var version: Int64 = 1
                log.append(LogBuilder.place, order: order, version: version)
                for _ in 0..<(1 + random.next() % 6) {
                    version += 1
                    if let sku = held.randomElement(using: &random), held.count > 1, random.next() % 2 == 0 {
                        log.append(.itemRemoved(ItemRemoved(sku: sku)), order: order, version: version)
                        held.removeAll { $0 == sku }
                    } else {
                        let sku = skus.filter { !held.contains($0) }.randomElement(using: &random) ?? "A"
                        log.append(.itemAdded(ItemAdded(sku: sku, quantity: Int64(1 + random.next() % 3), unitPrice: 250)),
                                   order: order, version: version)
                        if !held.contains(sku) { held.append(sku) }
                    }
                    if random.next() % 5 == 0 {
                        // A second writer's event at a version already taken: void.
                        log.append(LogBuilder.addB, order: order, version: version)
                    }
                }
                if n % 3 == 0 { log.append(.cancelled(OrderCancelled(reason: "r")), order: order, version: version + 1) }
            }
            // A second writer places orders that exist already (void): unknown to the cache,
            // each is assumed new, the statement finds it is not, and the batch is read again.
            let history = log.records.count
            for n in stride(from: 0, to: 40, by: 7) { log.append(LogBuilder.place, order: "o-\(n)", version: 1) }

            // The small batches, with the rows of the orders they wrote passed back as known
            // (the projection's cache) in half of them, and none in the others.
            var known: [String: OrderRow] = [:]
            var offset = 0
            while offset < log.records.count {
                let end = offset < history ? min(offset + 1 + Int(random.next() % 4), history) : log.records.count
                let batch = Array(log.records[offset..<end])
                let passed = offset < history && random.next() % 2 == 0 ? known : [:]
                let projection = try await store.apply(
                    batch, to: small, startOffsets: [0: Int64(offset)], partitionOf: Self.partitionOf, known: passed)
                _ = try await store.applyInTransaction(
                    batch, orderIds: Set(batch.compactMap { $0.record.keyString }), to: smallInTransactions,
                    startOffsets: [0: Int64(offset)], partitionOf: Self.partitionOf, known: passed)
                known.merge(projection.orders) { _, new in new }
                offset = end
            }
            _ = try await store.applyInTransaction(
                log.records, orderIds: Set(log.records.compactMap { $0.record.keyString }), to: big, startOffsets: [0: 0],
                partitionOf: Self.partitionOf)

            let folded = BatchProjection(records: log.records, before: [:], partitionOf: Self.partitionOf)
            #expect(folded.voidCount > 0)
            for generation in [small, big, smallInTransactions] {
                let t = store.schema.tables(generation)
                try await store.database.read { db in
                    for (id, expected) in folded.orders {
                        let stored = try await ReadModelStore.order(db, t, id: id)
                        #expect(stored == expected, "generation \(generation), \(id)")
                        let history = try await ReadModelStore.history(db, t, id: id)
                        #expect(history == folded.events.map(\.row).filter { $0.orderId == id }, "generation \(generation), \(id)")
                    }
                    let customer = try await ReadModelStore.customer(db, t, id: "c-1")
                    #expect(customer?.orderCount == 40)
                    #expect(customer?.byStatus["cancelled"] == 14)
                }
            }
            #expect(try await store.storedOffsets(small) == [0: Int64(log.records.count)])
            #expect(try await store.generation(small)?.eventsApplied == Int64(folded.inEffectCount))
        }
    }

    /// Orders with very many lines (which order-command refuses, but another writer may put
    /// in the log): a small batch of them is applied whole, each order's lines intact (they
    /// are one value of its row, whatever their number).
    @Test(arguments: databases) func aSmallBatchOfHugeOrdersIsStillApplied(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let generation = try await store.migrate(partitionCount: 1)
            var log = LogBuilder()
            let items = (0..<700).map { LineItem(sku: "S\($0)", quantity: 1, unitPrice: 1) }
            for n in 0..<20 {
                log.append(.placed(OrderPlaced(customerId: "c-1", currency: "EUR", items: items)), order: "big-\(n)", version: 1)
            }
            _ = try await store.apply(log.records, to: generation, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            #expect(try await store.storedOffsets(generation) == [0: 20])
            let order = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: "big-19") }
            #expect(order?.state.items == items)
        }
    }

    /// An order's lines are stored as folded: lines added at the end, removed from the front
    /// (the others shift), changed in the middle and removed from the end, each in a batch of
    /// its own, through both ways a batch is stored.
    @Test(arguments: databases, [true, false]) func changedLinesAreStoredAsFolded(_ kind: String, inTransaction: Bool) async throws {
        try await Self.withStore(kind) { store in
            let generation = try await store.migrate(partitionCount: 1)
            let line = { (sku: String, quantity: Int64) in LineItem(sku: sku, quantity: quantity, unitPrice: 100) }
            let steps: [OrderEvent] = [
                .placed(OrderPlaced(customerId: "c-1", currency: "EUR", items: [line("A", 1), line("B", 2), line("C", 3)])),
                .itemAdded(ItemAdded(sku: "D", quantity: 4, unitPrice: 100)),
                .itemRemoved(ItemRemoved(sku: "A")),
                .itemAdded(ItemAdded(sku: "C", quantity: 5, unitPrice: 100)),
                .itemRemoved(ItemRemoved(sku: "D")),
                .itemAdded(ItemAdded(sku: "E", quantity: 1, unitPrice: 100)),
            ]
            var log = LogBuilder()
            var expected = OrderState()
            for (index, event) in steps.enumerated() {
                log.records = []
                log.append(event, order: "o-1", version: Int64(index + 1))
                expected.evolve(event)
                let start = Int64(index)
                if inTransaction {
                    _ = try await store.applyInTransaction(
                        log.records, orderIds: ["o-1"], to: generation, startOffsets: [0: start], partitionOf: Self.partitionOf)
                } else {
                    _ = try await store.apply(log.records, to: generation, startOffsets: [0: start], partitionOf: Self.partitionOf)
                }
                let order = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: "o-1") }
                #expect(order?.state.items == expected.items, "after step \(index + 1)")
            }
            #expect(expected.items.map(\.sku) == ["B", "C", "E"])
        }
    }

    /// A read model made when an order's lines were rows of their own table gets them as the
    /// orders' `items` column at start, in line order, the SKUs' odd characters intact; the
    /// line table goes, and every write path goes on from there.
    @Test(arguments: databases) func aReadModelWithALineTableGetsItsLinesMovedIntoTheOrders(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let generation = try await store.migrate(partitionCount: 1)
            let odd = "sku \"quoted\" \\ é \u{1}"
            var log = LogBuilder()
            log.append(.placed(OrderPlaced(customerId: "c-1", currency: "EUR", items: [
                LineItem(sku: "Z", quantity: 1, unitPrice: 5), LineItem(sku: odd, quantity: 3, unitPrice: 7),
                LineItem(sku: "A", quantity: 2, unitPrice: 9),
            ])), order: "o-1", version: 1)
            log.append(LogBuilder.place, order: "o-2", version: 1)
            log.append(.placed(OrderPlaced(customerId: "c-2", currency: "EUR", items: [])), order: "o-3", version: 1)
            _ = try await store.apply(log.records, to: generation, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            let before = try await store.read(generation: nil) { db, t in try await ReadModelStore.loadOrders(db, t, ids: ["o-1", "o-2", "o-3"]) }
            #expect(before["o-1"]?.state.items.map(\.sku) == ["Z", odd, "A"])

            // The layout of before: the lines in a table of their own, none in the orders' rows.
            let t = store.schema.tables(generation)
            let key = kind == "postgres" ? "TEXT COLLATE \"C\"" : "TEXT"
            try await store.database.write { db in
                try await db.query("""
                    CREATE TABLE \(t.legacyItems) (order_id \(key) NOT NULL, line_no BIGINT NOT NULL, sku TEXT NOT NULL,
                        quantity BIGINT NOT NULL, unit_price BIGINT NOT NULL, PRIMARY KEY (order_id, line_no))
                    """)
                // Inserted backwards: the lines' order is line_no's, not the table's.
                for (orderId, row) in before.sorted(by: { $0.key > $1.key }) {
                    for (line, item) in row.state.items.enumerated().reversed() {
                        try await db.query("INSERT INTO \(t.legacyItems) VALUES ($1, $2, $3, $4, $5)", [
                            .text(orderId), .int(Int64(line)), .text(item.sku), .int(item.quantity), .int(item.unitPrice),
                        ])
                    }
                }
                try await db.query("ALTER TABLE \(t.orders) DROP COLUMN items")
            }

            #expect(try await store.migrate(partitionCount: 1) == generation)
            #expect(try await store.migrate(partitionCount: 1) == generation)
            let after = try await store.read(generation: nil) { db, t in try await ReadModelStore.loadOrders(db, t, ids: ["o-1", "o-2", "o-3"]) }
            #expect(after == before)
            await #expect(throws: (any Error).self) {
                try await store.read(generation: nil) { db, t in try await db.query("SELECT count(*) FROM \(t.legacyItems)") }
            }
            // Every write path on the upgraded table: one statement, a transaction, COPY.
            log.append(LogBuilder.addB, order: "o-1", version: 2)
            _ = try await store.apply(Array(log.records[3...]), to: generation, startOffsets: [0: 3], partitionOf: Self.partitionOf)
            log.append(.itemRemoved(ItemRemoved(sku: odd)), order: "o-1", version: 3)
            _ = try await store.applyInTransaction(
                Array(log.records[4...]), orderIds: ["o-1"], to: generation, startOffsets: [0: 4], partitionOf: Self.partitionOf)
            log.append(LogBuilder.addB, order: "o-3", version: 2)
            for _ in 0..<300 { log.append(LogBuilder.place, order: "bulk-\(log.records.count)", version: 1) }
            _ = try await store.apply(Array(log.records[5...]), to: generation, startOffsets: [0: 5], partitionOf: Self.partitionOf)
            let o1 = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: "o-1") }
            #expect(o1?.state.items.map(\.sku) == ["Z", "A", "B"])
            let o3 = try await store.read(generation: nil) { db, t in try await ReadModelStore.order(db, t, id: "o-3") }
            #expect(o3?.state.items.map(\.sku) == ["B"])
        }
    }

    @Test(arguments: databases) func theListPagesNewestFirstWithoutRepeats(_ kind: String) async throws {
        try await Self.withStore(kind) { store in
            let generation = try await store.migrate(partitionCount: 1)
            var log = LogBuilder()
            for n in 0..<7 { log.append(LogBuilder.place, order: "o-\(n)", version: 1) }
            _ = try await store.apply(log.records, to: generation, startOffsets: [0: 0], partitionOf: Self.partitionOf)
            var seen: [String] = []
            var cursor: ListCursor?
            repeat {
                let filter = OrderListFilter(limit: 3, after: cursor)
                let page = try await store.read(generation: nil) { db, t in try await ReadModelStore.list(db, t, filter) }
                seen += page.orders.map(\.orderId)
                cursor = page.next
            } while cursor != nil
            #expect(seen == (0..<7).reversed().map { "o-\($0)" })
            let stats = try await store.read(generation: nil) { db, t in try await ReadModelStore.stats(db, t) }
            #expect(stats.first { $0.status == "placed" }?.totals == ["EUR": 7 * 300])
            let customer = try await store.read(generation: nil) { db, t in try await ReadModelStore.customer(db, t, id: "c-1") }
            #expect(customer?.orderCount == 7)
            #expect(customer?.totals == ["EUR": 2100])
        }
    }
}

/// A seeded generator: the same history on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
