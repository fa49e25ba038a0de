import KafkaProtocol
import KafkaWire
import Testing

@Suite("Client errors and configuration")
struct KafkaErrorTests {
    @Test func brokerErrorsCarryKafkasRetriableFlag() throws {
        let retriable = try #require(KafkaError(brokerCode: KafkaErrorCode.notLeaderOrFollower.rawValue, "produce"))
        #expect(retriable.isRetriable)
        #expect(retriable.code.brokerCode == .notLeaderOrFollower)
        let fatal = try #require(KafkaError(brokerCode: KafkaErrorCode.topicAuthorizationFailed.rawValue, "produce"))
        #expect(!fatal.isRetriable)
        #expect(KafkaError(brokerCode: 0, "ok") == nil)
        #expect(KafkaError(.timedOut, "x").isRetriable)
        #expect(!KafkaError(.invalidConfiguration, "x").isRetriable)
    }

    @Test func parsesBrokerAddresses() {
        #expect(BrokerAddress("localhost:9092") == BrokerAddress(host: "localhost", port: 9092))
        #expect(BrokerAddress("[::1]:9093") == BrokerAddress(host: "::1", port: 9093))
        #expect(BrokerAddress("nohost") == nil)
        #expect(BrokerAddress(":9092") == nil)
        #expect(BrokerAddress("h:70000") == nil)
    }

    @Test func parsesBootstrapLists() throws {
        #expect(try BrokerAddress.list("a:1, b:2,[::1]:3") == [
            BrokerAddress(host: "a", port: 1), BrokerAddress(host: "b", port: 2), BrokerAddress(host: "::1", port: 3),
        ])
        #expect(throws: KafkaError.self) { try BrokerAddress.list(" , ") }
        #expect(throws: KafkaError.self) { try BrokerAddress.list("a:1,b") }
    }
}
