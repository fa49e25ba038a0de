import Events
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import OrderQuery
import RouterTestSupport
import ServiceHTTP
import Testing

/// Every route of OrderQuery through its real router (`buildRouter`), over the read model in
/// memory: answers, problem kinds and headers of the contract (docs/architecture.md), without
/// Kafka or a database.
@Suite struct QueryRouterTests {
    static let adminToken = "s3cret-token"

    func withRouter(
        _ model: MemoryReadModel, adminToken: String? = Self.adminToken, authentication: TokenVerifier? = nil,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = buildRouter(
            reader: model, operations: model, partitionCount: 3, adminToken: adminToken, metrics: QueryMetrics(), authentication: authentication)
        try await Application(router: router).test(.router, body)
    }

    static func row(_ id: String, customer: String = "alice", status: OrderStatus = .placed, version: Int64 = 1, placedAtMs: Int64 = 1_000) -> OrderRow {
        var state = OrderState()
        state.version = version
        state.status = status
        state.customerId = customer
        state.currency = "EUR"
        state.items = [LineItem(sku: "TEA", quantity: 2, unitPrice: 450)]
        return OrderRow(orderId: id, partition: 0, state: state, placedAt: Timestamp(millisecondsSinceEpoch: placedAtMs),
                        updatedAt: Timestamp(millisecondsSinceEpoch: placedAtMs + 5))
    }

