import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RouterTestSupport
import ServiceHTTP
import Testing

/// The middleware in front of every service's routes, over a small router of each kind of
/// route: open, customer-or-staff, staff only, admin.
struct TokenAuthenticationTests {
    static func router(_ verifier: TokenVerifier, adminToken: String? = "the-admin-token") -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.requireTokens(verifier, adminToken: adminToken, staffOnly: ["/status"])
        router.get("/health/live") { _, _ in "live" }
        router.get("/metrics") { _, _ in "metrics" }
        router.get("/openapi.json") { _, _ in "{}" }
        router.get("/orders") { _, _ in
            "\(Principal.actor) \(Principal.scope == .all ? "all" : "own")"
        }
        router.get("/status") { _, _ in "status" }
        router.post("/admin/replay") { request, _ in
            do {
                try AdminAuthorization.check(request, token: adminToken)
                return Response(status: .ok)
            } catch {
                return Response(status: .forbidden)
            }
        }
        return router
    }

    static func get(_ client: some TestClientProtocol, _ path: String, token: String?, method: HTTPRequest.Method = .get) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = TestTokens.bearer(token) }
        return try await client.execute(uri: path, method: method, headers: headers, body: nil)
    }

    @Test func openRoutesNeedNoTokenAndTheOthersDo() async throws {
        let tokens = try await TestTokens()
        try await Application(router: Self.router(try await tokens.verifier())).test(.router) { client in
            for path in ["/health/live", "/metrics", "/openapi.json"] {
                #expect(try await Self.get(client, path, token: nil).status == .ok, "\(path)")
            }
            for path in ["/orders", "/status", "/nowhere"] {
                let response = try await Self.get(client, path, token: nil)
                let body = try expectProblem(response, .unauthorized, "unauthorized")
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="orders""#)
                #expect((body["detail"] as? String)?.contains("Authorization: Bearer") == true)
            }
            let bad = try await Self.get(client, "/orders", token: "not-a-jwt")
            try expectProblem(bad, .unauthorized, "unauthorized")
            #expect(bad.headers[.wwwAuthenticate] == #"Bearer realm="orders", error="invalid_token""#)
        }
    }

    @Test func eachRoleReachesItsRoutesAndIsForbiddenTheOthers() async throws {
        let tokens = try await TestTokens()
        try await Application(router: Self.router(try await tokens.verifier())).test(.router) { client in
            let customer = try await tokens.token("alice", roles: ["customer"])
            let staff = try await tokens.token("sam", roles: ["staff"])
            let admin = try await tokens.token("ada", roles: ["admin"])
            let nobody = try await tokens.token("nemo", roles: nil)

            let own = try await Self.get(client, "/orders", token: customer)
            #expect(String(buffer: own.body) == "alice own")
            let all = try await Self.get(client, "/orders", token: staff)
            #expect(String(buffer: all.body) == "sam all")
            try expectProblem(try await Self.get(client, "/status", token: customer), .forbidden, "forbidden")
            #expect(try await Self.get(client, "/status", token: staff).status == .ok)
            try expectProblem(try await Self.get(client, "/orders", token: nobody), .forbidden, "forbidden")
            try expectProblem(try await Self.get(client, "/orders", token: admin), .forbidden, "forbidden")

            // The admin routes: the role admin, or ADMIN_TOKEN itself; staff is not enough.
            #expect(try await Self.get(client, "/admin/replay", token: admin, method: .post).status == .ok)
            #expect(try await Self.get(client, "/admin/replay", token: "the-admin-token", method: .post).status == .ok)
            try expectProblem(try await Self.get(client, "/admin/replay", token: staff, method: .post), .forbidden, "forbidden")
        }
    }

    @Test func withoutAVerifierEveryRouteIsOpenAndTheActorIsAnonymous() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.requireTokens(nil, adminToken: nil, staffOnly: ["/status"])
        router.get("/orders") { _, _ in "\(Principal.actor) \(Principal.scope == .all ? "all" : "own")" }
        try await Application(router: router).test(.router) { client in
            let response = try await Self.get(client, "/orders", token: nil)
            #expect(String(buffer: response.body) == "anonymous all")
        }
    }
}
