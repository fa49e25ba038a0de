import AsyncHTTPClient
import Events
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
@testable import OrderCommand
import RouterTestSupport
import ServiceHTTP
import Testing

/// Every route of OrderCommand through its real router (`buildRouter`), over the command side
/// in memory: the answers, problem kinds and headers of the contract (docs/architecture.md),
/// without Kafka.
@Suite struct CommandRouterTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    /// The router over `executor`, its forwarding client shut down afterwards.
    func withRouter(
        _ executor: MemoryCommandExecutor, selfURL: String = "http://127.0.0.1:1", maxBodyBytes: Int = 65_536,
        forwardTimeout: Duration = .seconds(10), authentication: TokenVerifier? = nil,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let router = buildRouter(
            executor: executor, parser: CommandRequestParser(maxBodyBytes: maxBodyBytes),
            forwarder: Forwarder(client: client, selfURL: selfURL, timeout: forwardTimeout, logger: Logger(label: "test")),
            metrics: CommandMetrics(), authentication: authentication)
        do {
            try await Application(router: router).test(.router, body)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func place(_ orderId: String, items: String = #"[{"sku":"TEA","quantity":2,"unitPrice":450}]"#) -> ByteBuffer {
        ByteBuffer(string: #"{"orderId":"\#(orderId)","customerId":"c-1","currency":"EUR","items":\#(items)}"#)
    }

    static func headers(key: String, _ extra: HTTPFields = [:]) -> HTTPFields {
        var headers = json
        headers[HTTPField.Name("Idempotency-Key")!] = key
        headers.append(contentsOf: extra)
        return headers
    }



    // MARK: Authentication

    /// With authentication on: no token is a 401; a customer's token places for itself only and
    /// its commands carry its scope and actor to the executor (the ledger refuses another's
    /// order); staff acts on any order; /status is staff's. Without it, the actor is anonymous.
    @Test func tokensDecideWhoMayCommandAndNameTheActor() async throws {
        let tokens = try await TestTokens()
        let executor = MemoryCommandExecutor()
        try await withRouter(executor, authentication: try await tokens.verifier()) { client in
            let alice = try await tokens.token("c-1", roles: ["customer"])
            let staff = try await tokens.token("sam", roles: ["staff"])
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "k0"), body: Self.place("o-1")) {
                _ = try expectProblem($0, .unauthorized, "unauthorized")
            }
            let other = ByteBuffer(string: #"{"orderId":"o-9","customerId":"c-2","currency":"EUR","items":[]}"#)
            try await client.execute(
                uri: "/orders", method: .post, headers: Self.headers(key: "k1", [.authorization: TestTokens.bearer(alice)]), body: other
            ) { _ = try expectProblem($0, .forbidden, "forbidden") }
            try await client.execute(
                uri: "/orders", method: .post, headers: Self.headers(key: "k2", [.authorization: TestTokens.bearer(alice)]), body: Self.place("o-1")
            ) { #expect($0.status == .created) }
            try await client.execute(
                uri: "/orders/o-1/confirm", method: .post, headers: Self.headers(key: "k3", [.authorization: TestTokens.bearer(staff)])
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/status", method: .get, headers: [.authorization: TestTokens.bearer(alice)]) {
                _ = try expectProblem($0, .forbidden, "forbidden")
            }
        }
        let received = await executor.received
        #expect(received.map(\.commandId) == ["k2", "k3"])
        #expect(received.map(\.customerScope) == ["c-1", nil])
        #expect(received.map(\.actor) == ["c-1", "sam"])

        let open = MemoryCommandExecutor()
        try await withRouter(open) { client in
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "k1"), body: Self.place("o-1")) {
                #expect($0.status == .created)
            }
        }
        #expect(await open.received.map(\.actor) == ["anonymous"])
        #expect(await open.received.map(\.customerScope) == [nil])
    }

    // MARK: The command routes

    @Test func anOrderGoesThroughItsWholeLifecycle() async throws {
        let executor = MemoryCommandExecutor()
        try await withRouter(executor) { client in
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "k-place"), body: Self.place("o-1")) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/orders/o-1")
                #expect(response.headers[.eTag] == "\"1\"")
                let body = try jsonObject(response)
                #expect(body["orderId"] as? String == "o-1" && body["version"] as? Int == 1 && body["position"] as? String == "0:0")
            }
            try await client.execute(
                uri: "/orders/o-1/items", method: .post, headers: Self.headers(key: "k-add"),
                body: ByteBuffer(string: #"{"sku":"CUP","quantity":1,"unitPrice":900}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"2\"")
                #expect(response.headers[.location] == nil)
            }
            // A SKU with a reserved character arrives percent-encoded and is decoded once.
            try await client.execute(
                uri: "/orders/o-1/items", method: .post, headers: Self.headers(key: "k-add-2"),
                body: ByteBuffer(string: #"{"sku":"A:1","quantity":1,"unitPrice":5}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/orders/o-1/items/A%3A1", method: .delete, headers: Self.headers(key: "k-remove")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"4\"")
            }
            try await client.execute(uri: "/orders/o-1/confirm", method: .post, headers: Self.headers(key: "k-confirm", [.ifMatch: "\"4\""])) {
                #expect($0.status == .ok)
            }
            try await client.execute(
                uri: "/orders/o-1/ship", method: .post, headers: Self.headers(key: "k-ship"),
                body: ByteBuffer(string: #"{"carrier":"DHL","trackingNumber":"JD0001"}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/orders/o-1/deliver", method: .post, headers: Self.headers(key: "k-deliver")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"7\"")
            }
        }
        let state = await executor.state(of: "o-1")
        #expect(state?.status == .delivered && state?.items.map(\.sku) == ["TEA", "CUP"])
        let received = await executor.received
        #expect(received.map(\.commandId) == ["k-place", "k-add", "k-add-2", "k-remove", "k-confirm", "k-ship", "k-deliver"])
        #expect(received[3].command == .removeItem(sku: "A:1"))
        #expect(received[4].expectedVersion == 4)
    }

    @Test func cancelTakesAReason() async throws {
        let executor = MemoryCommandExecutor()
        try await withRouter(executor) { client in
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "p"), body: Self.place("o-2")) { _ in }
            try await client.execute(
                uri: "/orders/o-2/cancel", method: .post, headers: Self.headers(key: "c"),
                body: ByteBuffer(string: #"{"reason":"changed my mind"}"#)) { #expect($0.status == .ok) }
        }
        #expect(await executor.state(of: "o-2")?.status == .cancelled)
    }

    @Test func aRetryWithTheSameKeyGetsTheFirstAnswer() async throws {
        let executor = MemoryCommandExecutor()
        try await withRouter(executor) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "same"), body: Self.place("o-3")) { response in
                    #expect(response.status == .created)
                    let position = try jsonObject(response)["position"] as? String
                    #expect(position == "0:0")
                }
            }
        }
    }

    @Test func anOrderPlacedWithoutAnIdIsNamedByItsKeyOnEveryRetry() async throws {
        let executor = MemoryCommandExecutor()
        let body = ByteBuffer(string: #"{"customerId":"c-1","currency":"EUR","items":[]}"#)
        try await withRouter(executor) { client in
            var locations: [String?] = []
            for _ in 0..<2 {
                try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "no-id"), body: body) { response in
                    #expect(response.status == .created)
                    locations.append(response.headers[.location])
                }
            }
            #expect(locations[0] != nil && locations[0] == locations[1])
        }
    }

    @Test func aCommandWithoutAKeyGetsOneMadeByTheServer() async throws {
        let executor = MemoryCommandExecutor()
        try await withRouter(executor) { client in
            try await client.execute(uri: "/orders", method: .post, headers: Self.json, body: Self.place("o-4")) { #expect($0.status == .created) }
        }
        #expect(await executor.received.first?.commandId.isEmpty == false)
    }

    // MARK: Problems from the client's mistakes

    @Test(arguments: [
        ("/orders", #"{"customerId":"#, "malformed JSON"),
        ("/orders", #"{"orderId":"o","customerId":"c","currency":"EUR","items":[],"extra":1}"#, "an unknown field"),
        ("/orders", #"{"orderId":"o","customerId":"c","currency":"eur","items":[]}"#, "a lower-case currency"),
        ("/orders", #"{"orderId":"o","customerId":"c","currency":"EUR","items":"none"}"#, "a wrong type"),
        ("/orders", #"{"orderId":"o'; DROP TABLE orders;--","customerId":"c","currency":"EUR","items":[]}"#, "SQL metacharacters in an id"),
        ("/orders/o-1/items", #"{"sku":"A","quantity":"2","unitPrice":1}"#, "a quantity as a string"),
        ("/orders/o-1/ship", #"{"carrier":"DHL"}"#, "a missing field"),
    ])
    func aMalformedCommandIsAValidationProblemAndReachesNothing(path: String, body: String, what: String) async throws {
        let executor = MemoryCommandExecutor()
        try await withRouter(executor) { client in
            try await client.execute(uri: path, method: .post, headers: Self.headers(key: "k"), body: ByteBuffer(string: body)) { response in
                let problem = try expectProblem(response, .badRequest, "validation")
                #expect((problem["detail"] as? String)?.isEmpty == false, "\(what)")
            }
        }
        #expect(await executor.received.isEmpty, "\(what) reached the command side")
    }

    @Test func anOversizedBodyIsRefusedBeforeItIsRead() async throws {
        let executor = MemoryCommandExecutor()
        try await withRouter(executor, maxBodyBytes: 1024) { client in
            let items = Array(repeating: #"{"sku":"A","quantity":1,"unitPrice":1}"#, count: 100).joined(separator: ",")
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "big"), body: Self.place("o", items: "[\(items)]")) { response in
                let problem = try expectProblem(response, .badRequest, "validation")
                #expect((problem["detail"] as? String)?.contains("1024") == true)
            }
        }
        #expect(await executor.received.isEmpty)
    }

    @Test(arguments: [
        ("Idempotency-Key", String(repeating: "k", count: 201)),
        ("Idempotency-Key", "tab\tinside"),
        ("If-Match", "three"),
    ])
    func aBadHeaderIsAValidationProblem(name: String, value: String) async throws {
        let executor = MemoryCommandExecutor()
        try await withRouter(executor) { client in
            var headers = Self.json
            headers[HTTPField.Name(name)!] = value
            try await client.execute(uri: "/orders/o-1/confirm", method: .post, headers: headers) { response in
                _ = try expectProblem(response, .badRequest, "validation")
            }
        }
        #expect(await executor.received.isEmpty)
    }

    @Test func aCommandOnAnUnknownOrderIsOrderNotFound() async throws {
        try await withRouter(MemoryCommandExecutor()) { client in
            try await client.execute(uri: "/orders/nobody/confirm", method: .post, headers: Self.headers(key: "k")) { response in
                _ = try expectProblem(response, .notFound, "order-not-found")
            }
        }
    }

    @Test func aCommandTheRulesForbidIsRuleViolatedNamingTheRule() async throws {
        try await withRouter(MemoryCommandExecutor()) { client in
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "p"), body: Self.place("o-5")) { _ in }
            try await client.execute(uri: "/orders/o-5/deliver", method: .post, headers: Self.headers(key: "d")) { response in
                let problem = try expectProblem(response, .unprocessableContent, "rule-violated")
                #expect((problem["rule"] as? String).flatMap(Rule.init(rawValue:)) != nil, "\(problem)")
            }
        }
    }

    @Test func aStaleIfMatchIsAVersionConflictWithTheCurrentVersion() async throws {
        try await withRouter(MemoryCommandExecutor()) { client in
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "p"), body: Self.place("o-6")) { _ in }
            try await client.execute(uri: "/orders/o-6/confirm", method: .post, headers: Self.headers(key: "c", [.ifMatch: "\"7\""])) { response in
                let problem = try expectProblem(response, .conflict, "version-conflict")
                #expect(problem["currentVersion"] as? Int == 1)
            }
        }
    }

    @Test func aKeyReusedForAnotherOrderIsRefused() async throws {
        try await withRouter(MemoryCommandExecutor()) { client in
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "reused"), body: Self.place("o-7")) { _ in }
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "reused"), body: Self.place("o-8")) { response in
                _ = try expectProblem(response, .unprocessableContent, "idempotency-key-reuse")
            }
        }
    }

    // MARK: Problems from the log and the group

    @Test(arguments: [
        (CommandResult.writeConflict(.versionNotNext(expected: 2, found: 3)), HTTPResponse.Status.conflict, "write-conflict", "void when read back"),
        (.unavailable(.orderBusy(orderId: "o-1")), .serviceUnavailable, "unavailable", "order o-1 is busy with another command"),
        (.unavailable(.partitionFolding(partition: 2, offset: 10, target: 40)), .serviceUnavailable, "unavailable", "partition 2 is still being folded (offset 10 of 40)"),
        (.unavailable(.partitionStopped(partition: 1, offset: 9, error: .unknownEventType("Teleported"))), .serviceUnavailable, "unavailable", "partition 1 is stopped at offset 9"),
        (.unavailable(.appendRefused(error: "producer closed")), .serviceUnavailable, "unavailable", "could not be appended: producer closed"),
        (.outcomeUnknown(.firstAttemptUnconfirmed), .serviceUnavailable, "outcome-unknown", "first attempt of this command is still unconfirmed"),
        (.outcomeUnknown(.noReadBack(deadline: .seconds(5))), .serviceUnavailable, "outcome-unknown", "no read-back within the command deadline"),
        (.outcomeUnknown(.partitionRevoked(partition: 0)), .serviceUnavailable, "outcome-unknown", "partition 0 was revoked before the event was read back"),
        (.notOwner(partition: 2, owner: nil), .serviceUnavailable, "unavailable", "owner of partition 2 is not known yet"),
        (.notOwner(partition: 2, owner: "http://127.0.0.1:1"), .serviceUnavailable, "unavailable", "owner of partition 2 is not known yet"),
    ])
    func eachOutcomeHasItsProblemKind(result: CommandResult, status: HTTPResponse.Status, kind: String, detail: String) async throws {
        let executor = MemoryCommandExecutor()
        await executor.script(result)
        // "http://127.0.0.1:1" is this instance here: a stale map naming itself is not followed.
        try await withRouter(executor, selfURL: "http://127.0.0.1:1") { client in
            try await client.execute(uri: "/orders/o-1/confirm", method: .post, headers: Self.headers(key: "k")) { response in
                let problem = try expectProblem(response, status, kind)
                #expect((problem["detail"] as? String)?.contains(detail) == true, "\(problem)")
            }
        }
    }

    @Test func aForwardedCommandIsNeverForwardedAgain() async throws {
        let executor = MemoryCommandExecutor()
        await executor.script(.notOwner(partition: 1, owner: "http://127.0.0.1:2"))
        try await withRouter(executor) { client in
            let headers = Self.headers(key: "k", [HTTPField.Name("Orders-Forwarded-By")!: "http://127.0.0.1:3"])
            try await client.execute(uri: "/orders/o-1/confirm", method: .post, headers: headers) { response in
                let problem = try expectProblem(response, .serviceUnavailable, "unavailable")
                #expect((problem["detail"] as? String)?.contains("a rebalance is under way") == true)
            }
        }
    }

    @Test func aCommandForAnOwnerThatCannotBeReachedIsUnavailable() async throws {
        // A port that was just free: the connection is refused, so nothing was sent.
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        let executor = MemoryCommandExecutor()
        await executor.script(.notOwner(partition: 1, owner: "http://127.0.0.1:\(port)"))
        // The HTTP client tries to connect until the forwarding timeout: a short one here.
        try await withRouter(executor, forwardTimeout: .seconds(2)) { client in
            try await client.execute(uri: "/orders/o-1/confirm", method: .post, headers: Self.headers(key: "k")) { response in
                let problem = try expectProblem(response, .serviceUnavailable, "unavailable")
                #expect((problem["detail"] as? String)?.contains("cannot be reached; nothing was appended") == true, "\(problem)")
            }
        }
    }

    @Test func aCommandIsForwardedToItsOwnerOnceAndTheOwnersAnswerRelayed() async throws {
        // The owner: the same router over its own executor, on a real socket.
        let owner = MemoryCommandExecutor()
        let ownerClient = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let ownerRouter = buildRouter(
            executor: owner, parser: CommandRequestParser(maxBodyBytes: 65_536),
            forwarder: Forwarder(client: ownerClient, selfURL: "http://owner", timeout: .seconds(10), logger: Logger(label: "test")),
            metrics: CommandMetrics())
        let ownerApp = Application(router: ownerRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await ownerApp.test(.live) { live in
            let ownerURL = "http://127.0.0.1:\(try #require(live.port))"
            let forwarding = MemoryCommandExecutor()
            await forwarding.script(.notOwner(partition: 0, owner: ownerURL))
            try await withRouter(forwarding) { client in
                let headers = Self.headers(key: "fwd", [HTTPField.Name("traceparent")!: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"])
                try await client.execute(uri: "/orders", method: .post, headers: headers, body: Self.place("o-9")) { response in
                    #expect(response.status == .created)
                    #expect(response.headers[.location] == "/orders/o-9")
                    #expect(response.headers[.eTag] == "\"1\"")
                }
            }
        }
        try await ownerClient.shutdown()
        let received = await owner.received
        #expect(received.count == 1)
        #expect(received.first?.commandId == "fwd")
        #expect(received.first?.traceparent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    }

    @Test(arguments: [
        ("/orders", HTTPRequest.Method.get, "POST"),
        ("/orders/o-1/confirm", .get, "POST"),
        ("/orders/o-1/items", .put, "POST"),
        ("/orders/o-1/items/A", .post, "DELETE"),
        ("/health/ready", .post, "GET"),
        ("/metrics", .delete, "GET"),
    ])
    func aWrongMethodIsMethodNotAllowedWithAllow(path: String, method: HTTPRequest.Method, allowed: String) async throws {
        try await withRouter(MemoryCommandExecutor()) { client in
            try await client.execute(uri: path, method: method) { response in
                _ = try expectProblem(response, .methodNotAllowed, "method-not-allowed")
                #expect(response.headers[.allow] == allowed)
            }
        }
    }

    // MARK: Operations

    @Test func liveIsAlwaysLive() async throws {
        let executor = MemoryCommandExecutor()
        await executor.setReady(false)
        try await withRouter(executor) { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
                let status = try jsonObject(response)["status"] as? String
                #expect(status == "live")
            }
        }
    }

    @Test func readyNamesThePartitionsThatHoldItBack() async throws {
        let executor = MemoryCommandExecutor()
        try await withRouter(executor) { client in
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            await executor.setReady(false)
            try await client.execute(uri: "/health/ready", method: .get) { response in
                let problem = try expectProblem(response, .serviceUnavailable, "unavailable")
                #expect((problem["detail"] as? String)?.contains("not in the consumer group yet") == true)
            }
            await executor.setReady(false, partitions: [
                .init(partition: 0, nextOffset: 5, target: 9, serving: false, stopped: nil, orders: 1, voidEvents: 0, inFlight: 0),
                .init(partition: 1, nextOffset: 3, target: 3, serving: true, stopped: "offset 3: unknown", orders: 1, voidEvents: 0, inFlight: 0),
                .init(partition: 2, nextOffset: 8, target: 8, serving: true, stopped: nil, orders: 2, voidEvents: 0, inFlight: 0),
            ])
            try await client.execute(uri: "/health/ready", method: .get) { response in
                let detail = try expectProblem(response, .serviceUnavailable, "unavailable")["detail"] as? String
                #expect(detail == "not ready: partition 0: folded 5 of 9; partition 1: stopped at offset 3: unknown")
            }
        }
    }

    @Test func statusShowsOwnersAndPartitions() async throws {
        let executor = MemoryCommandExecutor()
        await executor.setOwnerMap(OwnerMap(generation: 4, owners: [0: "http://a", 1: "http://b"]))
        await executor.setReady(true, partitions: [
            .init(partition: 0, nextOffset: 5, target: 5, serving: true, stopped: nil, orders: 2, voidEvents: 1, inFlight: 1),
        ])
        try await withRouter(executor) { client in
            try await client.execute(uri: "/status", method: .get) { response in
                #expect(response.status == .ok)
                let body = try jsonObject(response)
                #expect(body["ready"] as? Bool == true)
                #expect(body["generation"] as? Int == 4)
                #expect(body["owners"] as? [String: String] == ["0": "http://a", "1": "http://b"])
                let partition = try #require((body["partitions"] as? [[String: Any]])?.first)
                #expect(partition["inFlight"] as? Int == 1 && partition["voidEvents"] as? Int == 1 && partition["nextOffset"] as? Int == 5)
            }
        }
    }

    @Test func metricsCountTheCommandsTheRoutesAnswered() async throws {
        try await withRouter(MemoryCommandExecutor()) { client in
            try await client.execute(uri: "/orders", method: .post, headers: Self.headers(key: "p"), body: Self.place("o-10")) { _ in }
            try await client.execute(uri: "/orders/nobody/confirm", method: .post, headers: Self.headers(key: "c")) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("created"), "\(text)")
                #expect(text.contains("order-not-found"), "\(text)")
            }
        }
    }

    @Test func theOpenAPIDocumentIsServedAndNamesEveryCommandRoute() async throws {
        try await withRouter(MemoryCommandExecutor()) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let paths = try #require(try jsonObject(response)["paths"] as? [String: Any])
                for path in ["/orders", "/orders/{id}/items", "/orders/{id}/items/{sku}", "/orders/{id}/confirm", "/orders/{id}/ship",
                             "/orders/{id}/deliver", "/orders/{id}/cancel", "/health/live", "/health/ready", "/status", "/metrics"] {
                    #expect(paths[path] != nil, "\(path) is not in the document")
                }
            }
        }
    }
}