    static func event(_ id: String, version: Int64, type: String, offset: Int64, customer: String = "alice", actor: String? = nil) -> EventRow {
        EventRow(orderId: id, version: version, eventType: type, eventId: "e-\(version)", schemaVersion: 1, commandId: "c-\(version)",
                 occurredAt: Timestamp(millisecondsSinceEpoch: 1_000 + version), partition: 0, offset: offset, status: "placed",
                 payload: type == "OrderPlaced" ? #"{"customerId":"\#(customer)","note":"v1"}"# : #"{"note":"v\#(version)"}"#, actor: actor)
    }

    static func model() async -> MemoryReadModel {
        let model = MemoryReadModel()
        await model.add(row("o-1", version: 2), events: [event("o-1", version: 1, type: "OrderPlaced", offset: 4), event("o-1", version: 2, type: "ItemAdded", offset: 9, actor: "alice")])
        await model.add(row("o-2", customer: "bob", status: .confirmed, placedAtMs: 2_000))
        await model.add(row("o-3", status: .confirmed, placedAtMs: 3_000))
        return model
    }



    // MARK: Orders

    @Test func anOrderIsAnsweredWithItsVersionAsETag() async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: "/orders/o-1", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"2\"")
                let body = try jsonObject(response)
                #expect(body["orderId"] as? String == "o-1" && body["version"] as? Int == 2 && body["total"] as? Int == 900)
                #expect(body["status"] as? String == "placed" && body["customerId"] as? String == "alice")
            }
            try await client.execute(uri: "/orders/o-1", method: .get, headers: [.ifNoneMatch: "\"1\", W/\"2\""]) { response in
                #expect(response.status == .notModified)
                #expect(response.headers[.eTag] == "\"2\"")
            }
            try await client.execute(uri: "/orders/o-1", method: .get, headers: [.ifNoneMatch: "\"1\""]) { #expect($0.status == .ok) }
        }
    }

    @Test func readYourWritesWaitsForItsConditionOrSaysNotYetVisible() async throws {
        let model = await Self.model()
        await model.set(stored: [0: 10])
        try await withRouter(model) { client in
            try await client.execute(uri: "/orders/o-1?minVersion=2", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/orders/o-1?position=0:9", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/orders/o-1?minVersion=3&waitMs=0", method: .get) { response in
                let detail = try expectProblem(response, .serviceUnavailable, "not-yet-visible")["detail"] as? String
                #expect(detail == "the read model had not applied version 3 of order o-1 within 0 ms")
            }
            try await client.execute(uri: "/stats?position=1:0&waitMs=0", method: .get) { response in
                let detail = try expectProblem(response, .serviceUnavailable, "not-yet-visible")["detail"] as? String
                #expect(detail == "the read model had not applied position 1:0 within 0 ms")
            }
        }
    }

    @Test func anUnknownOrderIsOrderNotFound() async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: "/orders/nobody", method: .get) { _ = try expectProblem($0, .notFound, "order-not-found") }
            try await client.execute(uri: "/orders/nobody/history", method: .get) { _ = try expectProblem($0, .notFound, "order-not-found") }
        }
    }

    @Test(arguments: [
        "/orders/o'1", "/orders/o-1?minVersion=0", "/orders/o-1?minVersion=x", "/orders/o-1?waitMs=30001", "/orders/o-1?waitMs=1&waitMs=2",
        "/orders/o-1?position=0:1&minVersion=1", "/orders/o-1?position=7:1", "/orders/o-1?generation=0", "/orders/o-1?colour=red",
        "/orders?status=lost", "/orders?limit=0", "/orders?limit=501", "/orders?cursor=%25%25", "/orders?minVersion=1",
        "/customers/a%20b", "/stats?minVersion=1", "/projection?waitMs=-1",
    ])
    func aMalformedQueryIsAValidationProblem(uri: String) async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: uri, method: .get) { _ = try expectProblem($0, .badRequest, "validation") }
        }
    }

    @Test func historyListsTheEventsInEffectWithTheirPositions() async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: "/orders/o-1/history", method: .get) { response in
                #expect(response.status == .ok)
                let events = try #require(try jsonObject(response)["events"] as? [[String: Any]])
                #expect(events.map { $0["position"] as? String } == ["0:4", "0:9"])
                #expect(events.map { $0["eventType"] as? String } == ["OrderPlaced", "ItemAdded"])
                #expect((events[1]["data"] as? [String: String]) == ["note": "v2"])
                // The actor where the event has one; none for events written before actors.
                #expect(events.map { $0["actor"] as? String } == [nil, "alice"])
            }
        }
    }

    /// With authentication on: a customer's token reads its own orders only (another's is
    /// missing), lists its own, cannot list another's; staff reads everything.
    @Test func aCustomerReadsItsOwnOrdersOnly() async throws {
        let tokens = try await TestTokens()
        let model = await Self.model()
        await model.add(Self.row("o-4", customer: "bob"), events: [Self.event("o-4", version: 1, type: "OrderPlaced", offset: 11, customer: "bob")])
        try await withRouter(model, authentication: try await tokens.verifier()) { client in
            let alice: HTTPFields = [.authorization: TestTokens.bearer(try await tokens.token("alice", roles: ["customer"]))]
            let staff: HTTPFields = [.authorization: TestTokens.bearer(try await tokens.token("sam", roles: ["staff"]))]
            try await client.execute(uri: "/orders/o-1", method: .get) { _ = try expectProblem($0, .unauthorized, "unauthorized") }
            try await client.execute(uri: "/orders/o-1", method: .get, headers: alice) { #expect($0.status == .ok) }
            try await client.execute(uri: "/orders/o-1/history", method: .get, headers: alice) { #expect($0.status == .ok) }
            for uri in ["/orders/o-4", "/orders/o-4/history"] {
                try await client.execute(uri: uri, method: .get, headers: alice) { _ = try expectProblem($0, .notFound, "order-not-found") }
                try await client.execute(uri: uri, method: .get, headers: staff) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/customers/bob", method: .get, headers: alice) { _ = try expectProblem($0, .notFound, "customer-not-found") }
            try await client.execute(uri: "/orders", method: .get, headers: alice) { response in
                let ids = try #require(try jsonObject(response)["orders"] as? [[String: Any]]).compactMap { $0["orderId"] as? String }
                #expect(Set(ids) == ["o-1", "o-3"])
            }
            try await client.execute(uri: "/orders?customerId=bob", method: .get, headers: alice) { _ = try expectProblem($0, .forbidden, "forbidden") }
            try await client.execute(uri: "/orders?customerId=bob", method: .get, headers: staff) { #expect($0.status == .ok) }
            try await client.execute(uri: "/stats", method: .get, headers: alice) { _ = try expectProblem($0, .forbidden, "forbidden") }
            try await client.execute(uri: "/stats", method: .get, headers: staff) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func theListPagesWithACursorAndFilters() async throws {
        try await withRouter(await Self.model()) { client in
            var cursor: String?
            try await client.execute(uri: "/orders?limit=2", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect((body["orders"] as? [[String: Any]])?.map { $0["orderId"] as? String } == ["o-1", "o-2"])
                cursor = body["nextCursor"] as? String
            }
            let next = try #require(cursor)
            try await client.execute(uri: "/orders?limit=2&cursor=\(next)", method: .get) { response in
                let body = try jsonObject(response)
                #expect((body["orders"] as? [[String: Any]])?.map { $0["orderId"] as? String } == ["o-3"])
                #expect(body["nextCursor"] == nil || body["nextCursor"] is NSNull)
            }
            try await client.execute(uri: "/orders?status=confirmed&customerId=alice", method: .get) { response in
                let orders = try jsonObject(response)["orders"] as? [[String: Any]]
                #expect(orders?.map { $0["orderId"] as? String } == ["o-3"])
            }
        }
    }

    @Test func aCustomerIsSummedUpOrNotFound() async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: "/customers/alice", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["orderCount"] as? Int == 2)
                #expect(body["byStatus"] as? [String: Int] == ["placed": 1, "confirmed": 1])
                #expect(body["totals"] as? [String: Int] == ["EUR": 1800])
            }
            try await client.execute(uri: "/customers/nobody", method: .get) { _ = try expectProblem($0, .notFound, "customer-not-found") }
        }
    }

    @Test func statsCountOrdersPerStatus() async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: "/stats", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["orders"] as? Int == 3)
                #expect((body["byStatus"] as? [String: [String: Any]])?["confirmed"]?["orders"] as? Int == 2)
            }
        }
    }

    @Test func anUnknownGenerationIsGenerationNotFound() async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: "/orders/o-1?generation=1", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/orders/o-1?generation=7", method: .get) { _ = try expectProblem($0, .notFound, "generation-not-found") }
        }
    }

    @Test func anUnreachableDatabaseIsUnavailableNeverA500() async throws {
        struct ConnectionRefused: Error {}
        let model = await Self.model()
        await model.fail(with: ConnectionRefused())
        try await withRouter(model) { client in
            for uri in ["/orders/o-1", "/orders/o-1/history", "/orders", "/customers/alice", "/stats", "/projection"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let detail = try expectProblem(response, .serviceUnavailable, "unavailable")["detail"] as? String
                    #expect(detail?.contains("ConnectionRefused") == true, "\(uri): \(detail ?? "")")
                }
            }
            await model.fail(with: QueryRefusal.noLiveGeneration)
            try await client.execute(uri: "/orders/o-1", method: .get) { response in
                let detail = try expectProblem(response, .serviceUnavailable, "unavailable")["detail"] as? String
                #expect(detail == "the read model has no live generation yet")
            }
        }
    }

    // MARK: Operations

    @Test func healthAndReadiness() async throws {
        let model = await Self.model()
        try await withRouter(model) { client in
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            await model.setNotReady("not in the consumer group yet")
            try await client.execute(uri: "/health/ready", method: .get) { response in
                let detail = try expectProblem(response, .serviceUnavailable, "unavailable")["detail"] as? String
                #expect(detail == "not ready: not in the consumer group yet")
            }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func metricsAndTheOpenAPIDocument() async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let paths = try #require(try jsonObject(response)["paths"] as? [String: Any])
                for path in ["/orders/{id}", "/orders/{id}/history", "/orders", "/customers/{id}", "/stats", "/projection", "/admin/rebuild", "/admin/rebuild/{id}"] {
                    #expect(paths[path] != nil, "\(path) is not in the document")
                }
            }
        }
    }

    @Test func theProjectionShowsStoredOffsetsAgainstTheLogsEnd() async throws {
        let model = await Self.model()
        await model.set(stored: [0: 10, 1: 4], ends: [0: 12, 1: 4, 2: 3])
        try await withRouter(model) { client in
            try await client.execute(uri: "/projection", method: .get) { response in
                #expect(response.status == .ok)
                let partitions = try #require(try jsonObject(response)["partitions"] as? [[String: Int]])
                #expect(partitions == [
                    ["partition": 0, "storedOffset": 10, "endOffset": 12, "lag": 2],
                    ["partition": 1, "storedOffset": 4, "endOffset": 4, "lag": 0],
                    ["partition": 2, "storedOffset": 0, "endOffset": 3, "lag": 3],
                ])
            }
        }
    }

    @Test func adminRoutesAreForbiddenWithoutATokenConfiguredAndUnauthorizedWithAWrongOne() async throws {
        try await withRouter(await Self.model(), adminToken: nil) { client in
            try await client.execute(uri: "/admin/rebuild", method: .post) { _ = try expectProblem($0, .forbidden, "forbidden") }
            try await client.execute(uri: "/admin/rebuild/2", method: .get) { _ = try expectProblem($0, .forbidden, "forbidden") }
        }
        try await withRouter(await Self.model()) { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong"], [.authorization: "Basic \(Self.adminToken)"]] {
                try await client.execute(uri: "/admin/rebuild", method: .post, headers: headers) { _ = try expectProblem($0, .unauthorized, "unauthorized") }
            }
        }
    }

    @Test func aRebuildStartsOnceAndIsFollowedByItsId() async throws {
        let model = await Self.model()
        let auth: HTTPFields = [.authorization: "Bearer \(Self.adminToken)"]
        try await withRouter(model) { client in
            try await client.execute(uri: "/admin/rebuild", method: .post, headers: auth, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .accepted)
                #expect(response.headers[.location] == "/admin/rebuild/2")
                let body = try jsonObject(response)
                #expect(body["id"] as? Int == 2 && body["kind"] as? String == "rebuild" && body["status"] as? String == "building")
            }
            try await client.execute(uri: "/admin/rebuild", method: .post, headers: auth) { response in
                let problem = try expectProblem(response, .conflict, "rebuild-running")
                #expect(problem["rebuildId"] as? Int == 2)
            }
            try await client.execute(uri: "/admin/rebuild/2", method: .get, headers: auth) { response in
                #expect(response.status == .ok)
                let id = try jsonObject(response)["id"] as? Int
                #expect(id == 2)
            }
            try await client.execute(uri: "/admin/rebuild/9", method: .get, headers: auth) { _ = try expectProblem($0, .notFound, "rebuild-not-found") }
            try await client.execute(uri: "/admin/rebuild/x", method: .get, headers: auth) { _ = try expectProblem($0, .badRequest, "validation") }
            await model.setRunning(nil)
            try await client.execute(
                uri: "/admin/rebuild", method: .post, headers: auth, body: ByteBuffer(string: #"{"upTo":{"0":5,"2":1}}"#)
            ) { response in
                #expect(response.status == .accepted)
                let kind = try jsonObject(response)["kind"] as? String
                #expect(kind == "as-of")
            }
        }
        #expect(await model.started == [.live, .upTo([0: 5, 2: 1])])
    }

    @Test(arguments: [
        #"[1]"#, #"{"upTo":{}}"#, #"{"upTo":{"3":1}}"#, #"{"upTo":{"0":-1}}"#, #"{"upToTimestamp":"soon"}"#,
        #"{"upTo":{"0":1},"upToTimestamp":5}"#, #"{"colour":"red"}"#, #"{"upTo":"#,
    ])
    func aMalformedRebuildBodyIsAValidationProblemAndStartsNothing(body: String) async throws {
        let model = await Self.model()
        try await withRouter(model) { client in
            try await client.execute(
                uri: "/admin/rebuild", method: .post, headers: [.authorization: "Bearer \(Self.adminToken)"], body: ByteBuffer(string: body)
            ) { _ = try expectProblem($0, .badRequest, "validation") }
        }
        #expect(await model.started.isEmpty)
    }

    @Test(arguments: [
        ("/orders/o-1", HTTPRequest.Method.post, "GET"), ("/orders/o-1/history", .delete, "GET"), ("/orders", .post, "GET"),
        ("/customers/alice", .put, "GET"), ("/stats", .post, "GET"), ("/projection", .post, "GET"), ("/health/ready", .post, "GET"),
        ("/admin/rebuild", .get, "POST"), ("/admin/rebuild/2", .delete, "GET"),
    ])
    func aWrongMethodIsMethodNotAllowedWithAllow(path: String, method: HTTPRequest.Method, allowed: String) async throws {
        try await withRouter(await Self.model()) { client in
            try await client.execute(uri: path, method: method) { response in
                _ = try expectProblem(response, .methodNotAllowed, "method-not-allowed")
                #expect(response.headers[.allow] == allowed)
            }
        }
    }
}
