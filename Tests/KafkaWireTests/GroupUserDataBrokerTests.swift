import TestSupport
import KafkaProtocol
import KafkaWire
import NIOCore
import Testing

/// Group user data against the dev broker over TCP: members advertise a URL in their
/// subscription, the leader attaches the owner map to every assignment, and every member
/// learns at each rebalance who owns which partition.
@Suite("Group user data against the dev broker", .timeLimit(.minutes(3)))
struct GroupUserDataBrokerTests {
    typealias Support = ConsumerTestSupport

    /// The owner map each member received last, and the assignment it came with.
    actor Received {
        private(set) var latest: MemberAssignment?
        func record(_ event: RebalanceEvent) {
            if event.kind == .assigned, let assignment = event.assignment { latest = assignment }
        }
        var map: OwnerMap? { latest?.userData.flatMap(OwnerMap.init(decoding:)) }
    }

    func member(port: Int, url: String, received: Received) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(
            client: Support.client(port), consumption: .group(id: "order-command", topics: ["orders"]))
        configuration.autoOffsetReset = .earliest
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .milliseconds(200)
        configuration.enableAutoCommit = false
        configuration.subscriptionUserData = ByteBuffer(string: url)
        configuration.partitionAssignmentStrategy = [PartitionAssignmentStrategy.cooperativeSticky.attachingUserData(OwnerMap.provider)]
        return try KafkaConsumer(configuration: configuration, logger: ConnectionTestBroker.logger) { event in
            await received.record(event)
        }
    }

    /// Whether `members` (consumer, its URL, what it received) agree on one owner map in which
    /// every partition is owned by exactly the member holding it.
    func agree(on partitions: [TopicPartition], _ members: [(KafkaConsumer, String, Received)]) async -> Bool {
        var maps: [OwnerMap] = []
        for (consumer, url, received) in members {
            guard let map = await received.map, let latest = await received.latest else { return false }
            // The member owns exactly the partitions the map gives its URL.
            let mine = map.owners.filter { $0.value == url }.keys.sorted()
            guard mine == latest.partitions.sorted(), consumer.assignment == latest.partitions.sorted() else { return false }
            maps.append(map)
        }
        return Set(maps).count == 1 && maps[0].owners.keys.sorted() == partitions
    }

    @Test func everyMemberLearnsWhoOwnsEachPartitionAndItFollowsMembership() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await Support.createTopic(cluster, "orders", partitions: 6)
                let partitions = (0..<6).map { TopicPartition("orders", Int32($0)) }
                let (urlA, urlB) = ("http://order-command-a:8080", "http://order-command-b:8080")
                let (receivedA, receivedB) = (Received(), Received())
                let a = try member(port: port, url: urlA, received: receivedA)
                let b = try member(port: port, url: urlB, received: receivedB)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await a.run() }
                    try await waitUntil { await agree(on: partitions, [(a, urlA, receivedA)]) }
                    #expect(await receivedA.map?.owners.values.allSatisfy { $0 == urlA } == true)

                    // B joins: after the cooperative hand-over both hold the same complete map,
                    // each partition owned by exactly one of them.
                    group.addTask { try await b.run() }
                    try await waitUntil { await agree(on: partitions, [(a, urlA, receivedA), (b, urlB, receivedB)]) }
                    let shared = try #require(await receivedA.map)
                    #expect(Set(shared.owners.values) == [urlA, urlB])
                    #expect(Set(a.assignment).isDisjoint(with: Set(b.assignment)))
                    #expect(a.memberAssignment == (await receivedA.latest))
                    #expect(a.memberAssignment?.memberID != b.memberAssignment?.memberID)

                    // B leaves: A is told it owns everything.
                    b.triggerGracefulShutdown()
                    try await waitUntil {
                        await receivedA.map?.owners == Dictionary(uniqueKeysWithValues: partitions.map { ($0, urlA) })
                    }
                    #expect(a.assignment == partitions)

                    // A moves: new user data rejoins the group and the map follows.
                    let moved = "http://order-command-a:9090"
                    a.updateSubscriptionUserData(ByteBuffer(string: moved))
                    try await waitUntil {
                        await receivedA.map?.owners == Dictionary(uniqueKeysWithValues: partitions.map { ($0, moved) })
                    }
                    a.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
                #expect(b.memberAssignment == nil, "a member that left has no assignment")
            }
        }
    }
}
