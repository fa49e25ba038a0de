import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RouterTestSupport
import Testing

@testable import Console

/// The order, system and try pages and the routes their scripts call, through the real
/// router over a log and services in memory.
@Suite struct ConsolePagesRouterTests {
    func withRouter(
        _ source: MemoryLogSource = MemoryLogSource(), api: MemoryServiceAPI = MemoryServiceAPI(),
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = buildRouter(source: source, api: api, topic: "orders.events", clientBuffer: 100, keepAlive: .seconds(3600), metrics: ConsoleMetrics())
        try await Application(router: router).test(.router, body)
    }

    static let readModelRow = #"""
        {"orderId":"o-1","customerId":"alice","status":"confirmed","currency":"EUR","items":[{"sku":"book","quantity":2,"unitPrice":1250}],
         "total":2500,"version":2,"placedAt":"2026-12-07T10:00:00Z","updatedAt":"2026-12-07T10:00:01Z"}
        """#

    static let notifications = #"""
        {"orderId":"o-1","notifications":[{"notification":{"eventId":"e1","orderId":"o-1","customerId":"alice","kind":"order-placed",
         "version":1,"position":"0:0","occurredAt":"2026-12-07T10:00:00Z","subject":"Order o-1 placed","text":""},
         "deliveries":[{"sink":"log","status":"delivered","round":0,"attempts":1,"updatedAtMs":1}]}]}
        """#

    @Test func theOrderPageShowsTheLogTheReadModelAndTheNotificationsSideBySide() async throws {
        let source = MemoryLogSource(partitionCount: 3)
        source.append(order: "o-1", type: "OrderPlaced", version: 1)
        source.append(order: "o-1", type: "OrderPlaced", version: 1, inEffect: false)
        source.append(order: "o-1", type: "OrderConfirmed", version: 2, actor: "bob")
        let api = MemoryServiceAPI()
        api.answer(.orderQuery, "/orders/o-1", json: Self.readModelRow)
        api.answer(.notifier, "/orders/o-1/notifications", json: Self.notifications)
        try await withRouter(source, api: api) { client in
            try await client.execute(uri: "/orders/o-1", method: .get, headers: [.authorization: "Bearer t0ken"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: response.body)
                #expect(html.contains("<h1>Order o-1</h1>"))
                // The log's fold: the current state, the slider over the two events in effect.
                #expect(html.contains(#"<dd data-field="status">confirmed</dd>"#))
                #expect(html.contains(#"max="1" value="1""#))
                #expect(html.contains(#"<li data-state="confirmed" aria-current="step">confirmed</li>"#))
                #expect(html.contains(#"<li data-state="placed" class="done">placed</li>"#))
                // Every record of the order, the void one marked, with the actor.
                let partition = MemoryLogSource.partition(of: "o-1", count: 3)
                #expect(html.contains(#"<tr data-position="\#(partition):1" class="void">"#))
                #expect(html.contains("void: version 1, expected 1"))
                #expect(html.contains("<td class=\"optional\">bob</td>"))
                // The read model's row and the notifier's deliveries.
                #expect(html.contains(#"<dl id="read-model">"#))
                #expect(html.contains("2 × book"))
                #expect(html.contains("log: delivered (1 attempt)"))
                #expect(!html.contains("http://") && !html.contains("https://"), "nothing is fetched from elsewhere")
            }
        }
        // The caller's token went to both services.
        #expect(api.requests.map(\.path).sorted() == ["/orders/o-1", "/orders/o-1/notifications"])
        #expect(api.requests.allSatisfy { $0.authorization == "Bearer t0ken" })
    }

    @Test func theOrderPageSaysWhatIsMissingWhenAServiceHasNothingOrIsDown() async throws {
        let source = MemoryLogSource()
        let api = MemoryServiceAPI()
        api.takeDown(.notifier)
        try await withRouter(source, api: api) { client in
            try await client.execute(uri: "/orders/nobody", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("No event of this order is in effect"))
                #expect(html.contains("Not in the read model (yet)."))
                #expect(html.contains("notifier at http://memory did not answer: connection refused"))
                #expect(!html.contains(#"type="range""#), "no slider without events")
            }
        }
    }

    @Test func theSearchLeadsToTheOrderAndBadIdsAreValidationProblems() async throws {
        try await withRouter { client in
            try await client.execute(uri: "/orders?id=o%3A7", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/orders/o:7")
            }
            for uri in ["/orders?id=", "/orders?id=%3Cscript%3E", "/orders/a%20b", "/orders/" + String(repeating: "x", count: 65)] {
                try await client.execute(uri: uri, method: .get) { response in
                    try expectProblem(response, .badRequest, "validation")
                }
            }
        }
    }

    @Test func aTokenSavedInTheCookieIsPassedThroughAndAnEmptyOneForgotten() async throws {
        let api = MemoryServiceAPI()
        try await withRouter(api: api) { client in
            try await client.execute(
                uri: "/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=abc.def-ghi&back=%2Forders%2Fo-1")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/orders/o-1")
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.hasPrefix("console_token=abc.def-ghi;"))
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            }
            try await client.execute(
                uri: "/token", method: .post, body: ByteBuffer(string: "token=&back=https%3A%2F%2Fevil.example")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/system", "never back to another site")
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            for body in ["token=a%0Db", "", "back=%2Fsystem", "token=a&admin=1"] {
                try await client.execute(uri: "/token", method: .post, body: ByteBuffer(string: body)) { response in
                    try expectProblem(response, .badRequest, "validation")
                }
            }
            try await client.execute(uri: "/orders/o-2", method: .get, headers: [.cookie: "console_token=abc.def-ghi"]) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(api.requests.last?.authorization == "Bearer abc.def-ghi")
    }

    @Test func theSystemStatusComparesEachReaderWithTheLogsEnd() async throws {
        let source = MemoryLogSource(partitionCount: 2)
        for order in ["a", "b", "c", "d", "e"] { source.append(order: order) }
        let ends = try await source.endOffsets()
        let api = MemoryServiceAPI()
        api.answer(.orderCommand, "/status", json: #"{"ready":true,"generation":3,"owners":{"0":"http://cmd-1","1":"http://cmd-2"},"partitions":[]}"#)
        api.answer(.orderQuery, "/projection", json: #"{"generation":4,"partitions":[{"partition":0,"storedOffset":0,"endOffset":9,"lag":9},{"partition":1,"storedOffset":1,"endOffset":9,"lag":9}]}"#)
        api.answer(.orderQuery, "/metrics", text: """
            # TYPE order_query_events_applied_total counter
            order_query_events_applied_total 41
            order_query_apply_latency_seconds_sum 0.5
            order_query_apply_latency_seconds_count 10
            """)
        api.answer(.orderCommand, "/metrics", text: """
            order_command_commands_total{outcome="created"} 3
            order_command_commands_total{outcome="ok"} 4
            order_command_commands_total_other 100
            """)
        api.takeDown(.notifier)
        try await withRouter(source, api: api) { client in
            try await client.execute(uri: "/system/status", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                let partitions = try #require(body["partitions"] as? [[String: Any]])
                #expect(partitions.count == 2)
                #expect(partitions[0]["owner"] as? String == "http://cmd-1")
                #expect(partitions[0]["endOffset"] as? Int == Int(ends[0]!))
                #expect(partitions[0]["queryLag"] as? Int == Int(ends[0]!))
                #expect(partitions[1]["queryLag"] as? Int == Int(ends[1]! - 1))
                #expect(partitions[0]["notifierLag"] == nil, "the notifier did not answer")
                #expect(body["generation"] as? Int == 4)
                let counters = try #require(body["counters"] as? [String: Any])
                #expect(counters["commands"] as? Double == 7)
                #expect(counters["eventsApplied"] as? Double == 41)
                #expect(counters["applies"] as? Double == 10)
                let services = try #require(body["services"] as? [[String: Any]])
                #expect(services.first { $0["name"] as? String == "notifier" }?["problem"] as? String == "notifier at http://memory did not answer: connection refused")
                #expect(services.first { $0["name"] as? String == "order-command" }?["problem"] == nil)
            }
            try await client.execute(uri: "/system", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains(#"<table id="partitions">"#))
                #expect(html.contains(#"<a href="/system" aria-current="page">System</a>"#))
            }
        }
    }

    @Test func theDeadLettersAreReadFromTheTopicTheNotifierNames() async throws {
        let source = MemoryLogSource()
        source.deadLetter(DeadLetter(position: "0:0", orderId: "o-1", eventType: "OrderPlaced", version: 1, sink: "webhook", error: "HTTP 500", attempts: 3, source: "2:7"), topic: "custom.dlq")
        source.deadLetter(DeadLetter(position: "1:0", orderId: "o-2", sink: "webhook", error: "timeout", attempts: 3), topic: "custom.dlq")
        let api = MemoryServiceAPI()
        api.answer(.notifier, "/status", json: #"{"group":"notifier","topic":"orders.events","partitions":[{"partition":0,"foldedOffset":3,"endOffset":3,"lag":0,"owned":true,"pending":0,"delivered":3,"deadLettered":2}],"deliveries":{"pending":0,"delivered":3,"deadLettered":2},"deadLetterTopic":{"topic":"custom.dlq","records":2},"sinks":["webhook"]}"#)
        try await withRouter(source, api: api) { client in
            try await client.execute(uri: "/system/dead-letters", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["topic"] as? String == "custom.dlq")
                let entries = try #require(body["entries"] as? [[String: Any]])
                #expect(entries.map { $0["orderId"] as? String } == ["o-2", "o-1"], "newest first")
                #expect(entries[1]["source"] as? String == "2:7" && entries[1]["error"] as? String == "HTTP 500")
            }
        }
        // Without the notifier: the contract's topic name, which this log does not have: said, not failed.
        let down = MemoryServiceAPI()
        down.takeDown(.notifier)
        try await withRouter(source, api: down) { client in
            try await client.execute(uri: "/system/dead-letters", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["topic"] as? String == "orders.notifications.dlq")
                #expect((body["problem"] as? String)?.contains("cannot be read") == true)
            }
        }
    }

    @Test func theTryPageSendsCommandsThroughWithTheirKeysAndTokensAndRelaysTheAnswers() async throws {
        let api = MemoryServiceAPI()
        api.answer(.orderCommand, "/orders", method: "POST", status: 201, json: #"{"orderId":"o-9","version":1,"position":"1:4"}"#)
        api.answer(.orderCommand, "/orders/o-9/ship", method: "POST", status: 422,
                   json: #"{"type":"/problems/rule-violated","title":"A rule forbids it","status":422,"detail":"not confirmed","rule":"ship-requires-confirmed"}"#)
        try await withRouter(api: api) { client in
            try await client.execute(uri: "/try", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#"<form id="place">"#))
            }
            try await client.execute(
                uri: "/api/order-command/orders", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Idempotency-Key")!: "k-1", .authorization: "Bearer tok"],
                body: ByteBuffer(string: #"{"customerId":"alice"}"#)
            ) { response in
                #expect(response.status == .created)
                let body = try jsonObject(response)
                #expect(body["position"] as? String == "1:4")
            }
            try await client.execute(uri: "/api/order-command/orders/o-9/ship", method: .post, body: ByteBuffer(string: "{}")) { response in
                try expectProblem(response, .unprocessableContent, "rule-violated")
            }
            for uri in ["/api/order-command/orders/o-9/explode", "/api/order-command/orders/%3C%3E/confirm", "/api/order-query/admin/rebuild/x"] {
                let method: HTTPRequest.Method = uri.contains("rebuild") ? .get : .post
                try await client.execute(uri: uri, method: method) { response in
                    try expectProblem(response, .badRequest, "validation")
                }
            }
        }
        let placed = try #require(api.requests.first)
        #expect(placed.service == .orderCommand && placed.method == "POST" && placed.path == "/orders")
        #expect(placed.idempotencyKey == "k-1" && placed.authorization == "Bearer tok")
        #expect(placed.body.map { String(buffer: $0) } == #"{"customerId":"alice"}"#)
    }

    @Test func theAdminRelaysPassTheCallersTokenAndAnswerAsTheServiceDid() async throws {
        let api = MemoryServiceAPI()
        api.answer(.orderQuery, "/admin/rebuild", method: "POST", status: 202, json: #"{"id":3,"generation":4,"status":"building"}"#)
        api.answer(.orderQuery, "/admin/rebuild/3", json: #"{"id":3,"generation":4,"status":"live","recordsRead":10}"#)
        api.answer(.notifier, "/admin/dlq/redrive", method: "POST", status: 202, json: #"{"redriven":2}"#)
        try await withRouter(api: api) { client in
            let admin: HTTPFields = [.authorization: "Bearer admin-token", .contentType: "application/json"]
            try await client.execute(uri: "/api/order-query/admin/rebuild", method: .post, headers: admin, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .accepted)
                let body = try jsonObject(response)
                #expect(body["id"] as? Int == 3)
            }
            try await client.execute(uri: "/api/order-query/admin/rebuild/3", method: .get, headers: admin) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["status"] as? String == "live")
            }
            try await client.execute(uri: "/api/notifier/admin/dlq/redrive", method: .post, headers: admin, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .accepted)
                let body = try jsonObject(response)
                #expect(body["redriven"] as? Int == 2)
            }
        }
        #expect(api.requests.map { "\($0.service.rawValue) \($0.method) \($0.path)" } == [
            "order-query POST /admin/rebuild", "order-query GET /admin/rebuild/3", "notifier POST /admin/dlq/redrive",
        ])
        #expect(api.requests.allSatisfy { $0.authorization == "Bearer admin-token" })
    }

    @Test func aServiceThatDoesNotAnswerIsUnavailableForTheRelay() async throws {
        let api = MemoryServiceAPI()
        api.takeDown(.notifier)
        try await withRouter(api: api) { client in
            try await client.execute(uri: "/api/notifier/admin/dlq/redrive", method: .post) { response in
                let body = try expectProblem(response, .serviceUnavailable, "unavailable")
                #expect((body["detail"] as? String)?.contains("notifier at http://memory did not answer") == true)
            }
        }
    }

    @Test func thePagesRoutesRefuseOtherMethods() async throws {
        try await withRouter { client in
            for (path, allowed) in [("/orders/o-1", "GET"), ("/system", "GET"), ("/system/status", "GET"), ("/system/dead-letters", "GET"), ("/try", "GET"),
                                    ("/token", "POST"), ("/api/order-command/orders", "POST"), ("/api/order-query/admin/rebuild/1", "GET")] {
                let method: HTTPRequest.Method = allowed == "GET" ? .delete : .put
                try await client.execute(uri: path, method: method) { response in
                    try expectProblem(response, .methodNotAllowed, "method-not-allowed")
                    #expect(response.headers[.allow] == allowed)
                }
            }
        }
    }
}
