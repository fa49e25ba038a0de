import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RouterTestSupport
import Testing

@testable import Console

/// Every route of the console through its real router (`buildRouter`), over a log in memory:
/// the page, the stream, the problems and the operations routes, without Kafka.
@Suite struct ConsoleRouterTests {
    func withRouter(
        _ source: MemoryLogSource, api: MemoryServiceAPI = MemoryServiceAPI(), _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = buildRouter(source: source, api: api, topic: "orders.events", clientBuffer: 100, keepAlive: .seconds(3600), metrics: ConsoleMetrics())
        try await Application(router: router).test(.router, body)
    }

    @Test func theRootLeadsToTheLiveLog() async throws {
        try await withRouter(MemoryLogSource()) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/log")
            }
        }
    }

    @Test func thePageCarriesItsFiltersIntoItsStream() async throws {
        try await withRouter(MemoryLogSource(partitionCount: 3)) { client in
            try await client.execute(uri: "/log", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: response.body)
                #expect(html.contains("<html lang=\"en\">"))
                #expect(html.contains("data-stream=\"/log/events\""))
                #expect(html.contains("<option value=\"2\">2</option>"), "one option per partition")
                #expect(!html.contains("<option value=\"3\">"))
                #expect(!html.contains("http://") && !html.contains("https://"), "nothing is fetched from elsewhere")
            }
            try await client.execute(uri: "/log?partition=1&type=OrderShipped&order=o%3A1&from=end&partition=", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                // Mustache escapes the attribute: & is &amp; there, which the browser reads back as &.
                #expect(html.contains("data-stream=\"/log/events?partition=1&amp;type=OrderShipped&amp;order=o%3A1&amp;from=end\""))
                #expect(html.contains("<option value=\"1\" selected>1</option>"))
                #expect(html.contains("<option value=\"OrderShipped\" selected>OrderShipped</option>"))
                #expect(html.contains("value=\"o:1\""))
            }
        }
    }

    @Test func badFiltersAreValidationProblems() async throws {
        try await withRouter(MemoryLogSource(partitionCount: 3)) { client in
            for uri in ["/log?partition=7", "/log?from=yesterday", "/log?sort=asc", "/log?after=0:1", "/log?order=%3Cscript%3E",
                        "/log/events?partition=x", "/log/events?type=Nope", "/log/events?after=garbage", "/log/events?follow=yes",
                        "/log/events?after=%C2%A4", "/log/events?order=a&partition=0&partition=2"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let body = try expectProblem(response, .badRequest, "validation")
                    #expect((body["detail"] as? String)?.isEmpty == false, "\(uri)")
                }
            }
            try await client.execute(uri: "/log/events", method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "0:1,5:0"]) { response in
                try expectProblem(response, .badRequest, "validation")
            }
            // The header wins over `after`, but a malformed `after` is refused all the same.
            try await client.execute(uri: "/log/events?after=garbage", method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "0:1"]) { response in
                try expectProblem(response, .badRequest, "validation")
            }
        }
    }

    @Test func theStreamIsServerSentEventsFromWhereItIsAsked() async throws {
        let source = MemoryLogSource(partitionCount: 1, finite: true)
        for n in 0..<5 { source.append(order: "o-\(n)", actor: "alice") }
        try await withRouter(source) { client in
            try await client.execute(uri: "/log/events", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-store")
                let frames = SSEFrame.parse(String(buffer: response.body))
                #expect(frames.compactMap(\.position) == ["0:0", "0:1", "0:2", "0:3", "0:4"])
                #expect(frames.last?.event == "caught-up")
                #expect(frames.first(where: { $0.event == "log" })?.json?["actor"] as? String == "alice")
            }
            try await client.execute(uri: "/log/events?from=3", method: .get) { response in
                #expect(SSEFrame.parse(String(buffer: response.body)).compactMap(\.position) == ["0:3", "0:4"])
            }
            try await client.execute(uri: "/log/events?from=end", method: .get) { response in
                #expect(SSEFrame.parse(String(buffer: response.body)).compactMap(\.position) == [])
            }
            // Resuming: the header (a browser's own reconnect) wins over `after` (a page's new stream).
            try await client.execute(uri: "/log/events?after=0:1", method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "0:4"]) { response in
                #expect(SSEFrame.parse(String(buffer: response.body)).compactMap(\.position) == ["0:4"])
            }
            try await client.execute(uri: "/log/events?after=0:2", method: .get) { response in
                #expect(SSEFrame.parse(String(buffer: response.body)).compactMap(\.position) == ["0:2", "0:3", "0:4"])
            }
        }
    }

    @Test func aLogOutOfReachIsUnavailableForTheStreamAndSaidOnThePage() async throws {
        let source = MemoryLogSource()
        source.makeUnavailable("no broker answers")
        try await withRouter(source) { client in
            try await client.execute(uri: "/log/events", method: .get) { response in
                try expectProblem(response, .serviceUnavailable, "unavailable")
            }
            try await client.execute(uri: "/log", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("no broker answers"))
            }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                try expectProblem(response, .serviceUnavailable, "unavailable")
            }
        }
    }

    @Test func otherMethodsAre405WithAllow() async throws {
        try await withRouter(MemoryLogSource()) { client in
            for path in ["/", "/log", "/log/events"] {
                for method: HTTPRequest.Method in [.post, .put, .delete] {
                    try await client.execute(uri: path, method: method) { response in
                        try expectProblem(response, .methodNotAllowed, "method-not-allowed")
                        #expect(response.headers[.allow] == "GET")
                    }
                }
            }
        }
    }

    @Test func operationsRoutesAnswer() async throws {
        try await withRouter(MemoryLogSource()) { client in
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("console_live_log_streams"))
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let document = try jsonObject(response)
                let paths = try #require(document["paths"] as? [String: Any])
                #expect(Set(paths.keys) == [
                    "/", "/log", "/log/events", "/orders", "/orders/{id}", "/system", "/system/status", "/system/dead-letters", "/try", "/token",
                    "/api/order-command/orders", "/api/order-command/orders/{id}/{action}", "/api/notifier/admin/dlq/redrive",
                    "/api/order-query/admin/rebuild", "/api/order-query/admin/rebuild/{id}",
                    "/health/live", "/health/ready", "/metrics", "/openapi.json",
                ])
            }
        }
    }
}
