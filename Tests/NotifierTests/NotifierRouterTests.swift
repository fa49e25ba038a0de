import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import Notifier
import RouterTestSupport
import ServiceHTTP
import Testing

/// Every route of the notifier through its real router (`buildRouter`), over its operations in
/// memory: answers, problem kinds and headers of the contract (docs/architecture.md), without
/// Kafka or a database.
@Suite struct NotifierRouterTests {
    static let adminToken = "n0tifier-token"
    static let auth: HTTPFields = [.authorization: "Bearer \(adminToken)"]

    func withRouter(
        _ notifier: MemoryNotifier, adminToken: String? = Self.adminToken, authentication: TokenVerifier? = nil,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = buildRouter(
            operations: notifier, adminToken: adminToken, partitionCount: 3, metrics: NotifierMetrics(), authentication: authentication)
        try await Application(router: router).test(.router, body)
    }

    static func notification(_ orderId: String, version: Int64, kind: String) -> Notifier.Notification {
        Notifier.Notification(eventId: "e-\(version)", orderId: orderId, customerId: "alice", kind: kind, version: version, position: "0:\(version)",
                     occurredAt: "2026-12-06T00:00:00Z", subject: "Order \(orderId): \(kind)", text: "Thanks")
    }



    @Test func anOrdersNotificationsWithEachSinksDelivery() async throws {
        let notifier = MemoryNotifier()
        await notifier.add(Self.notification("o:1", version: 1, kind: "order-placed"), sinks: ["log", "webhook"])
        await notifier.add(Self.notification("o:1", version: 3, kind: "order-confirmed"))
        try await withRouter(notifier) { client in
            // A reserved character in the id arrives percent-encoded.
            try await client.execute(uri: "/orders/o%3A1/notifications", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["orderId"] as? String == "o:1")
                let notifications = try #require(body["notifications"] as? [[String: Any]])
                #expect(notifications.compactMap { ($0["notification"] as? [String: Any])?["kind"] as? String } == ["order-placed", "order-confirmed"])
                #expect((notifications[0]["deliveries"] as? [[String: Any]])?.compactMap { $0["sink"] as? String } == ["log", "webhook"])
            }
            // An order with none is an empty list, not an error: it may not have been folded yet.
            try await client.execute(uri: "/orders/o-2/notifications", method: .get) { response in
                #expect(response.status == .ok)
                let notifications = try jsonObject(response)["notifications"] as? [Any]
                #expect(notifications?.isEmpty == true)
            }
        }
    }

    /// With authentication on: a customer's token sees its own orders' notifications only
    /// (another's order answers as one without any, as an unknown order does); /status is staff's;
    /// the admin routes take the role admin as well as ADMIN_TOKEN.
    @Test func aCustomerSeesItsOwnOrdersNotificationsOnly() async throws {
        let tokens = try await TestTokens()
        let notifier = MemoryNotifier()
        await notifier.add(Self.notification("o-1", version: 1, kind: "order-placed"))
        try await withRouter(notifier, authentication: try await tokens.verifier()) { client in
            let alice: HTTPFields = [.authorization: TestTokens.bearer(try await tokens.token("alice", roles: ["customer"]))]
            let bob: HTTPFields = [.authorization: TestTokens.bearer(try await tokens.token("bob", roles: ["customer"]))]
            let admin: HTTPFields = [.authorization: TestTokens.bearer(try await tokens.token("ada", roles: ["admin"]))]
            try await client.execute(uri: "/orders/o-1/notifications", method: .get) { _ = try expectProblem($0, .unauthorized, "unauthorized") }
            try await client.execute(uri: "/orders/o-1/notifications", method: .get, headers: alice) { response in
                let notifications = try jsonObject(response)["notifications"] as? [Any]
                #expect(notifications?.count == 1)
            }
            try await client.execute(uri: "/orders/o-1/notifications", method: .get, headers: bob) { response in
                #expect(response.status == .ok)
                let notifications = try jsonObject(response)["notifications"] as? [Any]
                #expect(notifications?.isEmpty == true)
            }
            try await client.execute(uri: "/status", method: .get, headers: alice) { _ = try expectProblem($0, .forbidden, "forbidden") }
            try await client.execute(uri: "/admin/dlq/redrive", method: .post, headers: admin) { #expect($0.status == .accepted) }
            try await client.execute(uri: "/admin/dlq/redrive", method: .post, headers: Self.auth) { #expect($0.status == .accepted) }
            try await client.execute(uri: "/admin/dlq/redrive", method: .post, headers: alice) { _ = try expectProblem($0, .forbidden, "forbidden") }
        }
    }

    @Test(arguments: ["/orders/a%20b/notifications", "/orders/x'%3B--/notifications", "/orders/o-1/notifications?all=1", "/status?verbose=1"])
    func aMalformedRequestIsAValidationProblem(uri: String) async throws {
        try await withRouter(MemoryNotifier()) { client in
            try await client.execute(uri: uri, method: .get) { _ = try expectProblem($0, .badRequest, "validation") }
        }
    }

    @Test func statusShowsThePartitionsDeliveriesAndDeadLetters() async throws {
        let notifier = MemoryNotifier()
        await notifier.setDeadLettered(2)
        try await withRouter(notifier) { client in
            try await client.execute(uri: "/status", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["group"] as? String == "notifier" && body["sinks"] as? [String] == ["log"])
                #expect((body["deadLetterTopic"] as? [String: Any])?["records"] as? Int == 2)
                let partition = try #require((body["partitions"] as? [[String: Any]])?.first)
                #expect(partition["lag"] as? Int == 2 && partition["owned"] as? Bool == true)
            }
        }
    }

    @Test func anUnreachableLedgerIsUnavailableNeverA500() async throws {
        struct ConnectionRefused: Error {}
        let notifier = MemoryNotifier()
        await notifier.fail(with: ConnectionRefused())
        try await withRouter(notifier) { client in
            for uri in ["/orders/o-1/notifications", "/status"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let detail = try expectProblem(response, .serviceUnavailable, "unavailable")["detail"] as? String
                    #expect(detail?.contains("ConnectionRefused") == true)
                }
            }
            try await client.execute(uri: "/admin/dlq/redrive", method: .post, headers: Self.auth) {
                _ = try expectProblem($0, .serviceUnavailable, "unavailable")
            }
        }
    }

    @Test func adminRoutesAreForbiddenWithoutATokenAndUnauthorizedWithAWrongOne() async throws {
        let notifier = MemoryNotifier()
        try await withRouter(notifier, adminToken: nil) { client in
            for path in ["/admin/replay", "/admin/dlq/redrive"] {
                try await client.execute(uri: path, method: .post, headers: Self.auth) { _ = try expectProblem($0, .forbidden, "forbidden") }
            }
        }
        try await withRouter(notifier) { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer nope"], [.authorization: Self.adminToken]] {
                for path in ["/admin/replay", "/admin/dlq/redrive"] {
                    try await client.execute(uri: path, method: .post, headers: headers) { _ = try expectProblem($0, .unauthorized, "unauthorized") }
                }
            }
        }
        let (replays, redrives) = (await notifier.replays, await notifier.redrives)
        #expect(replays.isEmpty && redrives == 0)
    }

    @Test func aReplayIsQueuedAsAsked() async throws {
        let notifier = MemoryNotifier()
        try await withRouter(notifier) { client in
            try await client.execute(
                uri: "/admin/replay", method: .post, headers: Self.auth, body: ByteBuffer(string: #"{"offsets":{"0":0,"2":5},"resend":true}"#)
            ) { response in
                #expect(response.status == .accepted)
                let body = try jsonObject(response)
                #expect(body["queued"] as? Int == 3 && body["resend"] as? Bool == true)
            }
            try await client.execute(
                uri: "/admin/replay", method: .post, headers: Self.auth, body: ByteBuffer(string: #"{"fromTimestamp":1700000000000}"#)
            ) { #expect($0.status == .accepted) }
        }
        #expect(await notifier.replays == [
            ReplayRequest(selection: .offsets([0: 0, 2: 5]), resend: true),
            ReplayRequest(selection: .fromTimestamp(1_700_000_000_000), resend: false),
        ])
    }

    @Test(arguments: [
        "", "[]", #"{}"#, #"{"offsets":{}}"#, #"{"offsets":{"3":0}}"#, #"{"offsets":{"0":-1}}"#, #"{"fromTimestamp":"now"}"#,
        #"{"offsets":{"0":0},"fromTimestamp":1}"#, #"{"offsets":{"0":0},"resend":"yes"}"#, #"{"colour":"red"}"#,
    ])
    func aMalformedReplayIsAValidationProblemAndQueuesNothing(body: String) async throws {
        let notifier = MemoryNotifier()
        try await withRouter(notifier) { client in
            try await client.execute(uri: "/admin/replay", method: .post, headers: Self.auth, body: ByteBuffer(string: body)) {
                _ = try expectProblem($0, .badRequest, "validation")
            }
        }
        #expect(await notifier.replays.isEmpty)
    }

    @Test func aRedriveQueuesTheDeadLetteredDeliveries() async throws {
        let notifier = MemoryNotifier()
        await notifier.setDeadLettered(4)
        try await withRouter(notifier) { client in
            try await client.execute(uri: "/admin/dlq/redrive", method: .post, headers: Self.auth) { response in
                #expect(response.status == .accepted)
                let redriven = try jsonObject(response)["redriven"] as? Int
                #expect(redriven == 4)
            }
            try await client.execute(uri: "/admin/dlq/redrive", method: .post, headers: Self.auth, body: ByteBuffer(string: "{}")) { response in
                let redriven = try jsonObject(response)["redriven"] as? Int
                #expect(redriven == 0)
            }
            try await client.execute(uri: "/admin/dlq/redrive", method: .post, headers: Self.auth, body: ByteBuffer(string: #"{"all":true}"#)) {
                _ = try expectProblem($0, .badRequest, "validation")
            }
        }
        #expect(await notifier.redrives == 2)
    }

    @Test func healthMetricsAndTheOpenAPIDocument() async throws {
        let notifier = MemoryNotifier()
        try await withRouter(notifier) { client in
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            await notifier.setNotReady("the ledger cannot be read")
            try await client.execute(uri: "/health/ready", method: .get) { response in
                let detail = try expectProblem(response, .serviceUnavailable, "unavailable")["detail"] as? String
                #expect(detail == "not ready: the ledger cannot be read")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let paths = try #require(try jsonObject(response)["paths"] as? [String: Any])
                for path in ["/orders/{id}/notifications", "/status", "/admin/replay", "/admin/dlq/redrive", "/health/live", "/health/ready", "/metrics"] {
                    #expect(paths[path] != nil, "\(path) is not in the document")
                }
            }
        }
    }

    @Test(arguments: [
        ("/orders/o-1/notifications", HTTPRequest.Method.post, "GET"), ("/status", .delete, "GET"), ("/health/live", .post, "GET"),
        ("/admin/replay", .get, "POST"), ("/admin/dlq/redrive", .put, "POST"), ("/openapi.json", .post, "GET"),
    ])
    func aWrongMethodIsMethodNotAllowedWithAllow(path: String, method: HTTPRequest.Method, allowed: String) async throws {
        try await withRouter(MemoryNotifier()) { client in
            try await client.execute(uri: path, method: method) { response in
                _ = try expectProblem(response, .methodNotAllowed, "method-not-allowed")
                #expect(response.headers[.allow] == allowed)
            }
        }
    }
}
