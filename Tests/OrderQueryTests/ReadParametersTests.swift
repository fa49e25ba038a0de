import SQLStore
import Events
import Testing

@testable import OrderQuery

/// Query parameters: what is accepted, and a 400 with a clear detail for everything else.
@Suite struct ReadParametersTests {
    func parse(_ pairs: [(String, String)], route: ReadParameters.Route = [.list, .minVersion]) throws(QueryProblem) -> ReadParameters {
        try ReadParameters(pairs, route: route, partitionCount: 6)
    }

    @Test func acceptsTheDocumentedParameters() throws {
        let p = try parse([("position", "5:42"), ("waitMs", "0"), ("status", "shipped"), ("customerId", "c-1"),
                           ("limit", "500"), ("generation", "3")])
        #expect(p.condition == .position(partition: 5, offset: 42))
        #expect(p.wait == .zero)
        #expect(p.status == .shipped)
        #expect(p.limit == 500)
        #expect(p.generation == 3)
        #expect(try parse([("minVersion", "7")]).condition == .minVersion(7))
        #expect(try parse([]).limit == 50)
    }

    @Test(arguments: [
        [("position", "6:1")], [("position", "1")], [("position", "-1:2")], [("position", "1:-2")], [("position", "a:b")],
        [("minVersion", "0")], [("waitMs", "30001")], [("waitMs", "1e3")], [("limit", "0")], [("limit", "501")],
        [("limit", "99999999999999999999")], [("status", "lost")], [("customerId", "x';--")], [("cursor", "%%%")],
        [("unknown", "1")], [("limit", "5"), ("limit", "6")], [("position", "1:2"), ("minVersion", "3")],
    ] as [[(String, String)]])
    func refusesEverythingElse(_ pairs: [(String, String)]) {
        #expect(throws: QueryProblem.self) { try parse(pairs) }
    }

    @Test func routeSpecificParametersAreRefusedElsewhere() {
        #expect(throws: QueryProblem.self) { try parse([("minVersion", "1")], route: .list) }
        #expect(throws: QueryProblem.self) { try parse([("limit", "1")], route: .minVersion) }
    }

    @Test func cursorsRoundTripAndForgeriesAreRefused() {
        let cursor = ListCursor(placedAtMs: 1_800_000_000_123, orderId: "o-1:x")
        #expect(ListCursor(token: cursor.token) == cursor)
        #expect(ListCursor(token: "bm90LWEtY3Vyc29y") == nil)  // "not-a-cursor"
        #expect(ListCursor(token: "MTIzOmEnOy0t") == nil)  // "123:a';--"
        #expect(ListCursor(token: String(repeating: "A", count: 300)) == nil)
    }

    @Test func databaseURLs() throws {
        #expect(try DatabaseURL("sqlite:./data/q.sqlite") == .sqlite(path: "./data/q.sqlite"))
        let pg = try DatabaseURL("postgres://user:p%40ss@db:6432/orders")
        #expect(pg == .postgres(.init(host: "db", port: 6432, user: "user", password: "p@ss", database: "orders")))
        #expect(pg.description == "postgres://user:***@db:6432/orders")
        #expect(throws: DatabaseError.self) { try DatabaseURL("mysql://x@y/z") }
        #expect(throws: DatabaseError.self) { try DatabaseURL("sqlite:") }
        #expect(throws: DatabaseError.self) { try DatabaseURL("postgres://db/orders") }
    }

    @Test func sqlitePlaceholdersKeepTheirNumbers() {
        #expect(SQLiteExecutor.numberedPlaceholders("a = $1 AND b = $12 OR c = $1 AND d = '$'") == "a = ?1 AND b = ?12 OR c = ?1 AND d = '$'")
        #expect(SQLiteExecutor.numberedPlaceholders("é = $3, $a, $$4, $") == "é = ?3, $a, $?4, $")
    }
}
