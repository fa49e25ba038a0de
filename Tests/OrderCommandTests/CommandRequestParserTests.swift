import Foundation
import Testing

@testable import OrderCommand

@Suite struct CommandRequestParserTests {
    /// RFC 9562's example: UUIDv5 of "www.example.com" in the DNS namespace.
    @Test func uuidV5MatchesTheRFC() {
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(CommandRequestParser.uuidV5(namespace: dns, name: "www.example.com").uuidString.lowercased() == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }

    @Test func theOrderIdOfAKeyIsStable() {
        let a = CommandRequestParser.uuidV5(namespace: CommandRequestParser.orderIdNamespace, name: "key-1")
        #expect(a == CommandRequestParser.uuidV5(namespace: CommandRequestParser.orderIdNamespace, name: "key-1"))
        #expect(a != CommandRequestParser.uuidV5(namespace: CommandRequestParser.orderIdNamespace, name: "key-2"))
    }
}
