import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RouterTestSupport
import Testing

@testable import Console

/// The console with the services' authentication settings: it reads the log itself, so it
/// requires a staff or admin token of its own, from the header or the cookie, and passes it on.
@Suite struct ConsoleAuthenticationTests {
    func withRouter(api: MemoryServiceAPI = MemoryServiceAPI(), _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let tokens = try await TestTokens()
        let source = MemoryLogSource(partitionCount: 2)
        source.append(order: "o-1")
        let router = buildRouter(
            source: source, api: api, topic: "orders.events", clientBuffer: 100, keepAlive: .seconds(3600), metrics: ConsoleMetrics(),
            authentication: try await tokens.verifier())
        try await Application(router: router).test(.router, body)
    }

    @Test func everyPageNeedsAStaffOrAdminTokenFromTheHeaderOrTheCookie() async throws {
        let tokens = try await TestTokens()
        let staff = try await tokens.token("sam", roles: ["staff"])
        let admin = try await tokens.token("ada", roles: ["admin"])
        let customer = try await tokens.token("alice", roles: ["customer"])
        let api = MemoryServiceAPI()
        try await withRouter(api: api) { client in
            for path in ["/log", "/orders/o-1", "/system", "/system/status", "/try", "/log/events?follow=false"] {
                try await client.execute(uri: path, method: .get) { response in
                    try expectProblem(response, .unauthorized, "unauthorized")
                }
                try await client.execute(uri: path, method: .get, headers: [.authorization: TestTokens.bearer(customer)]) { response in
                    try expectProblem(response, .forbidden, "forbidden")
                }
                try await client.execute(uri: path, method: .get, headers: [.authorization: TestTokens.bearer("not.a.token")]) { response in
                    try expectProblem(response, .unauthorized, "unauthorized")
                }
                for headers: HTTPFields in [[.authorization: TestTokens.bearer(staff)], [.cookie: "console_token=\(admin)"]] {
                    try await client.execute(uri: path, method: .get, headers: headers) { response in
                        #expect(response.status == .ok, "\(path)")
                    }
                }
            }
            // A browser without a token gets a page that asks for one and comes back.
            try await client.execute(uri: "/orders/o-1", method: .get, headers: [.accept: "text/html"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                let html = String(buffer: response.body)
                #expect(html.contains(#"<form method="post" action="/token">"#))
                #expect(html.contains(#"<input type="hidden" name="back" value="/orders/o-1">"#))
            }
            // Open: the probes, the metrics, the document, and the form that saves a token.
            for path in ["/health/live", "/metrics", "/openapi.json"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .ok, "\(path)") }
            }
            try await client.execute(uri: "/token", method: .post, body: ByteBuffer(string: "token=\(staff)&back=%2Flog")) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(String(buffer: response.body).contains("bearerAuth") || String(buffer: response.body).contains("bearer"))
            }
        }
        // What reached the services carried the caller's token.
        #expect(!api.requests.isEmpty)
        #expect(api.requests.allSatisfy { $0.authorization == TestTokens.bearer(staff) || $0.authorization == TestTokens.bearer(admin) })
    }
}
