import KafkaBroker
import KafkaProtocol
import KafkaWire
import Testing

/// Acceptance 5 of issue 3: against a broker that speaks only old, non-flexible versions and
/// against one that accepts only the newest, the client negotiates and admin operations work.
@Suite("Negotiation: old and new brokers")
struct NegotiationBrokerTests {
    /// Every API the dev broker serves, capped at its last version before flexible encoding.
    static let lastNonFlexible: [APIKey: Int16] = {
        var caps: [APIKey: Int16] = [:]
        for key in APIKey.allKnown {
            guard let range = key.definedVersions,
                  let last = range.reversed().first(where: { !key.isFlexible($0) }) else { continue }
            caps[key] = last
        }
        return caps
    }()

    /// Every API at its newest version only, as a broker that dropped all older ones.
    static let newestOnly: [APIKey: Int16] = {
        var floors: [APIKey: Int16] = [:]
        for key in APIKey.allKnown {
            if let range = key.definedVersions { floors[key] = range.upperBound }
        }
        return floors
    }()

    @Test func capsAreTheExpectedOldVersions() {
        #expect(Self.lastNonFlexible[.metadata] == 8)
        #expect(Self.lastNonFlexible[.apiVersions] == 2)
        #expect(Self.lastNonFlexible[.createTopics] == 4)
        #expect(Self.lastNonFlexible[.listOffsets] == 5)
        #expect(Self.lastNonFlexible[.findCoordinator] == 2)
    }

    @Test func oldNonFlexibleBroker() async throws {
        try await ConnectionTestBroker.run({ $0.maxVersions = Self.lastNonFlexible }) { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                let connection = try await cluster.connection(to: -1)
                // ApiVersions v4 was refused and retried at v2; every API lands on its cap.
                #expect(connection.versions.brokerRanges[.apiVersions] == 0...2)
                for key in [APIKey.metadata, .createTopics, .deleteTopics, .listOffsets, .findCoordinator, .offsetFetch,
                            .listGroups, .describeGroups, .produce, .fetch] {
                    #expect(try connection.versions.version(for: key) == Self.lastNonFlexible[key], "\(key.name)")
                }
                try await AdminScenario.run(KafkaAdmin(cluster: cluster, logger: ConnectionTestBroker.logger))
            }
        }
    }

    @Test func newestOnlyBroker() async throws {
        try await ConnectionTestBroker.run({ $0.minVersions = Self.newestOnly }) { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                let connection = try await cluster.connection(to: -1)
                for key in [APIKey.apiVersions, .metadata, .createTopics, .deleteTopics, .listOffsets, .findCoordinator,
                            .offsetFetch, .listGroups, .describeGroups, .produce] {
                    #expect(try connection.versions.version(for: key) == key.definedVersions?.upperBound, "\(key.name)")
                    #expect(connection.versions.range(for: key)?.count == 1)
                }
                try await AdminScenario.run(KafkaAdmin(cluster: cluster, logger: ConnectionTestBroker.logger))
            }
        }
    }
}
