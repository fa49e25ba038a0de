import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Logging
import NIOConcurrencyHelpers
import ServiceHTTP
import ServiceOptions

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A guided tour: orders through every state, a rejected command, a conflict, a retry, a replay, a rebuild",
        discussion: "Starts the embedded stack in this process unless one already answers at --command-url, then plays the scenario and explains each step.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var stackOptions: StackOptions

    func run() async throws {
        bootstrapServiceLogging(level: stackOptions.logLevel)
        if await HealthWait.untilReady(["\(global.commandURL)/health/live"], timeout: .zero) {
            Terminal.line(Terminal.dim("Using the stack already running at \(global.commandURL)."))
            let console = await HealthWait.untilReady(["\(global.consoleURL)/health/live"], timeout: .zero)
            try await DemoScenario(global: global, consoleURL: console ? global.consoleURL : nil).play()
            return
        }
        Terminal.line(Terminal.dim("Starting the embedded stack (data in \(stackOptions.dataDir))…"))
        var global = self.global
        let token = global.token ?? "orders-demo-admin"
        global.adminTokenFlag = token
        let stack = try stackOptions.stack(adminToken: token, at: global)
        let failure = NIOLockedValueBox<(any Error)?>(nil)
        let scenarioGlobal = global
        try await stack.run { console in
            var consoleURL: String?
            switch console {
            case .running(let url): consoleURL = url
            case .notStarted(let reason): Terminal.line(Terminal.dim("The web console is not running: \(reason)."))
            case .off: break
            }
            do {
                try await DemoScenario(global: scenarioGlobal, consoleURL: consoleURL).play()
            } catch {
                failure.withLockedValue { $0 = error }
            }
            return true
        }
        if let error = failure.withLockedValue({ $0 }) { throw error }
    }
}

/// The scenario, told step by step for someone who has never seen event sourcing.
struct DemoScenario {
    let global: GlobalOptions
    /// Where the web console is, when it runs: the demo points to it.
    var consoleURL: String? = nil
    let run = String(UUID().uuidString.prefix(6)).lowercased()

    func step(_ title: String, _ explanation: String) {
        Terminal.line()
        Terminal.line(Terminal.bold("▸ " + title))
        Terminal.line(Terminal.dim(explanation))
    }

    func say(_ text: String) { Terminal.line("  " + text) }

    func command(_ method: HTTPMethod, _ path: String, _ body: [String: JSONValue]?, key: String = UUID().uuidString,
                 ifMatch: Int64? = nil) async throws -> CommandAnswer {
        var headers = [("Idempotency-Key", key)]
        if let ifMatch { headers.append(("If-Match", "\"\(ifMatch)\"")) }
        let answer = try await global.command.send(method, path, json: body.map { jsonBytes(JSONValue.object($0)) }, headers: headers)
        return try answer.decode(CommandAnswer.self, service: "OrderCommand")
    }

    func place(_ customer: String, _ items: [(String, Int64, Int64)]) async throws -> CommandAnswer {
        try await command(.POST, "/orders", [
            "orderId": .string("\(customer)-\(run)"), "customerId": .string(customer), "currency": .string("EUR"),
            "items": .array(items.map { .object(["sku": .string($0.0), "quantity": .integer($0.1), "unitPrice": .integer($0.2)]) }),
        ])
    }

