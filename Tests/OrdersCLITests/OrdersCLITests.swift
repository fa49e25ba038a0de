import ArgumentParser
import Testing

@testable import OrdersCLI

@Suite struct OrdersCLITests {
    @Test func lineItemsParseAsSkuQuantityPrice() {
        let item = LineItemArgument(argument: "TEA:2:450")
        #expect(item?.sku == "TEA" && item?.quantity == 2 && item?.unitPrice == 450)
        // A SKU may itself contain colons; the last two fields are the numbers.
        #expect(LineItemArgument(argument: "a:b:3:100")?.sku == "a:b")
        #expect(LineItemArgument(argument: "TEA:x:1") == nil)
        #expect(LineItemArgument(argument: "TEA") == nil)
    }

    @Test func badInputIsRefusedBeforeAnyRequest() {
        for arguments in [
            ["place", "--currency", "EUR", "--item", "A:1:1"],
            ["place", "--customer", "c", "--currency", "eur", "--item", "A:1:1"],
            ["place", "--customer", "c", "--currency", "EUR"],
            ["add-item", "bad id!", "--sku", "A", "--quantity", "1", "--unit-price", "1"],
            ["list", "--limit", "0"],
            ["list", "--status", "lost"],
            ["get", "o-1", "--position", "1-2"],
            ["events", "--offset", "soon"],
            ["history", "o-1", "--at-offset", "-1"],
            ["replay", "query", "--offset", "0"],
            ["replay", "notifier", "--offset", "@x"],
            ["rebuild", "--up-to", "0-5"],
            ["confirm", "o-1", "--expected-version", "0"],
            ["--command-url", "ftp://x", "confirm", "o-1"],
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try OrdersCommand.parseAsRoot(arguments) }
        }
    }

    @Test func goodInputParses() throws {
        _ = try OrdersCommand.parseAsRoot(["place", "--customer", "c-1", "--currency", "EUR", "--item", "TEA:2:450", "--item", "CUP:1:1200"])
        _ = try OrdersCommand.parseAsRoot(["events", "--partition", "2", "--offset", "@1767225600000", "--json"])
        _ = try OrdersCommand.parseAsRoot(["replay", "notifier", "--partition", "2", "--offset", "40", "--resend"])
        _ = try OrdersCommand.parseAsRoot(["rebuild", "--up-to", "0:120", "--up-to", "1:98"])
    }

    @Test func problemsReadAsOneLineThatSaysWhatToDo() {
        let rule = CLIError.problem(service: "OrderCommand", status: 422, kind: "rule-violated", title: "A rule refused the command",
                                    detail: "the order is cancelled", extensions: ["rule": .string("order-cancelled")])
        #expect("\(rule)" == "rule order-cancelled violated: the order is cancelled")
        #expect(rule.exitCode == 1)
        let conflict = CLIError.problem(service: "OrderCommand", status: 409, kind: "version-conflict", title: "",
                                        detail: "If-Match names version 3 but the order is at version 1",
                                        extensions: ["currentVersion": .integer(1)])
        #expect("\(conflict)".contains("--expected-version 1"))
        let down = CLIError.unreachable(service: "OrderQuery", url: "http://127.0.0.1:8082", reason: "connection refused", hint: "start it")
        #expect("\(down)".hasPrefix("OrderQuery is not reachable at http://127.0.0.1:8082"))
        #expect(down.exitCode == 69)
        #expect(!"\(down)".contains("\n"))
    }
}
