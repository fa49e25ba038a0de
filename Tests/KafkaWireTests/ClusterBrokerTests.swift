import TestSupport
import Foundation
import KafkaBroker
import KafkaProtocol
import KafkaWire
import NIOCore
import Testing

/// The cluster client over real TCP against the in-process dev broker.
@Suite("Cluster: real broker")
struct ClusterBrokerTests {
    @Test func bootstrapsMetadataAndConnectsByNodeID() async throws {
        try await ConnectionTestBroker.run({ $0.defaultPartitions = 3 }) { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                let metadata = try await cluster.metadata(for: ["orders"], autoCreate: true)
                #expect(metadata.brokers == [1: BrokerAddress(host: "127.0.0.1", port: port)])
                #expect(metadata.controllerID == 1)
                #expect(metadata.clusterID == "kafkawire-dev-cluster")
                let orders = try #require(metadata.topics["orders"])
                #expect(orders.error == .none)
                #expect(orders.partitions.map(\.index) == [0, 1, 2])
                #expect(orders.partitions.allSatisfy { $0.leader == 1 })
                // Cached now, and the same topic again without asking.
                #expect(try await cluster.metadata(for: ["orders"]).topics["orders"] == orders)
                let connection = try await cluster.connection(to: 1)
                #expect(connection.nodeID == 1)
                #expect(try await cluster.connection(to: 1) === connection)
                let all = try await cluster.metadata(for: nil)
                #expect(all.topics.keys.contains("orders"))
            }
        }
    }

    @Test func concurrentCallersShareConnectionsAndMetadataRequests() async throws {
        try await ConnectionTestBroker.run({ $0.defaultPartitions = 2 }) { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                let answers = try await withThrowingTaskGroup(of: ClusterMetadata.self) { group in
                    for _ in 0..<50 {
                        group.addTask { try await cluster.metadata(for: ["burst"], autoCreate: true, refresh: true) }
                    }
                    return try await group.reduce(into: [ClusterMetadata]()) { $0.append($1) }
                }
                #expect(answers.count == 50)
                #expect(answers.allSatisfy { $0.topics["burst"]?.partitions.count == 2 })
                let connections = try await withThrowingTaskGroup(of: ObjectIdentifier.self) { group in
                    for _ in 0..<20 { group.addTask { ObjectIdentifier(try await cluster.connection(to: 1)) } }
                    return try await group.reduce(into: Set<ObjectIdentifier>()) { $0.insert($1) }
                }
                #expect(connections.count == 1)
            }
        }
    }

    @Test func reportsUnknownTopicsWithoutCreatingThem() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                let metadata = try await cluster.metadata(for: ["nope"], autoCreate: false)
                #expect(metadata.topics["nope"]?.error == .unknownTopicOrPartition)
            }
        }
    }

    @Test func findsAndCachesTheGroupCoordinator() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                #expect(try await cluster.coordinator(forGroup: "g1") == 1)
                #expect(try await cluster.coordinator(forGroup: "g1") == 1)
                cluster.invalidateCoordinator(forGroup: "g1")
                #expect(try await cluster.coordinator(forGroup: "g1") == 1)
                let response = try await cluster.send(HeartbeatRequest(groupId: "g1", generationId: 1, memberId: "m"), to: 1)
                #expect(response.errorCode != 0)
            }
        }
    }

    @Test func aWaitingJoinGroupDoesNotHoldUpOtherRequestsToTheSameBroker() async throws {
        // The broker holds a new group's first JoinGroup for the initial rebalance delay: ten
        // minutes here, so the join is certainly still held while the other requests run,
        // however slow the machine. A LeaveGroup releases it at the end.
        try await ConnectionTestBroker.run({ $0.groups.initialRebalanceDelayMilliseconds = 600_000 }) { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                let coordinatorConnection = try await cluster.coordinatorConnection(forGroup: "slow")
                #expect(coordinatorConnection !== (try await cluster.connection(to: 1)))
                let join = Task {
                    try await coordinatorConnection.send(
                        JoinGroupRequest(
                            groupId: "slow", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000,
                            protocolType: "consumer", protocols: [.init(name: "range", metadata: ByteBuffer())]),
                        version: 3, timeout: .seconds(900))
                }
                func describe() async throws -> DescribeGroupsResponse.DescribedGroup? {
                    try await cluster.send(DescribeGroupsRequest(groups: ["slow"]), to: 1).groups.first
                }
                // The broker holds the join once the group shows its member, mid-rebalance.
                var memberID = ""
                try await waitUntil("the broker to hold the JoinGroup") {
                    memberID = try await describe()?.members.first?.memberId ?? ""
                    return !memberID.isEmpty
                }
                // Other requests go through meanwhile (were they queued behind the join, they
                // would time out), and the join is still held after them.
                _ = try await cluster.metadata(for: nil, refresh: true)
                #expect(try await describe()?.groupState == "PreparingRebalance")
                let left = try await cluster.send(LeaveGroupRequest(groupId: "slow", members: [.init(memberId: memberID)]), to: 1)
                #expect(left.errorCode == 0)
                #expect(try await join.value.errorCode == KafkaErrorCode.unknownMemberId.rawValue)
            }
        }
    }

    @Test func brokerSideCloseFailsInFlightRequestsRetriablyAndTheClusterReconnects() async throws {
        // The broker closes a connection that sends a version it does not offer (Metadata
        // above v8 here); the requests queued behind that one never get an answer.
        try await ConnectionTestBroker.run({ $0.maxVersions = [.metadata: 8] }) { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                _ = try await cluster.metadata(for: [])
                let connection = try await cluster.connection(to: 1)
                let poison = connection.enqueue(MetadataRequest(topics: []), version: 12)
                let behind = (0..<5).map { _ in connection.enqueue(MetadataRequest(topics: []), version: 8) }
                for pending in [poison] + behind {
                    let error = await #expect(throws: KafkaError.self) { _ = try await pending.get() }
                    #expect(error?.code == .connectionClosed)
                    #expect(error?.isRetriable == true)
                }
                try await connection.channelClosed()
                #expect(connection.isClosed)
                // The next request goes out on a fresh connection.
                let response = try await cluster.send(MetadataRequest(topics: []), to: 1)
                #expect(response.brokers.count == 1)
                #expect(try await cluster.connection(to: 1) !== connection)
            }
        }
    }

    @Test func requestTimeoutFailsTheRequestAndClosesTheConnection() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                _ = try await cluster.metadata(for: ["slow"], autoCreate: true)
                let connection = try await cluster.connection(to: 1)
                // A long-poll fetch on an empty partition: the broker holds it for 5 s. Only
                // this request gets the short timeout (300 ms), through the same timer as the
                // configured one; the others keep 10 s, which a loaded machine cannot miss.
                let fetch = FetchRequest(maxWaitMs: 5000, minBytes: 1, topics: [
                    .init(topic: "slow", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)]),
                ])
                let slow = connection.enqueue(fetch, version: 12, timeout: .milliseconds(300))
                let behind = connection.enqueue(MetadataRequest(topics: []), version: try connection.versions.version(for: .metadata))
                // timedOut (not an answer) shows it failed before the broker's 5 s were up.
                let timeout = await #expect(throws: KafkaError.self) { _ = try await slow.get() }
                #expect(timeout?.code == .timedOut)
                #expect(timeout?.isRetriable == true)
                let closed = await #expect(throws: KafkaError.self) { _ = try await behind.get() }
                #expect(closed?.code == .connectionClosed)
                try await connection.channelClosed()
                #expect(try await cluster.send(MetadataRequest(topics: []), to: 1).brokers.count == 1)
            }
        }
    }

    @Test func survivesABrokerRestart() async throws {
        // First broker on a free port; the second takes over the same port and data.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kafkawire-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var port = 0
        var configuration = KafkaClientConfiguration(bootstrapServers: [])
        configuration.reconnectBackoff = .milliseconds(10)
        configuration.reconnectBackoffMax = .milliseconds(100)
        configuration.retryBackoff = .milliseconds(10)
        var cluster: KafkaCluster?
        try await Self.withBroker(directory: directory, port: 0) { bound in
            port = bound
            configuration.bootstrapServers = [BrokerAddress(host: "127.0.0.1", port: bound)]
            let client = KafkaCluster(configuration: configuration, logger: ConnectionTestBroker.logger)
            cluster = client
            let created = try await client.metadata(for: ["kept"], autoCreate: true)
            #expect(created.topics["kept"]?.error == KafkaErrorCode.none)
        }
        let client = try #require(cluster)
        // Down: requests fail with a retriable error instead of hanging.
        let down = await #expect(throws: KafkaError.self) { _ = try await client.send(MetadataRequest(topics: []), to: 1) }
        #expect(down?.isRetriable == true)
        try await Self.withBroker(directory: directory, port: port) { _ in
            let metadata = try await client.metadata(for: ["kept"], refresh: true)
            #expect(metadata.topics["kept"]?.partitions.count == 1)
        }
        await client.shutdown()
    }

    static func withBroker(directory: String, port: Int, _ body: (Int) async throws -> Void) async throws {
        var configuration = BrokerConfiguration(dataDirectory: directory)
        configuration.port = port
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = try BrokerServer(configuration: configuration, logger: ConnectionTestBroker.logger) { _, port in
            continuation.yield(port)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let bound = try #require(await iterator.next())
            try await body(bound)
            group.cancelAll()
        }
    }

    @Test func unreachableBootstrapFailsRetriablyAndShutdownRefusesLaterCalls() async throws {
        var configuration = KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: 1)])
        configuration.connectTimeout = .seconds(1)
        configuration.reconnectBackoff = .milliseconds(10)
        configuration.retryBackoff = .milliseconds(10)
        let cluster = KafkaCluster(configuration: configuration, logger: ConnectionTestBroker.logger)
        let error = await #expect(throws: KafkaError.self) { _ = try await cluster.metadata(for: nil) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isRetriable == true)
        await cluster.shutdown()
        let closed = await #expect(throws: KafkaError.self) { _ = try await cluster.metadata(for: nil) }
        #expect(closed?.code == .closed)
    }

    @Test func reconnectsAfterAFailureOnlyAfterTheBackoff() async throws {
        var configuration = KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: 1)])
        configuration.reconnectBackoff = .milliseconds(300)
        configuration.reconnectBackoffMax = .seconds(2)
        let cluster = KafkaCluster(configuration: configuration, logger: ConnectionTestBroker.logger)
        let clock = ContinuousClock()
        var starts: [ContinuousClock.Instant] = []
        var ends: [ContinuousClock.Instant] = []
        for _ in 0..<3 {
            starts.append(clock.now)
            await #expect(throws: KafkaError.self) { _ = try await cluster.connection(to: -1) }
            ends.append(clock.now)
        }
        // After the first failure 300 ms, after the second 600 ms (±20% jitter). Measured from
        // the start of the failing attempt (before the failure starts the backoff) to the end
        // of the next one (which waited it out): only lower bounds, and ones a slow machine
        // cannot break, as time spent between the attempts counts towards them.
        #expect(ends[1] - starts[0] >= .milliseconds(240))
        #expect(ends[2] - starts[1] >= .milliseconds(480))
        await cluster.shutdown()
    }

    @Test func fallsBackToTheNextBootstrapServer() async throws {
        try await ConnectionTestBroker.run { port in
            var configuration = KafkaClientConfiguration(bootstrapServers: [
                BrokerAddress(host: "127.0.0.1", port: 1), BrokerAddress(host: "127.0.0.1", port: port),
            ])
            // Port 1 refuses at once; the timeout only must not cut short the real broker's connect.
            configuration.connectTimeout = .seconds(10)
            let cluster = KafkaCluster(configuration: configuration, logger: ConnectionTestBroker.logger)
            let metadata = try await cluster.metadata(for: [])
            #expect(metadata.brokers.count == 1)
            await cluster.shutdown()
        }
    }
}