    func play() async throws {
        if let consoleURL {
            Terminal.line()
            Terminal.line("Watch it live in a browser: \(Terminal.bold(consoleURL)) (the log as it is appended, each order, the system)")
        }
        step("1. Place three orders", """
            Each command is decided against the order's state, rebuilt from its own events, and appended to \
            Kafka as one event. The answer comes only once that event is read back from the log and found in \
            effect; it carries the order's new version and the event's position (partition:offset).
            """)
        let alice = try await place("alice", [("TEA", 2, 450), ("CUP", 1, 1200)])
        let bob = try await place("bob", [("COFFEE", 1, 900)])
        let carol = try await place("carol", [("TEA", 5, 450)])
        for placed in [alice, bob, carol] { say("placed \(placed.orderId): version \(placed.version), position \(placed.position)") }

        step("2. Read your own write", """
            The read side (OrderQuery) folds the same events into SQL tables. A query that carries the \
            position waits until the read model has applied it, so it never shows stale data as fresh.
            """)
        let order = try await global.query.send(.GET, "/orders/\(alice.orderId)?position=\(alice.position)&waitMs=10000")
            .decode(OrderAnswer.self, service: "OrderQuery")
        say("OrderQuery has \(order.orderId): \(order.status), \(order.items.count) lines, total \(Terminal.money(order.total, order.currency))")

        step("3. Take alice's order through its life", "Every step is one more event in the order's partition.")
        var last = try await command(.POST, "/orders/\(alice.orderId)/items", ["sku": .string("BISCUIT"), "quantity": .integer(3), "unitPrice": .integer(250)])
        say("added BISCUIT: version \(last.version)")
        last = try await command(.POST, "/orders/\(alice.orderId)/confirm", nil)
        say("confirmed: version \(last.version)")
        last = try await command(.POST, "/orders/\(alice.orderId)/ship", ["carrier": .string("DHL"), "trackingNumber": .string("JD\(run.uppercased())")])
        say("shipped: version \(last.version)")
        last = try await command(.POST, "/orders/\(alice.orderId)/deliver", nil)
        say("delivered: version \(last.version), position \(last.position)")
        let cancelled = try await command(.POST, "/orders/\(bob.orderId)/cancel", ["reason": .string("found it cheaper elsewhere")])
        say("bob cancelled his order: version \(cancelled.version)")

        step("4. A command the rules refuse", "Shipping a cancelled order breaks a rule: nothing is appended, and the answer names the rule.")
        do {
            _ = try await command(.POST, "/orders/\(bob.orderId)/ship", ["carrier": .string("UPS"), "trackingNumber": .string("1Z")])
            throw CLIError.failed("the demo expected shipping a cancelled order to be refused")
        } catch let error as CLIError {
            guard case .problem(_, 422, _, _, _, _) = error else { throw error }
            say("refused: \(error)")
        }

        step("5. A version conflict", """
            A client may say which version it decided on (If-Match). Carol's order is at version 1; a command \
            that expects version 3 is refused with the current version, and nothing is appended.
            """)
        do {
            _ = try await command(.POST, "/orders/\(carol.orderId)/confirm", nil, ifMatch: 3)
            throw CLIError.failed("the demo expected a version conflict")
        } catch let error as CLIError {
            guard case .problem(_, 409, _, _, _, _) = error else { throw error }
            say("refused: \(error)")
        }

        step("6. A retried command", """
            Networks fail after the server acted. A retry with the same Idempotency-Key gets the first answer \
            back and appends nothing, even on another instance: the keys are rebuilt from the log.
            """)
        let key = "demo-\(run)-confirm-carol"
        let first = try await command(.POST, "/orders/\(carol.orderId)/confirm", nil, key: key)
        let retried = try await command(.POST, "/orders/\(carol.orderId)/confirm", nil, key: key)
        say("first answer: version \(first.version), position \(first.position)")
        say("the retry:    version \(retried.version), position \(retried.position) (the same event)")

        step("7. The notifier reacted", """
            A third service reads the same log in its own consumer group and sends one notification per event \
            in effect (here to its log and to notifications.jsonl), with retries and a dead-letter topic.
            """)
        let notifications = try await waitForNotifications(alice.orderId, count: 4)
        for item in notifications.notifications {
            say("v\(item.notification.version) \(item.notification.kind): \(item.notification.subject) [\(item.deliveries.map { "\($0.sink) \($0.status)" }.joined(separator: ", "))]")
        }

        step("8. Replay the notifier from the beginning", """
            Replaying re-processes the log from an offset. The delivery ledger knows what was delivered, so \
            nothing is sent twice (unless --resend asks for it).
            """)
        let status = try await global.notifier.send(.GET, "/status").decode(NotifierStatusAnswer.self, service: "Notifier")
        let offsets = JSONValue.object(Dictionary(uniqueKeysWithValues: status.partitions.map { (String($0.partition), JSONValue.integer(0)) }))
        let replay = try await global.notifier.send(.POST, "/admin/replay", json: jsonBytes(JSONValue.object(["offsets": offsets])), admin: true)
        if case .object(let result) = replay.json, case .integer(let queued)? = result["queued"] {
            say("orders replay notifier --offset 0: \(queued) deliveries queued (everything was delivered already)")
        }

        step("9. The log is the truth", """
            `orders history` folds alice's partition straight from Kafka with the same fold rule every \
            service uses, as of now or as of any earlier offset.
            """)
        let partition = alice.position.split(separator: ":").first.map(String.init) ?? "0"
        let placedOffset = alice.position.split(separator: ":").last.map(String.init) ?? "0"
        say("orders history \(alice.orderId) --at-offset \(placedOffset)   (just after it was placed, in partition \(partition))")
        try await History.parse([alice.orderId, "--at-offset", placedOffset] + forwarded).run()
        say("orders history \(alice.orderId)   (now)")
        try await History.parse([alice.orderId] + forwarded).run()

        step("10. Rebuild the read model from the log", """
            The read model is a pure function of the log: OrderQuery folds a fresh copy from the beginning \
            while the current one keeps serving, then swaps to it in one transaction.
            """)
        try await Rebuild.parse(forwarded).run()
        let stats = try await global.query.send(.GET, "/stats").decode(StatsAnswer.self, service: "OrderQuery")
        say("after the rebuild: \(stats.orders) orders; " + stats.byStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.orders)" }.joined(separator: ", "))

        Terminal.line()
        Terminal.line(Terminal.bold("That was event sourcing on Kafka.") + " Try orders events --order \(alice.orderId), orders lag, orders --help.")
    }

    /// The global options again, for the commands the demo runs as a user would.
    var forwarded: [String] {
        ["--command-url", global.commandURL, "--query-url", global.queryURL, "--notifier-url", global.notifierURL,
         "--kafka-bootstrap-servers", global.kafkaBootstrapServers, "--orders-topic", global.ordersTopic]
            + (global.token.map { ["--admin-token", $0] } ?? [])
    }

    func waitForNotifications(_ orderId: String, count: Int) async throws -> NotificationsAnswer {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let answer = try await global.notifier.send(.GET, "/orders/\(orderId)/notifications").decode(NotificationsAnswer.self, service: "Notifier")
            let delivered = answer.notifications.filter { $0.deliveries.allSatisfy { $0.status == "delivered" } }
            if delivered.count >= count { return answer }
            if ContinuousClock.now > deadline {
                throw CLIError.failed("the notifier has delivered \(delivered.count) of \(orderId)'s \(count) notifications after 60 s")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
