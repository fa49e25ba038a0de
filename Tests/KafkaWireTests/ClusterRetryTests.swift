import KafkaProtocol
import KafkaWire
import NIOConcurrencyHelpers
import Testing

/// `KafkaCluster.retrying`: only retriable errors are retried, a bounded number of times.
@Suite("Cluster: retries")
struct ClusterRetryTests {
    func cluster() -> KafkaCluster {
        var configuration = KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: 1)])
        configuration.retryBackoff = .milliseconds(1)
        return KafkaCluster(configuration: configuration, logger: ConnectionTestBroker.logger)
    }

    @Test func retriesRetriableErrorsUntilSuccess() async throws {
        let attempts = NIOLockedValueBox(0)
        let result = try await cluster().retrying("test") {
            let attempt = attempts.withLockedValue { $0 += 1; return $0 }
            if attempt < 3 { throw KafkaError(.broker(.notLeaderOrFollower), "moved") }
            return attempt
        }
        #expect(result == 3)
    }

    @Test func doesNotRetryOtherErrors() async throws {
        let attempts = NIOLockedValueBox(0)
        let error = await #expect(throws: KafkaError.self) {
            try await cluster().retrying("test") { () async throws -> Int in
                attempts.withLockedValue { $0 += 1 }
                throw KafkaError(.broker(.topicAuthorizationFailed), "denied")
            }
        }
        #expect(error?.code == .broker(.topicAuthorizationFailed))
        #expect(attempts.withLockedValue { $0 } == 1)
    }

    @Test func givesUpAfterTheAttemptLimit() async throws {
        let attempts = NIOLockedValueBox(0)
        let error = await #expect(throws: KafkaError.self) {
            try await cluster().retrying("test", attempts: 4) { () async throws -> Int in
                attempts.withLockedValue { $0 += 1 }
                throw KafkaError(.timedOut, "slow")
            }
        }
        #expect(error?.code == .timedOut)
        #expect(attempts.withLockedValue { $0 } == 4)
    }

    @Test func metadataOlderThanMaxAgeIsFetchedAgain() async throws {
        // The cache ages by a manual clock: how old the answer is does not depend on how fast
        // the machine runs the test.
        let clock = ManualClock()
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(
                port: port, { $0.metadataMaxAge = .seconds(60) }, metadataClock: { clock.now }
            ) { cluster in
                #expect(try await cluster.metadata(for: ["aging"], autoCreate: true).topics["aging"]?.error == KafkaErrorCode.none)
                // Deleted behind the cache's back: the cache answers until the answer is too old.
                _ = try await cluster.send(DeleteTopicsRequest(topicNames: ["aging"], timeoutMs: 1000), to: 1, version: 3)
                #expect(try await cluster.metadata(for: ["aging"]).topics["aging"]?.error == KafkaErrorCode.none)
                clock.advance(by: .seconds(59))
                #expect(try await cluster.metadata(for: ["aging"]).topics["aging"]?.error == KafkaErrorCode.none)
                clock.advance(by: .seconds(1))
                #expect(try await cluster.metadata(for: ["aging"]).topics["aging"]?.error == .unknownTopicOrPartition)
            }
        }
    }

    @Test func invalidatedMetadataIsFetchedAgain() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                #expect(try await cluster.metadata(for: ["short-lived"], autoCreate: true).topics["short-lived"]?.error == KafkaErrorCode.none)
                let admin = KafkaAdmin(cluster: cluster, logger: ConnectionTestBroker.logger)
                // Deleted behind the cache's back: the cache still answers until invalidated.
                _ = try await cluster.send(DeleteTopicsRequest(topicNames: ["short-lived"], timeoutMs: 1000), to: 1, version: 3)
                #expect(try await cluster.metadata(for: ["short-lived"]).topics["short-lived"]?.error == KafkaErrorCode.none)
                cluster.invalidateMetadata()
                #expect(try await cluster.metadata(for: ["short-lived"]).topics["short-lived"]?.error == .unknownTopicOrPartition)
                #expect(try await admin.listTopics().isEmpty)
            }
        }
    }
}
